"""What accounts hold about a person who signs in: the account, their roles, their API tokens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from withus.core.audit import forget
from withus.core.privacy import Section, record

from .models import ApiToken, Membership, SecurityEvent, User


def export(person: Any) -> list[Section]:
    """Nothing for someone without an account (registered by a coordinator); never a token's secret."""
    user = person.user
    if user is None:
        return [Section("account", _("Your account"), {}, None)]
    return [
        Section(
            "account",
            _("Your account"),
            {"email": _("E-mail address"), "date_joined": _("Joined"), "last_login": _("Last signed in")},
            record(email=user.email, date_joined=user.date_joined, last_login=user.last_login),
        ),
        Section(
            "roles",
            _("Your roles"),
            {"organisation": _("Organisation"), "role": _("Role"), "since": _("Since")},
            [
                record(organisation=m.organisation.name, role=m.role, since=m.created_at)
                for m in Membership.objects.filter(user=user).select_related("organisation")
            ],
        ),
        Section(
            "api_tokens",
            _("Your API tokens"),
            {
                "name": _("Name"),
                "organisation": _("Organisation"),
                "role": _("Role"),
                "created_at": _("Created"),
                "last_used_at": _("Last used"),
                "revoked_at": _("Revoked"),
            },
            [
                record(
                    name=t.name,
                    organisation=t.organisation.name,
                    role=t.role,
                    created_at=t.created_at,
                    last_used_at=t.last_used_at,
                    revoked_at=t.revoked_at,
                )
                for t in ApiToken.objects.filter(user=user).select_related("organisation")
            ],
        ),
    ]


def erase(person: Any) -> None:
    """The person's account goes, with its e-mail addresses, authenticators, roles and API tokens.

    Security events stay (they protect everyone) but no longer say whose account it was.
    """
    user = person.user
    if user is None:
        return
    email = user.email
    SecurityEvent.objects.filter(user=user).update(user=None, detail="")
    if email:
        SecurityEvent.objects.filter(detail__icontains=email).update(detail="")
    forget(ApiToken.objects.filter(user=user))
    forget(Membership.objects.filter(user=user))
    users = User.objects.filter(pk=user.pk)
    forget(users)
    person.user = None
    users.delete()
