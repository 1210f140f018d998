"""The letter a member can give their benefits office (C5 benefits guard).

It describes the member's involvement and lists the fees and vouchers of the last three
months, in the member's language, as a tagged PDF. It gives facts, never advice: how the
rules apply is for the benefits office to decide.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation
from withus.core import pdf
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.rewards import rules
from withus.rewards.models import IncomeLine

LETTER_MONTHS = 3
WELSH, ENGLISH = "cy", "en"
# Fees and vouchers count as income (vouchers too); declined offers, donations and expenses do not appear.
LETTER_KINDS = (IncomeLine.Kind.FEE, IncomeLine.Kind.VOUCHER)
LETTER_STATUSES = (
    IncomeLine.Status.OFFERED,
    IncomeLine.Status.ACCEPTED,
    IncomeLine.Status.APPROVED,
    IncomeLine.Status.PAID,
)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the last day of a shorter month)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class LetterContents:
    person: Person
    start: date
    end: date
    lines: list[IncomeLine]
    organisations: list[Organisation]

    @property
    def total(self) -> Decimal:
        return rules.money(sum((line.amount for line in self.lines), Decimal("0")))

    @property
    def language(self) -> str:
        return WELSH if self.person.prefers_welsh else ENGLISH


def letter_contents(person: Person, *, today: date) -> LetterContents:
    """The fees and vouchers of the last three months (by the date of the activity) and the organisations."""
    start = months_before(today, LETTER_MONTHS)
    lines = list(
        IncomeLine.objects.filter(
            person=person,
            kind__in=LETTER_KINDS,
            status__in=LETTER_STATUSES,
            activity_date__gte=start,
            activity_date__lte=today,
        )
        .select_related("organisation")
        .order_by("activity_date", "pk")
    )
    organisations = {line.organisation.pk: line.organisation for line in lines}
    for organisation in people_selectors.organisations_shared_with(person):
        organisations.setdefault(organisation.pk, organisation)
    return LetterContents(
        person=person,
        start=start,
        end=today,
        lines=lines,
        organisations=sorted(organisations.values(), key=lambda o: o.name.lower()),
    )


def names_in_words(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C" (current language)."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def benefits_letter_html(person: Person, *, today: date | None = None) -> str:
    """The letter's HTML, in the person's language."""
    contents = letter_contents(person, today=today or timezone.localdate())
    language = contents.language
    with translation.override(language):
        return render_to_string(
            "rewards/letter.html",
            {
                "lang": language,
                "large_print": person.needs_large_print,
                "person": person,
                "name": person.full_name,
                "address_lines": person.address_lines(),
                "perspective": person.perspective,
                "today": contents.end,
                "start": contents.start,
                "lines": contents.lines,
                "total": contents.total,
                "organisation_names": names_in_words([o.display_name(language) for o in contents.organisations])
                or _("organisations that use WithUs"),
                "organisations": [
                    {"name": o.display_name(language), "phone": o.contact_phone, "email": o.contact_email}
                    for o in contents.organisations
                ],
            },
        )


def benefits_letter_pdf(person: Person, *, today: date | None = None) -> bytes:
    """The letter for the benefits office as a tagged PDF."""
    return pdf.render_pdf(benefits_letter_html(person, today=today), settings.SITE_URL)
