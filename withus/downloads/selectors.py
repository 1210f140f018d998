"""Reads of prepared files: a person's own, newest first; one of them, or not found."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from withus.accounts.models import Organisation
from withus.accounts.selectors import has_role

from . import kinds
from .models import PreparedFile


def files_of(user: Any, organisation: Organisation) -> QuerySet[PreparedFile]:
    """The files ``user`` asked for at ``organisation``, newest first. Nobody sees anyone else's."""
    return PreparedFile.objects.filter(requested_by=user, organisation=organisation).select_related("organisation")


def file_for(user: Any, organisation: Organisation, pk: int) -> PreparedFile:
    """One of ``user``'s files, while they may still see what it holds; anyone else's is not found (404)."""
    found = files_of(user, organisation).filter(pk=pk).first()
    if found is None or not may_still_have(user, found):
        raise Http404
    return found


def may_still_have(user: Any, prepared: PreparedFile) -> bool:
    """Whether ``user`` may see ``prepared``: it is theirs, and they still hold a role that may see what it holds."""
    roles = kinds.KINDS[prepared.kind].roles
    return prepared.requested_by_id == user.pk and has_role(user, prepared.organisation, *roles)
