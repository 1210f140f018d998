"""Plumbing every app's API shares: pagination, blank-as-null choices, field limits.

Written once here so that every list pages the same way and every text field is
limited exactly as the database column it is saved to.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from ninja import Field
from ninja.pagination import LimitOffsetPagination
from pydantic import StringConstraints

# Further than any list here will ever reach; a larger offset is a mistake, and one too
# large for the database would otherwise fail inside it.
MAX_OFFSET = 10_000_000


class ListPagination(LimitOffsetPagination):
    """``limit`` (1-200, default 50) and ``offset`` (0 to ten million): the same on every list."""

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def blank_is_none(value: Any) -> Any:
    """Treat "" like null for optional choices, so a client can send back what it read."""
    return None if value == "" else value


def text(max_length: int, *, min_length: int = 0) -> Any:
    """A stripped string of at most ``max_length`` characters."""
    return StringConstraints(strip_whitespace=True, max_length=max_length, min_length=min_length)


def field_limit(model: type[models.Model], field: str, *, required: bool = False) -> Any:
    """The model field's own length limit, so the API and the database never disagree."""
    max_length = getattr(model._meta.get_field(field), "max_length", None)
    return StringConstraints(strip_whitespace=True, max_length=max_length, min_length=1 if required else 0)
