"""The meeting standards, as pure functions (001 §Arranging Meetings, appendix 1; 000 checklist).

Every standard is checked in local time (Europe/London) and by calendar dates, so a
notice period is the same length whether or not the clocks change inside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

LONDON = ZoneInfo("Europe/London")

# Mealtimes: a session covering at least an hour of one should offer a meal.
MEALTIMES = ((time(12, 0), time(14, 0)), (time(17, 30), time(19, 30)))
MEAL_OVERLAP = timedelta(minutes=60)

MET, NOT_MET, PENDING = "met", "not_met", "pending"


@dataclass(frozen=True)
class Thresholds:
    """An organisation's thresholds for the standards. These defaults (001 §Arranging Meetings) are the
    only ones: ``MeetingStandards`` takes its column defaults from ``DEFAULT_THRESHOLDS``."""

    invitation_days: int = 14
    event_invitation_days: int = 28
    papers_days: int = 7
    earliest_start: time = time(10, 30)
    min_service_users: int = 2
    min_carers: int = 2
    reserve_at_high_level: bool = True


DEFAULT_THRESHOLDS = Thresholds()
# Longer notice than this is surely a slip of the keyboard, and would make every session fail the standard.
MAX_NOTICE_DAYS = 365


def thresholds_problems(t: Thresholds) -> dict[str, str]:
    """What is wrong with an organisation's thresholds, by field; empty when nothing is."""
    problems: dict[str, str] = {}
    for name in ("invitation_days", "event_invitation_days", "papers_days"):
        if not 0 <= getattr(t, name) <= MAX_NOTICE_DAYS:
            problems[name] = _("Give a number of days from 0 to %(max)s.") % {"max": MAX_NOTICE_DAYS}
    if "papers_days" not in problems and t.papers_days > min(t.invitation_days, t.event_invitation_days):
        problems["papers_days"] = _("Papers go out with the invitation or after it: give no more days than its notice.")
    return problems


@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime
    ends_at: datetime
    is_event: bool = False
    invitations_sent_at: datetime | None = None
    papers_sent_at: datetime | None = None
    has_papers: bool = False
    decision_making: bool = False
    high_level: bool = False
    # Perspectives of the members expected (invited and not sent apologies): "service_user", "carer", "both".
    expected_perspectives: tuple[str, ...] = ()
    reserves: int = 0
    involvement_item: bool = False
    refreshments: str = "drinks"
    online: bool = False
    venue_step_free: str | None = None
    venue_public_transport: str | None = None


@dataclass(frozen=True)
class StandardResult:
    code: str
    state: str  # met, not_met or pending (still achievable)
    reason: str
    due: date | None = None

    @property
    def met(self) -> bool:
        return self.state == MET


@dataclass
class Report:
    results: list[StandardResult] = field(default_factory=list)

    @property
    def unmet(self) -> list[StandardResult]:
        return [r for r in self.results if r.state == NOT_MET]


def local(dt: datetime) -> datetime:
    return dt.astimezone(LONDON)


def days_between(earlier: datetime, later: datetime) -> int:
    """Whole calendar days from one moment to another, counted in local dates."""
    return (local(later).date() - local(earlier).date()).days


def deadline(starts_at: datetime, days: int) -> date:
    """The last local date on which something can go out and still be ``days`` ahead."""
    return local(starts_at).date() - timedelta(days=days)


def check_invitations(f: SessionFacts, t: Thresholds, now: datetime) -> StandardResult:
    days = t.event_invitation_days if f.is_event else t.invitation_days
    by = deadline(f.starts_at, days)
    if f.invitations_sent_at is not None:
        given = days_between(f.invitations_sent_at, f.starts_at)
        if given >= days:
            return StandardResult("invitations", MET, _("Invitations went out %(n)s days ahead.") % {"n": given})
        return StandardResult(
            "invitations",
            NOT_MET,
            _("Invitations went out only %(n)s days ahead; %(days)s are needed.") % {"n": given, "days": days},
        )
    if local(now).date() <= by:
        return StandardResult(
            "invitations",
            PENDING,
            _("Send invitations by %(date)s (%(days)s days ahead).") % {"date": by.strftime("%d/%m/%Y"), "days": days},
            due=by,
        )
    return StandardResult("invitations", NOT_MET, _("It is too late to give %(days)s days' notice.") % {"days": days})


def check_papers(f: SessionFacts, t: Thresholds, now: datetime) -> StandardResult:
    by = deadline(f.starts_at, t.papers_days)
    if f.papers_sent_at is not None:
        given = days_between(f.papers_sent_at, f.starts_at)
        if given >= t.papers_days:
            return StandardResult("papers", MET, _("Papers went out %(n)s days ahead.") % {"n": given})
        return StandardResult(
            "papers",
            NOT_MET,
            _("Papers went out only %(n)s days ahead; %(days)s are needed.") % {"n": given, "days": t.papers_days},
        )
    if local(now).date() <= by:
        return StandardResult(
            "papers",
            PENDING,
            _("Send papers, in each person's format, by %(date)s.") % {"date": by.strftime("%d/%m/%Y")},
            due=by,
        )
    return StandardResult("papers", NOT_MET, _("Papers were not sent %(days)s days ahead.") % {"days": t.papers_days})


def check_start(f: SessionFacts, t: Thresholds) -> StandardResult:
    start = local(f.starts_at).time()
    if start >= t.earliest_start:
        return StandardResult("start_time", MET, _("Starts at %(time)s.") % {"time": start.strftime("%H:%M")})
    return StandardResult(
        "start_time",
        NOT_MET,
        _("Starts at %(time)s, before %(earliest)s.")
        % {"time": start.strftime("%H:%M"), "earliest": t.earliest_start.strftime("%H:%M")},
    )


def check_numbers(f: SessionFacts, t: Thresholds) -> StandardResult | None:
    """Decision-making groups: at least two service users and two carers, never one alone (001 §Numbers)."""
    if not f.decision_making:
        return None
    users = sum(1 for p in f.expected_perspectives if p in ("service_user", "both"))
    carers = sum(1 for p in f.expected_perspectives if p in ("carer", "both"))
    expected = {"service_users": service_users_text(users), "carers": carers_text(carers)}
    if users >= t.min_service_users and carers >= t.min_carers:
        return StandardResult("numbers", MET, _("%(service_users)s and %(carers)s expected.") % expected)
    alone = _(" Nobody should be the only one.") if 1 in (users, carers) else ""
    return StandardResult(
        "numbers",
        NOT_MET,
        _("%(service_users)s and %(carers)s expected; at least %(mu)s and %(mc)s are needed.")
        % {**expected, "mu": t.min_service_users, "mc": t.min_carers}
        + alone,
    )


def service_users_text(count: int) -> str:
    return ngettext("%(count)d service user", "%(count)d service users", count) % {"count": count}


def carers_text(count: int) -> str:
    return ngettext("%(count)d carer", "%(count)d carers", count) % {"count": count}


def check_reserve(f: SessionFacts, t: Thresholds) -> StandardResult | None:
    if not (f.high_level and t.reserve_at_high_level):
        return None
    if f.reserves > 0:
        return StandardResult("reserve", MET, _("A reserve or deputy is invited."))
    return StandardResult("reserve", NOT_MET, _("A high-level meeting needs a reserve or deputy invited."))


def check_agenda(f: SessionFacts) -> StandardResult:
    if f.involvement_item:
        return StandardResult("agenda", MET, _("The agenda has the standing item on involvement."))
    return StandardResult("agenda", NOT_MET, _("Add the standing agenda item on involvement."))


def covers_mealtime(starts_at: datetime, ends_at: datetime) -> bool:
    """Whether a session covers at least an hour of a mealtime, on any local day it spans."""
    start, end = local(starts_at), local(ends_at)
    day = start.date()
    while day <= end.date():
        for meal_start, meal_end in MEALTIMES:
            window_start = datetime.combine(day, meal_start, LONDON)
            window_end = datetime.combine(day, meal_end, LONDON)
            overlap = min(end, window_end) - max(start, window_start)
            if overlap >= MEAL_OVERLAP:
                return True
        day += timedelta(days=1)
    return False


def check_refreshments(f: SessionFacts) -> StandardResult:
    if f.online:
        return StandardResult("refreshments", MET, _("Online: no refreshments needed."))
    if covers_mealtime(f.starts_at, f.ends_at):
        if f.refreshments == "meal":
            return StandardResult("refreshments", MET, _("A meal is provided over the mealtime."))
        return StandardResult("refreshments", NOT_MET, _("The session is over a mealtime: provide a meal."))
    if f.refreshments == "none":
        return StandardResult("refreshments", NOT_MET, _("Provide tea and coffee at least."))
    return StandardResult("refreshments", MET, _("Refreshments are provided."))


def check_venue(f: SessionFacts) -> StandardResult:
    if f.online:
        return StandardResult("venue", MET, _("Online."))
    if f.venue_step_free is None:
        return StandardResult("venue", NOT_MET, _("Choose a venue."))
    problems = []
    if f.venue_step_free != "yes":
        problems.append(_("no step-free access"))
    if f.venue_public_transport != "yes":
        problems.append(_("no public transport at the start and end of the day"))
    if problems:
        return StandardResult("venue", NOT_MET, _("The venue has %(problems)s.") % {"problems": ", ".join(problems)})
    return StandardResult("venue", MET, _("Step-free, with public transport at the start and end."))


def check_all(f: SessionFacts, t: Thresholds, now: datetime) -> Report:
    """Every standard for a session, in the order a coordinator works through them."""
    results = [check_invitations(f, t, now), check_papers(f, t, now), check_start(f, t)]
    results += [r for r in (check_numbers(f, t), check_reserve(f, t)) if r is not None]
    results += [check_agenda(f), check_refreshments(f), check_venue(f)]
    return Report(results)


STANDARD_NAMES = {
    "invitations": gettext_lazy("Notice of the session"),
    "papers": gettext_lazy("Papers in time"),
    "start_time": gettext_lazy("Not too early"),
    "numbers": gettext_lazy("Enough service users and carers"),
    "reserve": gettext_lazy("A reserve at high-level meetings"),
    "agenda": gettext_lazy("Involvement on the agenda"),
    "refreshments": gettext_lazy("Refreshments"),
    "venue": gettext_lazy("An accessible venue"),
}


# The years a session may be in. The standards count days back from the start and the mealtime
# check walks the days to the end, which a moment at the very edge of the calendar cannot do; a
# session outside these years is a mistyped year, not a plan.
FIRST_YEAR = 2000
LAST_YEAR = 2099
EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=LONDON)
AFTER_LATEST = datetime(LAST_YEAR + 1, 1, 1, tzinfo=LONDON)


def when_problem(moment: datetime | None) -> str | None:
    """A session's start or end must fall between 2000 and 2099, in Wales."""
    if moment is not None and not EARLIEST <= moment < AFTER_LATEST:
        return _("Choose a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    return None


def dates_problem(starts_at: datetime | None, ends_at: datetime | None) -> str | None:
    if starts_at and ends_at and ends_at <= starts_at:
        return _("The session must end after it starts.")
    return None
