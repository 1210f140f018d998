"""What support adds to the letters an organisation sends a member: who their support contact is,
and how to reach them (``withus.core.letters.notes_for``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from withus.accounts.models import Organisation

from . import selectors
from .preparation import letters as preparation_letters


def notes(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    """For each (person id, organisation id) with a support contact, one line naming them and their e-mail."""
    contacts = selectors.support_contacts_of(pairs)
    phones = dict(Organisation.objects.filter(pk__in={o for _p, o in contacts}).values_list("pk", "contact_phone"))
    lines: dict[tuple[int, int], list[str]] = {}
    for key, staff in contacts.items():
        name = staff.get_full_name() or staff.email
        line = _("Your support contact is %(name)s: e-mail %(email)s.") % {"name": name, "email": staff.email}
        phone = phones.get(key[1])
        if phone:
            line += " " + _("Or phone %(phone)s and ask for them.") % {"phone": phone}
        lines[key] = [line]
    return lines


def session_notes(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    """For each (person id, session id), the briefing and meet-and-greet they are offered (preparation)."""
    return preparation_letters.session_notes(pairs)
