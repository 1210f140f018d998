"""Reads of concerns: what each member of staff may see, a concern by its PIN, clocks and the yearly summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.core import ratelimit
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation
from withus.accounts.roles import HANDLING_CONCERNS, REVIEWING_APPEALS
from withus.accounts.selectors import has_role, small_number_threshold
from withus.core import working_days
from withus.groups.models import Appointment
from withus.opportunities.models import Application
from withus.people.models import Person
from withus.support.localhelp.models import HelpEntry, HelpKind

from . import rules
from .models import Concern, ConcernPolicy, LearningAction, Pause, ProtectedDecision


def policy_of(organisation: Organisation) -> ConcernPolicy:
    """The organisation's concern rules; NHS Wales' Putting Things Right until it chooses (not saved)."""
    try:
        return organisation.concern_policy
    except ConcernPolicy.DoesNotExist:
        return ConcernPolicy(organisation=organisation)


def concerns_for_staff(user: Any, organisation: Organisation) -> QuerySet[Concern]:
    """The concerns a member of staff may see: their organisation's, if they handle concerns, and
    never one about themselves. An appeal's reviewer sees the concern they review.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    found = Concern.objects.filter(organisation=organisation)
    if not has_role(user, organisation, *HANDLING_CONCERNS):
        found = found.filter(appeal_reviewer=user)
    return found.exclude(about_staff=user).select_related("holder", "about_staff", "about_person")


def concern_for_staff(user: Any, organisation: Organisation, pk: int) -> Concern:
    try:
        return concerns_for_staff(user, organisation).prefetch_related("pauses", "extensions").get(pk=pk)
    except Concern.DoesNotExist:
        raise Http404 from None


def concern_by_pin(reference: str, pin: str) -> Concern | None:
    """The concern with this reference, if ``pin`` is its PIN. Rate limiting is the caller's (it has the request)."""
    concern = Concern.objects.filter(reference=reference.strip().upper()).exclude(pin_hash="").first()
    if concern is None:
        # Hash the PIN anyway, so that an unknown reference takes as long as a wrong PIN.
        make_password(pin)
        return None
    return concern if check_password(pin.strip(), concern.pin_hash) else None


# ACCOUNT_RATE_LIMITS names the limit: wrong PINs are counted as failed sign-ins are (withus.accounts.adapters).
PIN_RATE_ACTION = "withus_concern_pin"


class TooManyTries(Exception):
    """Too many wrong PINs for this reference, or from this address, lately."""


def followed_up(request: HttpRequest, reference: str, pin: str) -> Concern | None:
    """The concern, when ``pin`` is right and the limit on wrong PINs has not been reached.

    Web and API both follow a concern up through here. Each wrong PIN counts against the
    reference and the address; once either has too many, even a right PIN is refused for a while.
    """
    key = reference.strip().upper()
    try:
        if not ratelimit.consume(request, action=PIN_RATE_ACTION, key=key, dry_run=True):
            raise TooManyTries
        concern = concern_by_pin(key, pin)
        if concern is None:
            ratelimit.consume(request, action=PIN_RATE_ACTION, key=key)
    except PermissionDenied:
        # allauth cannot tell where the request came from, so cannot count its tries: refuse, as if over the limit.
        raise TooManyTries from None
    return concern


# ACCOUNT_RATE_LIMITS names the limit: concerns raised from one address in an hour, on the web and the API
# together, so that a program cannot bury the handlers in made-up concerns.
RAISE_RATE_ACTION = "withus_concern_raise"
RAISED_TOO_OFTEN = gettext_lazy(
    "Many concerns have been raised from here in the last hour. Nothing you typed is lost: try again later, "
    "or tell %(organisation)s by phone."
)


def may_raise(request: HttpRequest) -> bool:
    """Whether this address may raise one more concern now (counting this one when it may)."""
    try:
        return bool(ratelimit.consume(request, action=RAISE_RATE_ACTION))
    except PermissionDenied:
        # allauth cannot tell where the request came from, so cannot count: refuse, as if over the limit.
        return False


def concerns_raised_by(person: Person) -> QuerySet[Concern]:
    """The concerns a member raised under their own name (anonymous ones are not linked to anyone)."""
    return Concern.objects.filter(raised_by=person).select_related("organisation")


def clock_of(concern: Concern, *, today: date | None = None) -> rules.Clock:
    """The concern's working-day clock (uses its prefetched pauses when there are some)."""
    today = today or timezone.localdate()
    years = range(concern.received_on.year, max(today.year, concern.received_on.year) + 2)
    return rules.clock(
        received=concern.received_on,
        rule_set=concern.handling_rules,
        bank_holidays=working_days.bank_holidays(concern.nation, years),
        pauses=[(p.started_on, p.ended_on) for p in concern.pauses.all()],
        agreed_response_date=concern.agreed_response_date,
        today=today,
    )


def open_pause(concern: Concern) -> Pause | None:
    return next((p for p in concern.pauses.all() if p.ended_on is None), None)


def timeline(concern: Concern) -> list[tuple[date, str, Any]]:
    """What the person who raised it can read, oldest first: each step's message to them and their own messages."""
    items: list[tuple[date, str, Any]] = [(s.on, "step", s) for s in concern.steps.all() if s.told]
    items += [(m.on, "message", m) for m in concern.messages.all()]
    items += [(p.started_on, "asked", p) for p in concern.pauses.all()]
    return sorted(items, key=lambda item: (item[0], item[1] != "step"))


def with_timeline(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    return concerns.prefetch_related("steps", "messages", "pauses", "extensions")


def mediation_services(organisation: Organisation) -> QuerySet[HelpEntry]:
    """The independent mediation services in the organisation's directory of local help."""
    return HelpEntry.objects.filter(organisation=organisation, kind=HelpKind.MEDIATION).order_by("name", "pk")


def involved_in(concern: Concern) -> set[int]:
    """Everyone on staff who has taken part in the concern so far: who may not review its appeal."""
    involved = {s.holder_id for s in concern.steps.all()} | {s.by_id for s in concern.steps.all()}
    involved |= {concern.holder_id, concern.recorded_by_id, concern.about_staff_id}
    involved |= {e.by_id for e in concern.extensions.all()}
    return {pk for pk in involved if pk is not None}


def awaiting(organisation: Organisation | None = None) -> QuerySet[Concern]:
    """Concerns not closed, with what their clocks need (for the daily overdue round)."""
    found = Concern.objects.exclude(stage__in=[rules.Stage.CLOSED, rules.Stage.RESPONSE])
    if organisation is not None:
        found = found.filter(organisation=organisation)
    return found.select_related("organisation", "holder").prefetch_related("pauses")


@dataclass(frozen=True)
class Summary:
    """The concerns received in a period (``first`` to ``last``, both included), for the summary page and the
    annual report. Counts under the threshold are None ("fewer than 5")."""

    first: date
    last: date
    total: int | None
    by_kind: dict[str, int | None]
    by_about: dict[str, int | None]
    by_outcome: dict[str, int | None]
    closed: int | None
    median_working_days_to_close: int | None
    actions: int | None

    @property
    def year(self) -> int:
        """The year the period starts in: the calendar year of a yearly summary, or a tax year's first year."""
        return self.first.year


def summary_in_period(organisation: Organisation, first: date, last: date) -> Summary:
    """Concerns received from ``first`` to ``last``, both days included (two queries); small numbers are
    suppressed so no one can be picked out. The annual report passes its tax year; the page its calendar year."""
    concerns = list(
        Concern.objects.filter(organisation=organisation, received_on__range=(first, last)).only(
            "kind", "about", "outcome", "received_on", "closed_on", "nation"
        )
    )
    actions = LearningAction.objects.filter(
        concern__organisation=organisation, concern__received_on__range=(first, last)
    )
    kinds = Counter(c.kind for c in concerns)
    abouts = Counter(c.about for c in concerns)
    outcomes = Counter(c.outcome for c in concerns if c.outcome)
    closed = [c for c in concerns if c.closed_on is not None]
    durations = sorted(
        working_days.working_days_between(
            c.received_on,
            c.closed_on,
            working_days.bank_holidays(c.nation, range(c.received_on.year, c.closed_on.year + 1)),
        )
        for c in closed
        if c.closed_on is not None
    )
    threshold = small_number_threshold(organisation)  # the organisation's one threshold, as every figure uses
    median = durations[len(durations) // 2] if len(durations) >= threshold else None
    return Summary(
        first=first,
        last=last,
        total=rules.suppressed(len(concerns), threshold=threshold),
        by_kind={k: rules.suppressed(kinds[k], threshold=threshold) for k in Concern.Kind.values},
        by_about={k: rules.suppressed(abouts[k], threshold=threshold) for k in Concern.About.values},
        by_outcome={k: rules.suppressed(outcomes[k], threshold=threshold) for k in Concern.Outcome.values},
        closed=rules.suppressed(len(closed), threshold=threshold),
        median_working_days_to_close=median,
        actions=rules.suppressed(actions.count(), threshold=threshold),
    )


def yearly_summary(organisation: Organisation, year: int) -> Summary:
    """Concerns received in the calendar year ``year``, as the summary page and ``withus concerns summary`` show."""
    return summary_in_period(organisation, date(year, 1, 1), date(year, 12, 31))


def protected(person: Person, organisation: Organisation, *, today: date | None = None) -> bool:
    """Whether the member raised a concern or complaint, or appealed one, with the organisation lately.

    Lately is the organisation's protection period (12 months unless it chose otherwise). Anonymous
    concerns cannot count: nothing links them to anyone.
    """
    since = protection_since(organisation, today=today)
    raised = Concern.objects.filter(organisation=organisation, raised_by=person)
    return raised.filter(received_on__gte=since).exists() or raised.filter(messages__on__gte=since).exists()


def decisions_for_staff(user: Any, organisation: Organisation) -> QuerySet[ProtectedDecision]:
    if not has_role(user, organisation, *REVIEWING_APPEALS):
        raise PermissionDenied
    return ProtectedDecision.objects.filter(organisation=organisation).select_related(
        "person", "decided_by", "reviewer"
    )


def protection_since(organisation: Organisation, *, today: date | None = None) -> date:
    today = today or timezone.localdate()
    months = policy_of(organisation).protection_months
    year, month = divmod(today.month - 1 - months, 12)
    return date(today.year + year, month + 1, min(today.day, 28))


def decisions_open_to_record(organisation: Organisation) -> list[tuple[str, str]]:
    """What a coordinator may need to decide about a protected member: each current seat, each
    application not yet decided, and stepping each of them out; as (``kind:id``, label) choices."""
    since = protection_since(organisation)
    people = Person.objects.filter(
        concerns_raised__organisation=organisation, concerns_raised__received_on__gte=since
    ).distinct()
    choices: list[tuple[str, str]] = []
    for appointment in Appointment.objects.filter(
        person__in=people, group__organisation=organisation, ended_on__isnull=True
    ).select_related("person", "group"):
        choices.append((f"seat:{appointment.pk}", f"{appointment.person}: {appointment.group}"))
    for application in Application.objects.filter(
        person__in=people,
        opportunity__organisation=organisation,
        status__in=["received", "shortlisted", "waiting_list"],
    ).select_related("person", "opportunity"):
        choices.append((f"place:{application.pk}", f"{application.person}: {application.opportunity}"))
    for person in people:
        choices.append((f"step_out:{person.pk}", f"{person}"))
    return choices
