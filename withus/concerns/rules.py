"""The rules of handling a concern, as pure functions: rule sets, stages, the working-day clock, appeals.

The rule sets are data, each dated and sourced, so an organisation chooses the one it works
under and the clock follows it. Working days are counted in ``withus.core.working_days``.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.core.working_days import add_working_days

# Whoever raised a concern for a reason other than anonymously can be protected from retaliation for this
# long after it (the organisation can change it).
PROTECTION_MONTHS = 12


@dataclass(frozen=True)
class Ombudsman:
    name: Promise
    website: str
    phone: str


OMBUDSMEN = {
    "wales": Ombudsman(
        gettext_lazy("Public Services Ombudsman for Wales"), "https://www.ombudsman.wales", "0300 790 0203"
    ),
    "england": Ombudsman(
        gettext_lazy("Parliamentary and Health Service Ombudsman"), "https://www.ombudsman.org.uk", "0345 015 4033"
    ),
}


@dataclass(frozen=True)
class RuleSet:
    """How long an organisation has to acknowledge and to respond, in working days, and where that comes from.

    ``respond_days`` None means the response period is agreed with the person who raised
    the concern (recorded as an agreed date) rather than fixed.
    """

    key: str
    name: Promise
    nation: str
    acknowledge_days: int
    respond_days: int | None
    source: str
    dated: date
    explain_if_late: bool = False


RULE_SETS: dict[str, RuleSet] = {
    rule_set.key: rule_set
    for rule_set in (
        RuleSet(
            key="nhs_wales",
            name=gettext_lazy("NHS Wales: Putting Things Right"),
            nation="wales",
            acknowledge_days=2,
            respond_days=30,
            source=(
                "The National Health Service (Concerns, Complaints and Redress Arrangements) (Wales) Regulations "
                "2011, regulations 22 and 24 (SI 2011/704 (W.108)); Welsh Government, Putting Things Right guidance"
            ),
            dated=date(2011, 4, 1),
            explain_if_late=True,
        ),
        RuleSet(
            key="nhs_england",
            name=gettext_lazy("NHS England: the complaints regulations"),
            nation="england",
            acknowledge_days=3,
            respond_days=None,
            source=(
                "The Local Authority Social Services and National Health Service Complaints (England) Regulations "
                "2009, regulations 13 and 14 (SI 2009/309)"
            ),
            dated=date(2009, 4, 1),
        ),
    )
}
OWN = "own"


def rule_set_for(key: str, *, nation: str, acknowledge_days: int, respond_days: int | None) -> RuleSet:
    """The shipped rule set named ``key``, or the organisation's own when ``key`` is ``OWN``."""
    if key in RULE_SETS:
        return RULE_SETS[key]
    return RuleSet(
        key=OWN,
        name=gettext_lazy("The organisation's own procedure"),
        nation=nation,
        acknowledge_days=acknowledge_days,
        respond_days=respond_days,
        source="",
        dated=date(2000, 1, 1),
    )


class Stage:
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    LOOKING_INTO = "looking_into"
    RESOLUTION = "resolution"
    RESPONSE = "response"
    CLOSED = "closed"
    APPEAL = "appeal"

    CHOICES = (
        (RECEIVED, gettext_lazy("Received")),
        (ACKNOWLEDGED, gettext_lazy("Acknowledged")),
        (LOOKING_INTO, gettext_lazy("Being looked into")),
        (RESOLUTION, gettext_lazy("Informal resolution or mediation")),
        (RESPONSE, gettext_lazy("Response given")),
        (CLOSED, gettext_lazy("Closed")),
        (APPEAL, gettext_lazy("Appeal")),
    )


# Where a concern may go from each stage. An appeal is looked into again and answered again.
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    Stage.RECEIVED: (Stage.ACKNOWLEDGED,),
    Stage.ACKNOWLEDGED: (Stage.LOOKING_INTO, Stage.RESOLUTION, Stage.RESPONSE),
    Stage.LOOKING_INTO: (Stage.RESOLUTION, Stage.RESPONSE),
    Stage.RESOLUTION: (Stage.LOOKING_INTO, Stage.RESPONSE),
    Stage.RESPONSE: (Stage.CLOSED, Stage.APPEAL),
    Stage.APPEAL: (Stage.RESPONSE,),
    Stage.CLOSED: (Stage.APPEAL,),
}
# The stages during which the response is owed.
AWAITING_RESPONSE = (Stage.ACKNOWLEDGED, Stage.LOOKING_INTO, Stage.RESOLUTION, Stage.APPEAL)


def stage_change_problem(current: str, wanted: str) -> str | None:
    if wanted not in NEXT_STAGES.get(current, ()):
        labels = dict(Stage.CHOICES)
        return _("A concern at “%(current)s” cannot move to “%(wanted)s”.") % {
            "current": labels.get(current, current),
            "wanted": labels.get(wanted, wanted),
        }
    return None


def text_problem(text: str) -> str | None:
    if not text.strip():
        return _("Tell us what your concern is about.")
    return None


def paused_days(pauses: Iterable[tuple[date, date | None]], *, until: date) -> set[date]:
    """Every day the clock was paused (waiting for the person who raised it), up to ``until``.

    A pause runs from its first day to the day before it ended (the day the person
    answered counts again); a pause not yet ended covers every day to ``until``.
    """
    days: set[date] = set()
    for start, end in pauses:
        last = (end - timedelta(days=1)) if end is not None else until
        day = start
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Clock:
    """When the acknowledgement and the response are due; None when not fixed (agreed later, or paused)."""

    acknowledge_by: date
    respond_by: date | None
    paused: bool


def clock(
    *,
    received: date,
    rule_set: RuleSet,
    bank_holidays: Container[date],
    pauses: Iterable[tuple[date, date | None]] = (),
    agreed_response_date: date | None = None,
    today: date,
) -> Clock:
    """The working-day clock of a concern received on ``received``.

    The acknowledgement is counted from the day it was received. The response is counted
    the same way, skipping every day the clock was paused while waiting for the person;
    an agreed date (an extension, or the period agreed under England's rules) replaces it.
    While paused, the response date is not known (None) until the person answers.
    """
    pauses = list(pauses)
    open_pause = any(end is None for _start, end in pauses)
    acknowledge_by = add_working_days(received, rule_set.acknowledge_days, bank_holidays)
    respond_by: date | None
    if agreed_response_date is not None:
        respond_by = agreed_response_date
    elif rule_set.respond_days is None or open_pause:
        respond_by = None
    else:
        # The skipped days reach far enough: a pause can only lengthen the count by its own length.
        horizon = received + timedelta(days=rule_set.respond_days * 2 + 30)
        skip = paused_days(pauses, until=max(today, horizon))
        respond_by = add_working_days(received, rule_set.respond_days, bank_holidays, skip=skip)
    return Clock(acknowledge_by=acknowledge_by, respond_by=respond_by, paused=open_pause)


def overdue(*, stage: str, due: Clock, today: date) -> str | None:
    """What is late today: ``"acknowledgement"``, ``"response"``, or None."""
    if stage == Stage.RECEIVED and today > due.acknowledge_by:
        return "acknowledgement"
    if stage in AWAITING_RESPONSE and due.respond_by is not None and not due.paused and today > due.respond_by:
        return "response"
    return None


def extension_problem(
    *, agreed_on: date | None, new_date: date | None, today: date, current: date | None
) -> str | None:
    """An extension is agreed with the person, on a date, to a later day."""
    if agreed_on is None:
        return _("Give the date the extension was agreed with the person who raised the concern.")
    if agreed_on > today:
        return _("The date it was agreed must be today or in the past.")
    if new_date is None:
        return _("Give the new date the response is due.")
    if new_date < agreed_on or (current is not None and new_date <= current):
        return _("The new date must be later than the date the response was due.")
    return None


def reviewer_problem(*, reviewer_id: int, involved: Container[int]) -> str | None:
    """An appeal is reviewed by someone who has not been involved in the concern before."""
    if reviewer_id in involved:
        return _("Choose someone who has not been involved in this concern before to review the appeal.")
    return None


def suppressed(count: int, *, threshold: int = 5) -> int | None:
    """A count shown in a summary, or None (shown as "fewer than 5") when so small it could identify someone."""
    return count if count >= threshold or count == 0 else None
