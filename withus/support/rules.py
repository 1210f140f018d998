"""The rules of support, as pure functions: who may support whom, when a call is due, and who the
weekly digest lists (PRODUCT C6; 001 §Support and supervision, §Post Meeting Expectations).

Nothing here reads the database: the services and selectors gather the facts, these
functions decide, and the tests try them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SUPPORT_CONTACT = "support_contact"
SUPERVISOR = "supervisor"


def independence_refusal(*, part: str, staff_id: int, other_part_staff_id: int | None) -> Promise | None:
    """Why ``staff_id`` may not take ``part`` for a member, or None if they may.

    A member's supervisor is independent of their support contact (001 §Support and
    supervision): the person who supports them is never the one who supervises their
    work, so that they can talk about the work to someone who does not judge it, and the
    other way round. ``other_part_staff_id`` is who holds the other part now.
    """
    if other_part_staff_id is None or other_part_staff_id != staff_id:
        return None
    if part == SUPPORT_CONTACT:
        return _(
            "This person is already the member's supervisor. A supervisor cannot also be their support contact: "
            "choose someone else, or change the supervisor first."
        )
    return _(
        "This person is already the member's support contact. A support contact cannot also be their supervisor: "
        "choose someone else, or change the support contact first."
    )


def cover_refusal(*, today: date, until: date | None) -> Promise | None:
    """Why cover ``until`` a date cannot be arranged, or None. Cover with no end date is a permanent handover."""
    if until is not None and until <= today:
        return _("The date cover ends must be after today.")
    return None


def supervision_due_on(*, last_on: date | None, since: date, every_weeks: int) -> date:
    """When a member's next supervision is due: ``every_weeks`` after the last, or after they came to the supervisor."""
    return (last_on or since) + timedelta(weeks=every_weeks)


def supervision_refusal(*, on: date, today: date) -> Promise | None:
    """Why a supervision cannot be recorded on ``on``, or None: it is recorded once held, never ahead."""
    if on > today:
        return _("A supervision is recorded once it has been held: the date cannot be in the future.")
    return None


def review_date_refusal(*, review_on: date | None, today: date) -> Promise | None:
    """Why a goal's review date is refused, or None: it must be given, and not in the past."""
    if review_on is None:
        return _("Enter when to look at this goal again.")
    if review_on < today:
        return _("The review date cannot be in the past.")
    return None


def mentoring_dates_refusal(*, starts_on: date | None, review_on: date | None, today: date) -> dict[str, Promise]:
    """What is wrong with a mentoring pair's dates, by field: the review comes after the start, and not in the past."""
    problems: dict[str, Promise] = {}
    if starts_on is None:
        problems["starts_on"] = _("Enter when it starts.")
    if review_on is None:
        problems["review_on"] = _("Enter when to review how it is going.")
    elif review_on < today:
        problems["review_on"] = _("The review date cannot be in the past.")
    elif starts_on is not None and review_on <= starts_on:
        problems["review_on"] = _("The review date must be after the start date.")
    return problems


def call_due_at(asked_at: datetime, *, within_hours: int) -> datetime:
    """When a call asked for at ``asked_at`` must be returned by."""
    return asked_at + timedelta(hours=within_hours)


def check_in_due(
    *,
    today: date,
    every_days: int | None,
    chosen_on: date | None,
    last_check_in_on: date | None,
    felt_low_since: bool = False,
) -> bool:
    """Whether a member is due a wellbeing check-in.

    Due when they chose check-ins every ``every_days`` and the last one (or, if none yet,
    the day they chose) is that long ago; and due at once when, since their last check-in,
    they said after a session that they were not so good (a debrief, 001 §Post Meeting).
    """
    if felt_low_since:
        return True
    if not every_days:
        return False
    since = last_check_in_on or chosen_on
    return since is None or (today - since).days >= every_days


class Reason:
    """Why someone is on the digest. The values are stable codes (the API returns them)."""

    NO_CONTACT = "no_contact"
    CALL_ASKED = "call_asked"
    DEBRIEF_CALL = "debrief_call"
    CHECK_IN_DUE = "check_in_due"
    SUPERVISION_OVERDUE = "supervision_overdue"

    LABELS: dict[str, Promise] = {
        NO_CONTACT: _("No contact recorded for a while"),
        CALL_ASKED: _("Asked for a call"),
        DEBRIEF_CALL: _("Asked for a call after a session"),
        CHECK_IN_DUE: _("Wellbeing check-in due"),
        SUPERVISION_OVERDUE: _("Supervision overdue"),
    }


@dataclass(frozen=True)
class PersonFacts:
    """What the digest needs to know about one member supported by one member of staff."""

    person_id: int
    last_contact_on: date | None
    supported_since: date
    calls_waiting: int = 0
    debrief_calls: int = 0
    check_in_every_days: int | None = None
    check_in_chosen_on: date | None = None
    last_check_in_on: date | None = None
    felt_low_since_check_in: bool = False
    supervision_due_on: date | None = None


@dataclass(frozen=True)
class DigestEntry:
    person_id: int
    reasons: tuple[str, ...]
    days_since_contact: int | None = None
    details: dict[str, int] = field(default_factory=dict)


def digest_entries(facts: list[PersonFacts], *, today: date, contact_every_days: int) -> list[DigestEntry]:
    """The people a support contact or supervisor should act on this week, and why, most urgent first.

    - no contact recorded in more than ``contact_every_days`` days (counted from when the
      person came to them, if they were never contacted);
    - a call asked for and not yet returned, or asked for in a session's debrief;
    - a wellbeing check-in due (``check_in_due``);
    - supervision overdue (its due date has passed).
    People with none of these are not listed.
    """
    entries = []
    for f in facts:
        reasons = []
        if f.calls_waiting:
            reasons.append(Reason.CALL_ASKED)
        if f.debrief_calls:
            reasons.append(Reason.DEBRIEF_CALL)
        since = f.last_contact_on or f.supported_since
        days = (today - since).days
        if days > contact_every_days:
            reasons.append(Reason.NO_CONTACT)
        if check_in_due(
            today=today,
            every_days=f.check_in_every_days,
            chosen_on=f.check_in_chosen_on,
            last_check_in_on=f.last_check_in_on,
            felt_low_since=f.felt_low_since_check_in,
        ):
            reasons.append(Reason.CHECK_IN_DUE)
        if f.supervision_due_on is not None and f.supervision_due_on < today:
            reasons.append(Reason.SUPERVISION_OVERDUE)
        if reasons:
            entries.append(
                DigestEntry(
                    f.person_id,
                    tuple(reasons),
                    days_since_contact=(today - f.last_contact_on).days if f.last_contact_on else None,
                    details={"calls_waiting": f.calls_waiting, "debrief_calls": f.debrief_calls},
                )
            )
    return sorted(entries, key=_urgency)


URGENCY = [Reason.CALL_ASKED, Reason.DEBRIEF_CALL, Reason.CHECK_IN_DUE, Reason.NO_CONTACT, Reason.SUPERVISION_OVERDUE]


def _urgency(entry: DigestEntry) -> tuple[int, int, int]:
    """Calls first, then check-ins, then the longest without contact (never contacted first)."""
    never = 10**6
    days = entry.days_since_contact if entry.days_since_contact is not None else never
    return (min(URGENCY.index(r) for r in entry.reasons), -days, entry.person_id)


# How low and how high each of an organisation's support settings may be: a day, a week and an
# hour at the least; a year, a year and a week at the most.
SETTINGS_LIMITS = {
    "contact_every_days": (1, 365),
    "supervision_every_weeks": (1, 52),
    "call_within_hours": (1, 168),
}


def settings_problems(values: dict[str, int]) -> dict[str, str]:
    """Which support settings are out of their limits, by field; empty when none is."""
    problems: dict[str, str] = {}
    for name, (low, high) in SETTINGS_LIMITS.items():
        if not low <= values[name] <= high:
            problems[name] = str(_("Enter a number from %(low)s to %(high)s.")) % {"low": low, "high": high}
    return problems
