"""Writes for fees and expenses: rate cards, fees offered by hand or from attendance, expense claims (PRODUCT C5).

Every amount comes from ``rules`` (fee lines, mileage) and is Decimal, rounded once.
A fee is only ever offered: the member sees it, and the benefits guard's view of it,
before they accept (``offer_fee`` here, then ``guard.services.choose``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, COORDINATING
from withus.accounts.selectors import require
from withus.core import uploads
from withus.core.audit import acting_as
from withus.meetings.models import Attendance
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.people.services import acting_for
from withus.rewards import descriptions, reference, rules
from withus.rewards.models import RECEIPT_TYPES, ActivityType, ExpenseCategory, IncomeLine, RateCard, RewardMethod
from withus.rewards.statements.selectors import preference_for

from . import selectors

MAX_FEE = Decimal("5000.00")  # a single fee above this is almost certainly a typing mistake
MAX_HOURS = Decimal("24")
MAX_EXPENSE = Decimal("1000.00")  # one expense above this is almost certainly a typing mistake
MAX_RECEIPT_BYTES = 10 * 1024 * 1024
NEEDS_AGREEMENT = frozenset({ExpenseCategory.TAXI, ExpenseCategory.ACCOMMODATION})
RATE_CARD_FIELDS = (
    "activity_type",
    "level",
    "hourly_rate",
    "preparation_ratio",
    "travel_time_over_minutes",
    "chair_uplift_percent",
    "valid_from",
    "valid_to",
)
# HEIC/HEIF files are ISO media files: "ftyp" at byte 4, then one of these brands.


# ---- Rate cards -------------------------------------------------------------------------------


@transaction.atomic
def set_rate_card(*, actor: User, organisation: Organisation, fields: dict[str, Any]) -> RateCard:
    """An admin adds a dated rate card. At least the Real Living Wage; no two cards for one day."""
    require(actor, organisation, ADMINISTERING)
    unknown = set(fields) - set(RATE_CARD_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    card = RateCard(organisation=organisation, **fields)
    card.full_clean(exclude=["organisation"])
    errors: dict[str, str] = {}
    if card.valid_to is not None and card.valid_to < card.valid_from:
        errors["valid_to"] = _("The end date must be on or after the start date.")
    living_wage = reference.real_living_wage_on(card.valid_from)
    if (
        card.activity_type not in rules.NO_FEE_ACTIVITIES
        and living_wage is not None
        and card.hourly_rate < living_wage[0]
    ):
        errors["hourly_rate"] = _(
            "The rate must be at least the Real Living Wage, £%(wage)s an hour on %(date)s (%(source)s)."
        ) % {"wage": living_wage[0], "date": date_format(card.valid_from), "source": living_wage[1]}
    if card.level is not None and not 1 <= card.level <= 6:
        errors["level"] = _("Choose a level from 1 to 6, or leave it blank for every level.")
    existing = RateCard.objects.select_for_update().filter(organisation=organisation)
    if "valid_to" not in errors and rules.rate_cards_overlap(list(existing), card):
        errors["valid_from"] = _(
            "These dates overlap another card for the same activity and level. End the other card first."
        )
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        card.save()
    return card


# ---- The activity's date ----------------------------------------------------------------------


def activity_date_problem(day: date, *, kind: str) -> str | None:
    """What is wrong with ``day`` as the date of the activity a line of ``kind`` is for, if anything.

    Every way a fee or an expense is made asks here: a member's claim, a coordinator's
    claim for them, a fee offered by hand or from attendance, cash repaid on the day.
    Nothing before ``rules.earliest_activity_date`` (the start of the last tax year, which
    says why). An expense repays money already spent, so it cannot be in the future; a fee
    or voucher can be offered before the activity.
    """
    today = timezone.localdate()
    earliest = rules.earliest_activity_date(today)
    if day < earliest:
        if kind == IncomeLine.Kind.EXPENSE:
            message = _("Claims must be for an activity on or after %(date)s. Check the date.")
        else:
            message = _("Fees must be for an activity on or after %(date)s. Check the date.")
        return message % {"date": date_format(earliest, "j F Y")}
    if kind == IncomeLine.Kind.EXPENSE and day > today:
        return _("The date of the activity cannot be in the future.")
    return None


# ---- Offering a fee by hand ------------------------------------------------------------------


def check_fee_may_be_offered(person: Person) -> None:
    """Refuse (``ValidationError``) a fee or voucher for someone whose reward choice takes none (``rules``)."""
    preference = preference_for(person)
    choice = preference.method if preference is not None else None
    if choice is not None and not rules.fee_may_be_offered(choice):
        raise ValidationError(
            _("%(name)s has chosen “%(choice)s”. One activity is not split into a paid and a voluntary part.")
            % {"name": person.full_name, "choice": RewardMethod(choice).label}
        )


@transaction.atomic
def offer_fee(
    *,
    actor: User,
    organisation: Organisation,
    person: Person,
    description: str,
    amount: Decimal,
    activity_date: date,
    hours: Decimal = Decimal("0"),
    kind: str = IncomeLine.Kind.FEE,
    terms: dict[str, Any] | None = None,
) -> IncomeLine:
    """A coordinator offers a fee or voucher. The member sees the guard's view before accepting.

    Every way of offering a fee comes here (the page, the fee an attendance earns),
    so nobody who chose to volunteer or to have expenses only is offered one, and no
    fee pays its hours less than the hourly minimum (``fee_below_minimum``).
    ``terms`` is what the offer is worked out from (``descriptions``), if anything.
    """
    require(actor, organisation, COORDINATING)
    people_selectors.person_sharing_with(organisation, person)
    check_fee_may_be_offered(person)
    errors: dict[str, str] = {}
    if amount < 0 or amount > MAX_FEE:
        errors["amount"] = _("Give an amount from £0 to £%(max)s.") % {"max": MAX_FEE}
    if hours < 0 or hours > MAX_HOURS:
        errors["hours"] = _("Give the hours, from 0 to 24.")
    if kind not in (IncomeLine.Kind.FEE, IncomeLine.Kind.VOUCHER):
        errors["kind"] = _("Offer a fee or a voucher.")
    if problem := activity_date_problem(activity_date, kind=kind):
        errors["activity_date"] = problem
    if (
        "amount" not in errors
        and "hours" not in errors
        and (problem := fee_below_minimum(amount=amount, hours=hours, day=activity_date))
    ):
        errors["amount"] = problem
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        line = IncomeLine(
            person=person,
            organisation=organisation,
            kind=kind,
            description=description,
            amount=rules.money(amount),
            hours=hours,
            activity_date=activity_date,
            terms=terms or {},
        )
        if terms:
            line.description = describe_in_house_language(line)
        line.full_clean()
        line.save()
    return line


# ---- The hourly minimum: one activity is never split into a paid and a voluntary part ----------


def hourly_minimum(day: date) -> tuple[Decimal, str]:
    """The least an hour of paid time may be paid on ``day``, and what that figure is.

    The Real Living Wage in force that day: the floor every rate card keeps to
    (``set_rate_card``), and the "national hourly minimum rate" that 002 §5 says a low
    fee must still pay for every hour. No figure on record (before the first one) is £0.
    """
    living_wage = reference.real_living_wage_on(day)
    if living_wage is None:
        return Decimal("0.00"), ""
    return living_wage[0], _("the Real Living Wage")


def fee_below_minimum(*, amount: Decimal, hours: Decimal, day: date) -> str | None:
    """Why a fee of ``amount`` for ``hours`` of paid time on ``day`` is too little, if it is (``rules.lowest_fee``)."""
    rate, what = hourly_minimum(day)
    least = rules.lowest_fee(hours, rate)
    if amount >= least:
        return None
    return ngettext(
        "A fee for %(hours)s hour must be at least £%(least)s (£%(rate)s an hour, %(what)s). Less would pay for "
        "part of the time and leave the rest as volunteering, and one activity is not split that way. Offer "
        "fewer hours, or at least £%(least)s.",
        "A fee for %(hours)s hours must be at least £%(least)s (£%(rate)s an hour, %(what)s). Less would pay for "
        "part of the time and leave the rest as volunteering, and one activity is not split that way. Offer "
        "fewer hours, or at least £%(least)s.",
        descriptions.hours_count(hours),
    ) % {"hours": descriptions.hours_text(hours), "least": least, "rate": rate, "what": what}


# ---- A member changes an offer: fewer hours, or a lower fee -----------------------------------


class FeeChangeRefused(ValidationError):
    """A change that would split one activity into a paid and a voluntary part, refused with why, in plain words.

    It is a ``ValidationError`` about the field asked for (``hours`` or ``amount``), so
    the page shows it next to the field; ``allowed`` names the choices that keep the
    activity whole (``rules.WHOLE_ACTIVITY_CHOICES``), which the API sends as they are.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.allowed = list(rules.WHOLE_ACTIVITY_CHOICES)
        super().__init__(
            {
                field: _(
                    "%(reason)s One activity cannot be split into a paid part and a voluntary part. Instead you "
                    "can take part for fewer hours, give the fee to a charity, have expenses only, or decline the "
                    "fee for the whole activity."
                )
                % {"reason": reason}
            }
        )


def least_lower_fee(line: IncomeLine) -> Decimal:
    """The least a lower fee for ``line`` may be: the hourly minimum for every hour it pays."""
    rate, _what = hourly_minimum(line.activity_date)
    return rules.lowest_fee(line.hours, rate)


def change_offer(*, actor: User, line: IncomeLine, choice: str, hours: Decimal | None, amount: Decimal | None) -> None:
    """Apply the member's "fewer hours" or "lower fee" to ``line`` (locked, saved by the caller), or refuse it.

    Every path that records a member's answer comes here (``guard.services.choose``: the
    offer page and the API), so the rule is checked once (002 §5, ``rules``):

    - fewer hours means taking part for fewer hours, all of them paid: the attendance the
      fee is for then shows those hours and the fee is worked out again from them; a fee
      offered by hand follows the hours pro rata, and never below the hourly minimum;
    - a lower fee still pays every paid hour at least the hourly minimum.

    ``terms["change"]`` keeps what was first offered, so the description says both.
    """
    terms = dict(line.terms or {})
    change: dict[str, Any] = {
        "choice": choice,
        "offered_amount": str(line.amount),
        "offered_hours": str(line.hours),
        "offered_taking_part": str(descriptions.hours_taking_part(line)),
        # What the coordinator typed: the description column is written again below.
        "description": line.description,
    }
    if choice == "fewer_hours":
        taking_part = descriptions.hours_taking_part(line)
        hours_text = descriptions.hours_text(taking_part)
        not_fewer = ValidationError(
            {
                "hours": ngettext(
                    "Give fewer hours than the %(hours)s hour offered, and more than 0.",
                    "Give fewer hours than the %(hours)s hours offered, and more than 0.",
                    descriptions.hours_count(taking_part),
                )
                % {"hours": hours_text}
            }
        )
        if hours is None or rules.fewer_hours_refusal(taking_part=taking_part, asked=hours):
            raise not_fewer
        fee = terms.get("fee")
        if fee:
            minutes = rules.minutes_in(hours)
            if not 0 < minutes < int(fee["minutes"]):
                raise not_fewer
            terms["fee"] = {**fee, "minutes": minutes}
            worked_out = descriptions.breakdown(terms["fee"])
            line.amount = worked_out.total
            line.hours = worked_out.paid_hours.quantize(rules.PENNY)
            if line.attendance_id is not None:
                attendance = Attendance.objects.select_for_update().get(pk=line.attendance_id)
                with acting_as(actor):
                    attendance.minutes_present = minutes
                    attendance.save(update_fields=["minutes_present"])
        else:
            rate, _what = hourly_minimum(line.activity_date)
            line.amount = max(
                rules.pro_rata(line.amount, hours=hours, of_hours=line.hours), rules.lowest_fee(hours, rate)
            )
            line.hours = hours
    elif choice == "lower_fee":
        rate, what = hourly_minimum(line.activity_date)
        refusal = (
            "not_lower"
            if amount is None
            else rules.lower_fee_refusal(offered=line.amount, asked=amount, hours=line.hours, hourly_minimum=rate)
        )
        if refusal == "not_lower":
            raise ValidationError(
                {"amount": _("Give a fee lower than offered (£%(amount)s).") % {"amount": line.amount}}
            )
        assert amount is not None
        if refusal == "below_minimum":
            raise FeeChangeRefused(
                "amount",
                ngettext(
                    "£%(asked)s is less than £%(least)s, the least a fee for %(hours)s hour can be (£%(rate)s an "
                    "hour, %(what)s). A lower fee than that would pay for only part of the activity.",
                    "£%(asked)s is less than £%(least)s, the least a fee for %(hours)s hours can be (£%(rate)s an "
                    "hour, %(what)s). A lower fee than that would pay for only part of the activity.",
                    descriptions.hours_count(line.hours),
                )
                % {
                    "asked": rules.money(amount),
                    "least": rules.lowest_fee(line.hours, rate),
                    "hours": descriptions.hours_text(line.hours),
                    "rate": rate,
                    "what": what,
                },
            )
        line.amount = rules.money(amount)
    else:
        raise ValueError(f"not a change to an offer: {choice}")
    terms["change"] = change
    line.terms = terms
    line.description = describe_in_house_language(line)


# ---- The fee for an attendance ----------------------------------------------------------------


def describe_in_house_language(line: IncomeLine) -> str:
    """The description kept in the ``description`` column: the installation's language, cut to fit.

    It is only a fallback (the admin, a search): every page, file and API answer describes the
    line when it is read, in the reader's language (``IncomeLine.shown_description``).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return line.shown_description[:300]


@transaction.atomic
def offer_fee_for_attendance(
    *,
    actor: User,
    attendance: Attendance,
    travel_minutes: int = 0,
    activity_type: str = ActivityType.MEETING,
) -> tuple[IncomeLine, rules.FeeBreakdown]:
    """A coordinator offers the fee an attendance earns, from the rate card in force that day.

    The fee is offered, not paid: the member sees it and the benefits guard's view
    before accepting. Attendance is the evidence (PRODUCT C5), so only "attended"
    earns a fee, and only once. ``minutes_present`` when recorded, else the session's
    planned length. A person whose choice is to volunteer or claim expenses only is not
    offered a fee: one activity is never split into a paid and a voluntary part (002 §5).
    """
    # Lock the attendance so two presses of "Offer the fee" cannot both find no fee.
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("session__opportunity", "person")
        .get(pk=attendance.pk)
    )
    session = attendance.session
    organisation = session.organisation
    require(actor, organisation, COORDINATING)
    if attendance.status != Attendance.Status.ATTENDED:
        raise ValidationError(_("A fee needs the person to have attended."))
    if travel_minutes < 0 or travel_minutes > 24 * 60:
        raise ValidationError({"travel_minutes": _("Give the travel time there and back, in minutes, from 0.")})
    if activity_type in rules.NO_FEE_ACTIVITIES:
        raise ValidationError(_("No fee is paid for receiving information or for open consultations."))
    # Any fee line counts, even one the member donated or declined: they have answered that offer.
    if IncomeLine.objects.filter(attendance=attendance).exclude(kind=IncomeLine.Kind.EXPENSE).exists():
        raise ValidationError(_("A fee has already been offered for this attendance."))
    # Checked again when the fee is offered, but before the rate card, which cannot help.
    check_fee_may_be_offered(attendance.person)
    day = timezone.localdate(session.starts_at)
    # Checked again when the fee is offered, but before the rate card, which cannot help either.
    if problem := activity_date_problem(day, kind=IncomeLine.Kind.FEE):
        raise ValidationError(problem)
    opportunity = session.opportunity
    level = opportunity.level if opportunity is not None else None
    card = rules.rate_in_force(RateCard.objects.filter(organisation=organisation), activity_type, level, day)
    if card is None:
        raise ValidationError(
            _("No rate card is in force on %(date)s for this activity. Add one on the rate cards page.")
            % {"date": date_format(day)}
        )
    if attendance.minutes_present is not None:
        minutes = attendance.minutes_present
    else:
        minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    breakdown = rules.fee_for(
        minutes,
        rate=card.hourly_rate,
        role=attendance.role,
        representative=opportunity is not None and opportunity.view == "representative",
        travel_minutes=travel_minutes,
        card=card,
    )
    terms = {
        "fee": descriptions.fee_terms(
            title=session.title,
            title_cy=session.title_cy,
            day=day,
            card=card,
            rate=card.hourly_rate,
            role=attendance.role,
            representative=opportunity is not None and opportunity.view == "representative",
            travel_minutes=travel_minutes,
            minutes=minutes,
        )
    }
    line = offer_fee(
        actor=actor,
        organisation=organisation,
        person=attendance.person,
        description=session.title,
        amount=breakdown.total,
        activity_date=day,
        hours=breakdown.paid_hours.quantize(rules.PENNY),
        terms=terms,
    )
    with acting_as(actor):
        line.attendance = attendance
        line.save(update_fields=["attendance"])
    return line, breakdown


# ---- Expenses ---------------------------------------------------------------------------------


def receipt_kind(file: File[bytes]) -> str | None:
    """A receipt's real type from its first bytes, never its name: a key of ``RECEIPT_TYPES``, or None."""
    return uploads.kind_of(file, RECEIPT_TYPES)


def receipt_problem(upload: UploadedFile) -> str | None:
    """Why an uploaded receipt is refused, if it is: over 10 MB, or not a photo or a PDF by its content."""
    if upload.size is not None and upload.size > MAX_RECEIPT_BYTES:
        return _("The receipt must be 10 MB or smaller.")
    if receipt_kind(upload) is None:
        return _("The receipt must be a photo (JPEG, PNG or HEIC) or a PDF.")
    return None


def attach_receipt(line: IncomeLine, upload: UploadedFile) -> None:
    """Store a checked receipt with ``line`` (not saved yet) under a generated name of its real type.

    The name it was sent with is kept only to show the people who may see it (and is
    escaped wherever it is shown): names of phone photos and scans can carry addresses
    or other people's details, and a name is no evidence of what a file is.
    """
    kind = receipt_kind(upload)
    assert kind is not None, "check the receipt with receipt_problem first"
    line.receipt_name = uploads.display_name(upload.name or "")
    line.receipt.save(f"receipt{RECEIPT_TYPES[kind].extension}", upload, save=False)


class PossibleDuplicate(ValidationError):
    """The claim looks like one the person has already made (``selectors.likely_duplicates``): ask before sending it.

    It is a ``ValidationError`` about ``confirm_duplicate``, so a caller that does not
    ask simply refuses it; the claim page and the API ask, and send it again confirmed.
    """

    def __init__(self, duplicate_of: list[int]) -> None:
        self.duplicate_of = duplicate_of
        super().__init__(
            {
                "confirm_duplicate": _(
                    "This looks like a claim already made for the same day and the same amount or miles. "
                    "Send it only if it is another journey or another cost."
                )
            }
        )


@transaction.atomic
def claim_expense(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    category: str,
    activity_date: date,
    amount: Decimal | None = None,
    miles: Decimal | None = None,
    passengers: int = 0,
    receipt: UploadedFile | None = None,
    agreed_beforehand: bool = False,
    attendance: Attendance | None = None,
    description: str = "",
    confirm_duplicate: bool = False,
) -> IncomeLine:
    """A member (or a coordinator acting for them, with their consent) claims an expense.

    Mileage is worked out from the HMRC rate in force on the day and the miles the
    person has already claimed this tax year; anything else is the amount paid. The
    claim waits for the budget holder's approval ("submitted").

    A claim that looks like one already made (the same day and amount, or miles) is
    not refused, since a second journey is real, but it is only sent with
    ``confirm_duplicate``; otherwise ``PossibleDuplicate`` says which claims it looks like.
    """
    # The member claims for themself; a coordinator only with their consent to act for them.
    with acting_for(actor=actor, person=person, organisation=organisation):
        people_selectors.person_sharing_with(organisation, person)
        errors: dict[str, str] = {}
        if category not in ExpenseCategory.values:
            raise ValidationError({"category": _("Choose what the expense is for.")})
        if problem := activity_date_problem(activity_date, kind=IncomeLine.Kind.EXPENSE):
            errors["activity_date"] = problem
        if category in NEEDS_AGREEMENT and not agreed_beforehand:
            errors["agreed_beforehand"] = _(
                "A taxi or accommodation must be agreed with the organisation beforehand. Ask your contact first."
            )
        elif organisation.expenses_need_agreement and not agreed_beforehand:
            errors["agreed_beforehand"] = _(
                "%(organisation)s asks for expenses to be agreed beforehand. Tick the box if they were."
            ) % {"organisation": organisation}
        if attendance is not None and (
            attendance.person_id != person.pk or attendance.session.organisation_id != organisation.pk
        ):
            raise PermissionDenied
        if category == ExpenseCategory.MILEAGE:
            if miles is None or not Decimal("0") < miles <= rules.MAX_MILES_PER_CLAIM:
                errors["miles"] = _("Give the miles there and back, more than 0 and at most 500.")
            if not 0 <= passengers <= rules.MAX_PASSENGERS:
                errors["passengers"] = _("Give the number of passengers, from 0 to 8.")
            rate = selectors.mileage_rate_on(activity_date)
            if rate is None and "activity_date" not in errors:
                errors["activity_date"] = _("There is no mileage rate for that date. Ask your contact.")
            if errors:
                raise ValidationError(errors)
            assert miles is not None and rate is not None
            mileage = rules.mileage_amount(
                miles,
                passengers,
                rate=rules.MileageRates(rate.first_10000_pence, rate.after_pence, rate.passenger_pence),
                miles_already_this_tax_year=selectors.miles_claimed_in_tax_year(person, organisation, activity_date),
            )
            amount = mileage.amount
        else:
            if amount is None or amount <= 0 or amount > MAX_EXPENSE:
                errors["amount"] = _("Give the amount you paid, more than £0 and at most £%(max)s.") % {
                    "max": MAX_EXPENSE
                }
            miles, passengers = None, 0
        if receipt is not None and (problem := receipt_problem(receipt)):
            errors["receipt"] = problem
        if errors:
            raise ValidationError(errors)
        assert amount is not None
        # Stored in the installation's language, not the claimant's: staff and payment files read it.
        with translation.override(settings.LANGUAGE_CODE):
            label = str(ExpenseCategory(category).label)
        line = IncomeLine(
            person=person,
            organisation=organisation,
            kind=IncomeLine.Kind.EXPENSE,
            expense_category=category,
            description=(description or label)[:300],
            amount=rules.money(amount),
            activity_date=activity_date,
            status=IncomeLine.Status.SUBMITTED,
            submitted_at=timezone.now(),
            miles=miles,
            passengers=passengers,
            agreed_beforehand=agreed_beforehand,
            attendance=attendance,
        )
        # Before the receipt is stored: a claim not sent leaves no file behind.
        [duplicate_of] = selectors.likely_duplicates([line])
        if duplicate_of and not confirm_duplicate:
            raise PossibleDuplicate(duplicate_of)
        if receipt is not None:
            attach_receipt(line, receipt)
        line.full_clean()
        line.save()
        return line
