"""What leaving well holds about a person: the thank-yous and step-down roles they were offered, and
their answers. Offers naming them as the new member to mentor are the leaver's, and keep only
that someone was named."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from .models import LeavingOffer

OFFER_FIELDS = {
    "organisation": _("Organisation"),
    "served_as": _("Role served in"),
    "served_from": _("Served from"),
    "served_until": _("Served until"),
    "step_down": _("Step-down role offered"),
    "message": _("A word of thanks"),
    "offered_at": _("Offered"),
    "answer": _("Your answer"),
    "answered_at": _("Answered"),
}


def export(person: Person) -> list[Section]:
    def offer(item: LeavingOffer) -> Record:
        return record(
            organisation=item.organisation.name,
            served_as=item.served_as,
            served_from=item.served_from,
            served_until=item.served_until,
            step_down=item.step_down,
            message=item.message,
            offered_at=item.offered_at,
            answer=item.answer,
            answered_at=item.answered_at,
        )

    offers = LeavingOffer.objects.filter(person=person).select_related("organisation")
    return [
        Section(
            "leaving_offers",
            _("Thank-yous and step-down roles offered to you"),
            OFFER_FIELDS,
            records(offers.order_by("offered_at", "pk"), offer),
        )
    ]


def erase(person: Person) -> None:
    remove(LeavingOffer.objects.filter(person=person))
    LeavingOffer.objects.filter(new_member=person).update(new_member=None)
