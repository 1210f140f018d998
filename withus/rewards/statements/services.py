"""Writes for reward choice and recognition (C5).

- A member's default reward choice (each activity can still differ). Bank details are
  asked for only when the choice is a bank transfer, are stored encrypted and are shown
  afterwards masked; choosing another way deletes them, so we keep none we do not need.
- Thanks recorded against a contribution, which the member sees.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.core.audit import acting_as
from withus.people import selectors as people_selectors
from withus.people.models import AssistedAction, Person
from withus.people.services import acting_for
from withus.rewards.models import RewardMethod, RewardPreference, Thanks

# ---- Reward choice ------------------------------------------------------------------------------

PREFERENCE_FIELDS = frozenset({"method", "charity_name", "group_name", "account_name", "sort_code", "account_number"})
BANK_FIELDS = ("account_name", "sort_code", "account_number")
SEPARATORS = re.compile(r"[\s-]+")


def digits_only(value: str) -> str:
    """What was typed, without the spaces and dashes people write sort codes and numbers with."""
    return SEPARATORS.sub("", value or "")


@transaction.atomic
def set_reward_preference(
    *,
    actor: User,
    person: Person,
    fields: dict[str, str],
    organisation: Organisation | None = None,
) -> RewardPreference:
    """Set the person's default reward, by the member or a coordinator they let act for them.

    ``fields``: ``method`` (a ``RewardMethod``), ``charity_name`` (when donating),
    ``group_name`` (when paying their group), and for a bank transfer ``account_name``,
    ``sort_code`` (6 digits) and ``account_number`` (8 digits). Spaces and dashes in the
    numbers are ignored. For a bank transfer, blank bank fields keep the details already
    held. Any other choice deletes stored bank details. Raises ``ValidationError`` keyed
    by field.
    """
    # Done for the member by someone else, it is recorded in what was done on their behalf.
    with acting_for(
        actor=actor, person=person, organisation=organisation, kind=AssistedAction.Kind.CHANGED_DETAILS, detail="reward"
    ):
        unknown = set(fields) - PREFERENCE_FIELDS
        if unknown:
            raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
        method = (fields.get("method") or "").strip()
        charity_name = (fields.get("charity_name") or "").strip()
        group_name = (fields.get("group_name") or "").strip()
        account_name = (fields.get("account_name") or "").strip()
        sort_code = digits_only(fields.get("sort_code") or "")
        account_number = digits_only(fields.get("account_number") or "")

        existing = RewardPreference.objects.select_for_update().filter(person=person).first()
        errors: dict[str, str] = {}
        if method not in RewardMethod.values:
            errors["method"] = _("Choose how you want to be rewarded.")
        if method == RewardMethod.DONATION and not charity_name:
            errors["charity_name"] = _("Give the name of the charity to donate to.")
        if method == RewardMethod.PAY_GROUP and not group_name:
            errors["group_name"] = _("Give the name of the group to pay.")
        if method == RewardMethod.BANK_TRANSFER:
            has_details = existing is not None and bool(existing.account_number)
            if not (account_name or sort_code or account_number) and has_details:
                assert existing is not None
                account_name = existing.account_name or ""
                sort_code = existing.sort_code or ""
                account_number = existing.account_number or ""
            if not account_name:
                errors["account_name"] = _("Give the name on the account.")
            elif len(account_name) > 100:
                errors["account_name"] = _("Use 100 characters or fewer for the name on the account.")
            if not re.fullmatch(r"\d{6}", sort_code):
                errors["sort_code"] = _("Give a sort code of 6 numbers, like 30-90-12.")
            if not re.fullmatch(r"\d{8}", account_number):
                errors["account_number"] = _("Give an account number of 8 numbers, like 00733445.")
        if len(charity_name) > 200:
            errors["charity_name"] = _("Use 200 characters or fewer.")
        if len(group_name) > 200:
            errors["group_name"] = _("Use 200 characters or fewer.")
        if errors:
            raise ValidationError(errors)

        preference = existing or RewardPreference(person=person)
        preference.method = method
        preference.charity_name = charity_name if method == RewardMethod.DONATION else ""
        preference.group_name = group_name if method == RewardMethod.PAY_GROUP else ""
        if method == RewardMethod.BANK_TRANSFER:
            preference.account_name, preference.sort_code, preference.account_number = (
                account_name,
                sort_code,
                account_number,
            )
        else:
            # Data we no longer need is not kept.
            preference.account_name = preference.sort_code = preference.account_number = None
        preference.save()
        return preference


# ---- Recognition --------------------------------------------------------------------------------


@transaction.atomic
def give_thanks(*, actor: User, organisation: Organisation, person: Person, contribution: str, message: str) -> Thanks:
    """A coordinator records thanks for something the person contributed; the member sees it.

    Only a coordinator or admin of ``organisation``, and only for someone who shares
    their details with it.
    """
    require(actor, organisation, COORDINATING)
    people_selectors.person_sharing_with(organisation, person)
    contribution, message = contribution.strip(), message.strip()
    errors: dict[str, str] = {}
    if not contribution:
        errors["contribution"] = _("Say what the thanks is for.")
    elif len(contribution) > 300:
        errors["contribution"] = _("Use 300 characters or fewer.")
    if not message:
        errors["message"] = _("Write your message of thanks.")
    elif len(message) > 2000:
        errors["message"] = _("Use 2,000 characters or fewer.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        return Thanks.objects.create(
            person=person, organisation=organisation, contribution=contribution, message=message, given_by=actor
        )
