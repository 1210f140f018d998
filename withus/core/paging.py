"""Pages of a list whose length is already known."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator[Any]):
    """A ``Paginator`` told how many items there are (``count``), so it does not count them again.

    For a list whose selector counts it a cheaper way than ``COUNT(*)`` over the list's own
    query; with ``count=None`` it counts as ``Paginator`` does.
    """

    def __init__(self, object_list: Any, per_page: int, *, count: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().count
