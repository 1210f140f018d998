"""Reward choice, statements and recognition without money (C5).

- A member's default reward choice (each activity can still differ). Bank details are
  asked for only when the choice is a bank transfer, are stored encrypted and are shown
  afterwards masked; choosing another way deletes them, so we keep none we do not need.
- Statements by tax year (6 April to 5 April): fees and vouchers paid, and expenses
  repaid, kept apart, with totals per organisation and overall. The HMRC trading
  allowance is shown as information, never advice.
- Thanks recorded against a contribution, and a record of roles, sessions and thanks a
  member can download for a CV.

Money is Decimal throughout; totals are the sum of the lines, rounded once, half up.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import has_role
from withus.core import pdf
from withus.core.audit import acting_as, on_behalf_of
from withus.groups.models import Appointment
from withus.meetings.models import Attendance
from withus.people import selectors as people_selectors
from withus.people.models import AssistedAction, Person
from withus.people.services import check_may_act_for

from . import reference, rules, selectors
from .models import BenefitLimit, IncomeLine, RewardMethod, RewardPreference, Thanks

WELSH, ENGLISH = "cy", "en"
PAID_KINDS = (IncomeLine.Kind.FEE, IncomeLine.Kind.VOUCHER)
ZERO = Decimal("0.00")

# ---- Reward choice ------------------------------------------------------------------------------

PREFERENCE_FIELDS = frozenset({"method", "charity_name", "group_name", "account_name", "sort_code", "account_number"})
BANK_FIELDS = ("account_name", "sort_code", "account_number")
SEPARATORS = re.compile(r"[\s-]+")


def digits_only(value: str) -> str:
    """What was typed, without the spaces and dashes people write sort codes and numbers with."""
    return SEPARATORS.sub("", value or "")


def masked(value: str | None) -> str:
    """All but the last two digits hidden: enough to recognise the account, not to use it."""
    if not value:
        return ""
    return "•" * max(len(value) - 2, 0) + value[-2:]


def masked_sort_code(value: str | None) -> str:
    if not value:
        return ""
    return f"••-••-{value[-2:]}"


def preference_for(person: Person) -> RewardPreference | None:
    return RewardPreference.objects.filter(person=person).first()


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
    assisted = check_may_act_for(actor=actor, person=person, organisation=organisation)
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
    with acting_as(actor), on_behalf_of(person.pk if assisted else None):
        preference.save()
        if assisted:
            AssistedAction.objects.create(
                person=person,
                actor=actor,
                organisation=organisation,
                kind=AssistedAction.Kind.CHANGED_DETAILS,
                detail="reward",
            )
    return preference


# ---- Statements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """One fee, voucher or expense, as paid."""

    paid_on: date
    activity_date: date
    organisation_id: int
    organisation: str
    kind: str  # fee, voucher or expense
    kind_label: str
    description: str
    category: str  # the expense's category, in words; "" for fees and vouchers
    hours: Decimal
    amount: Decimal
    method: str  # how it was paid, in words; "" when not recorded


@dataclass(frozen=True)
class OrganisationTotal:
    organisation_id: int
    organisation: str
    payments: Decimal
    expenses: Decimal


@dataclass
class Statement:
    """What a person was paid (fees and vouchers) and repaid (expenses) in one tax year."""

    person: Person
    start: date
    end: date
    payments: list[StatementLine] = field(default_factory=list)
    expenses: list[StatementLine] = field(default_factory=list)
    trading_allowance: Decimal | None = None

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        """The tax year as people write it: 2025/26."""
        return tax_year_label(self.start.year)

    @property
    def payments_total(self) -> Decimal:
        return rules.money(sum((line.amount for line in self.payments), ZERO))

    @property
    def expenses_total(self) -> Decimal:
        return rules.money(sum((line.amount for line in self.expenses), ZERO))

    @property
    def by_organisation(self) -> list[OrganisationTotal]:
        names: dict[int, str] = {}
        payments: dict[int, Decimal] = defaultdict(lambda: ZERO)
        expenses: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for line in self.payments:
            names[line.organisation_id] = line.organisation
            payments[line.organisation_id] += line.amount
        for line in self.expenses:
            names[line.organisation_id] = line.organisation
            expenses[line.organisation_id] += line.amount
        return [
            OrganisationTotal(pk, names[pk], rules.money(payments[pk]), rules.money(expenses[pk]))
            for pk in sorted(names, key=lambda pk: (names[pk].lower(), pk))
        ]

    @property
    def is_empty(self) -> bool:
        return not self.payments and not self.expenses

    @property
    def language(self) -> str:
        return WELSH if self.person.prefers_welsh else ENGLISH


def tax_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def tax_year_bounds(start_year: int) -> tuple[date, date]:
    return rules.tax_year(date(start_year, 4, 6))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def paid_in(person: Person, start: date, end: date) -> QuerySet[IncomeLine]:
    """Paid lines whose payment fell, in Wales, between ``start`` and ``end`` inclusive.

    A paid line with no payment time (which should not happen) counts by the date of the
    activity, so that it is never left out.
    """
    after, before = _local_midnight(start), _local_midnight(end + timedelta(days=1))
    return (
        IncomeLine.objects.filter(person=person, status=IncomeLine.Status.PAID)
        .filter(
            Q(paid_at__gte=after, paid_at__lt=before)
            | Q(paid_at__isnull=True, activity_date__gte=start, activity_date__lte=end)
        )
        .select_related("organisation")
        .order_by("paid_at", "activity_date", "pk")
    )


def trading_allowance_on(day: date) -> Decimal | None:
    """The HMRC trading allowance in force on ``day``: the admin's table, else the shipped default."""
    row = rules.limit_on(selectors.all_limits(), BenefitLimit.Rule.TRADING_ALLOWANCE, day)
    if row is not None:
        return row.amount
    for rule, _period, amount, _hours, _taper, valid_from, valid_to, *_rest in reference.LIMITS:
        if rule == BenefitLimit.Rule.TRADING_ALLOWANCE and valid_from <= day and (valid_to is None or day <= valid_to):
            return amount
    return None


def _line(line: IncomeLine, language: str) -> StatementLine:
    paid_on = timezone.localdate(line.paid_at) if line.paid_at else line.activity_date
    return StatementLine(
        paid_on=paid_on,
        activity_date=line.activity_date,
        organisation_id=line.organisation.pk,
        organisation=line.organisation.display_name(language),
        kind=line.kind,
        kind_label=str(line.get_kind_display()),
        description=line.description,
        category=str(line.get_expense_category_display()) if line.expense_category else "",
        hours=line.hours,
        amount=line.amount,
        method=str(line.get_method_display()) if line.method else "",
    )


def statement(person: Person, tax_year_start: date) -> Statement:
    """Fees and vouchers paid, and expenses repaid, in the tax year starting on ``tax_year_start`` (6 April).

    Lines fall in the year of the day they were paid in Wales (not the day of the
    activity). Donations to charity and lines not yet paid are left out: they were not
    paid to the person. A year with nothing gives an empty statement.
    """
    if (tax_year_start.month, tax_year_start.day) != (4, 6):
        raise ValueError("a tax year starts on 6 April")
    start, end = rules.tax_year(tax_year_start)
    language = WELSH if person.prefers_welsh else ENGLISH
    result = Statement(person=person, start=start, end=end, trading_allowance=trading_allowance_on(start))
    with translation.override(language):
        for line in paid_in(person, start, end):
            if line.kind in PAID_KINDS:
                result.payments.append(_line(line, language))
            elif line.kind == IncomeLine.Kind.EXPENSE:
                result.expenses.append(_line(line, language))
    return result


def statement_years(person: Person, today: date) -> list[int]:
    """Tax years (by their starting year) with anything paid, and the current one; newest first."""
    years = {rules.tax_year(today)[0].year}
    for paid_at, activity_date in IncomeLine.objects.filter(person=person, status=IncomeLine.Status.PAID).values_list(
        "paid_at", "activity_date"
    ):
        day = timezone.localdate(paid_at) if paid_at else activity_date
        years.add(rules.tax_year(day)[0].year)
    return sorted(years, reverse=True)


CSV_COLUMNS = [
    "section",
    "paid_on",
    "activity_date",
    "organisation",
    "kind",
    "description",
    "expense_category",
    "hours",
    "amount",
    "paid_by",
]


def statement_csv(statement: Statement) -> str:
    """The statement as CSV (UTF-8, comma separated, a header row, one row per line).

    Columns:

    - ``section``: ``payment`` (a fee or voucher paid), ``expense`` (an expense repaid),
      ``organisation_total`` or ``total``
    - ``paid_on``: the date it was paid, in Wales (YYYY-MM-DD); blank on total rows
    - ``activity_date``: the date of the activity it was for (YYYY-MM-DD); blank on total rows
    - ``organisation``: the organisation that paid; blank on the overall total rows
    - ``kind``: ``fee``, ``voucher`` or ``expense``; on total rows, ``payments`` or ``expenses``
    - ``description``: what it was for
    - ``expense_category``: for expenses, the kind of expense in words
    - ``hours``: paid hours, for fees and vouchers
    - ``amount``: pounds and pence with two decimal places, no currency sign (e.g. ``1234.50``)
    - ``paid_by``: how it was paid (bank transfer, cash ...), when recorded

    Total rows follow the lines: for each organisation one ``organisation_total`` row
    for payments and one for expenses, then two ``total`` rows. Amounts add up exactly.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for section, lines in (("payment", statement.payments), ("expense", statement.expenses)):
        for line in lines:
            writer.writerow(
                [
                    section,
                    line.paid_on.isoformat(),
                    line.activity_date.isoformat(),
                    line.organisation,
                    line.kind,
                    line.description,
                    line.category,
                    f"{line.hours:.2f}" if line.kind != IncomeLine.Kind.EXPENSE else "",
                    f"{line.amount:.2f}",
                    line.method,
                ]
            )
    for total in statement.by_organisation:
        writer.writerow(
            ["organisation_total", "", "", total.organisation, "payments", "", "", "", f"{total.payments:.2f}", ""]
        )
        writer.writerow(
            ["organisation_total", "", "", total.organisation, "expenses", "", "", "", f"{total.expenses:.2f}", ""]
        )
    writer.writerow(["total", "", "", "", "payments", "", "", "", f"{statement.payments_total:.2f}", ""])
    writer.writerow(["total", "", "", "", "expenses", "", "", "", f"{statement.expenses_total:.2f}", ""])
    return out.getvalue()


def statement_html(statement: Statement, *, today: date | None = None) -> str:
    """The statement's HTML for print, in the person's language."""
    with translation.override(statement.language):
        return render_to_string(
            "rewards/statements/statement.html",
            {
                "lang": statement.language,
                "large_print": statement.person.needs_large_print,
                "name": statement.person.full_name,
                "statement": statement,
                "today": today or timezone.localdate(),
            },
        )


def statement_pdf(statement: Statement) -> bytes:
    """The statement as a tagged PDF."""
    return pdf.render_pdf(statement_html(statement), settings.SITE_URL)


# ---- Recognition --------------------------------------------------------------------------------


@transaction.atomic
def give_thanks(*, actor: User, organisation: Organisation, person: Person, contribution: str, message: str) -> Thanks:
    """A coordinator records thanks for something the person contributed; the member sees it.

    Only a coordinator or admin of ``organisation``, and only for someone who shares
    their details with it.
    """
    if not has_role(actor, organisation, *COORDINATING):
        raise PermissionDenied
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


def thanks_for(person: Person) -> QuerySet[Thanks]:
    return Thanks.objects.filter(person=person).select_related("organisation", "given_by")


@dataclass(frozen=True)
class YearOfSessions:
    year: int
    sessions: int
    hours: Decimal


@dataclass
class Record:
    """Roles held, sessions attended and thanks received: for a CV or a reference."""

    person: Person
    roles: list[Appointment]
    sessions: list[YearOfSessions]
    thanks: list[Thanks]

    @property
    def language(self) -> str:
        return WELSH if self.person.prefers_welsh else ENGLISH


def sessions_by_year(person: Person) -> list[YearOfSessions]:
    """Sessions attended, and their hours (time present if recorded, else the session's length), by calendar year."""
    counts: dict[int, int] = defaultdict(int)
    minutes: dict[int, int] = defaultdict(int)
    attended = Attendance.objects.filter(person=person, status=Attendance.Status.ATTENDED).values_list(
        "session__starts_at", "session__ends_at", "minutes_present"
    )
    for starts_at, ends_at, present in attended:
        year = timezone.localtime(starts_at).year
        counts[year] += 1
        minutes[year] += present if present is not None else int((ends_at - starts_at).total_seconds() // 60)
    return [
        YearOfSessions(year, counts[year], rules.money(Decimal(minutes[year]) / Decimal(60)))
        for year in sorted(counts, reverse=True)
    ]


def record(person: Person) -> Record:
    roles = list(
        Appointment.objects.filter(person=person).select_related("group__organisation").order_by("-term_start", "pk")
    )
    return Record(person=person, roles=roles, sessions=sessions_by_year(person), thanks=list(thanks_for(person)))


def record_html(person: Person, *, today: date | None = None) -> str:
    contents = record(person)
    with translation.override(contents.language):
        return render_to_string(
            "rewards/statements/record.html",
            {
                "lang": contents.language,
                "large_print": person.needs_large_print,
                "name": person.full_name,
                "record": contents,
                "roles": [_role(a, contents.language) for a in contents.roles],
                "today": today or timezone.localdate(),
            },
        )


def _role(appointment: Appointment, language: str) -> dict[str, Any]:
    group = appointment.group
    name = group.name_cy if language == WELSH and group.name_cy else group.name
    return {
        "group": name,
        "organisation": group.organisation.display_name(language),
        "seat": appointment.get_seat_display(),
        "start": appointment.term_start,
        "end": appointment.ended_on,
        "planned_end": appointment.planned_end,
    }


def record_pdf(person: Person) -> bytes:
    """The record for a CV as a tagged PDF, in the person's language."""
    return pdf.render_pdf(record_html(person), settings.SITE_URL)
