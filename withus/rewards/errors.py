"""What to tell a person when a rewards service refuses: one sentence from its error, for pages and the command line."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def message(error: ValidationError | PermissionDenied) -> str:
    """The service's own words: every message of a ValidationError, or the reason given for a refusal."""
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error) or _("You do not have permission to do this.")
