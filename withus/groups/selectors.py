"""Reads of groups and who holds their seats, shared by pages, API, meetings and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role
from withus.people.models import Person
from withus.people.selectors import NotShared, person_sharing_with

from . import rules
from .models import Appointment, Ballot, BallotOption, BallotVoter, CastBallot, Group, ReportBack, RepresentativeView


def groups_of(organisation: Organisation) -> QuerySet[Group]:
    """The organisation's groups, each with the seats held now (``current_appointments``) and who holds them."""
    current = Appointment.objects.filter(ended_on__isnull=True).select_related("person")
    return Group.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("appointments", queryset=current, to_attr="current_appointments")
    )


def current_appointments(user: Any, organisation: Organisation) -> QuerySet[Appointment]:
    """Seats held now in the organisation's groups, if the user may see them."""
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return (
        Appointment.objects.filter(group__organisation=organisation, ended_on__isnull=True)
        .select_related("person", "group")
        .order_by("planned_end", "group__name", "person__full_name", "pk")
    )


def seats_held_by(person: Person) -> QuerySet[Appointment]:
    """The seats a person holds now, in any organisation's groups: for their own pages."""
    return person.appointments.filter(ended_on__isnull=True).select_related("group")


def serving_on(group: Group, *, today: date | None = None) -> list[Appointment]:
    """Appointments whose term runs today and has not ended, with each person and their deputy."""
    today = today or timezone.localdate()
    return list(
        Appointment.objects.filter(
            group=group, ended_on__isnull=True, term_start__lte=today, planned_end__gte=today
        ).select_related("person", "deputy")
    )


def appointments_involving(person: Person) -> QuerySet[Appointment]:
    """Every appointment the person holds, or is the deputy or buddy on, ended ones included."""
    return (
        Appointment.objects.filter(Q(person=person) | Q(deputy=person) | Q(buddy=person))
        .select_related("group__organisation", "person", "deputy", "buddy")
        .order_by("term_start", "pk")
    )


def report_backs_by(person: Person) -> QuerySet[ReportBack]:
    return ReportBack.objects.filter(person=person).select_related("session").order_by("reported_on", "pk")


# ---- Succession and balance ---------------------------------------------------------------------


@dataclass
class SuccessionWarning:
    appointment: Appointment | None
    group: Group
    kind: str  # "term_ending" or "whole_team"


def succession_warnings(
    organisation: Organisation, *, today: date, months: int = 6, limit: int | None = None
) -> list[SuccessionWarning]:
    """Terms ending within six months (the first ``limit`` of them), then groups whose whole team
    would leave together (001 §Terms of office).

    Read in a fixed number of queries, and never every appointment: at national scale a
    dashboard shows the soonest terms and says how many more there are
    (``terms_ending_count``).
    """
    horizon = today + timedelta(days=round(months * 30.44))
    current = Appointment.objects.filter(
        group__organisation=organisation, ended_on__isnull=True, planned_end__gte=today
    )
    ending = current.filter(planned_end__lte=horizon).select_related("person", "group").order_by("planned_end", "pk")
    warnings = [SuccessionWarning(a, a.group, "term_ending") for a in (ending[:limit] if limit else ending)]
    window = horizon - today
    spans = current.values("group").annotate(people=Count("pk"), first=Min("planned_end"), last=Max("planned_end"))
    together = [s["group"] for s in spans if s["people"] > 1 and s["last"] - s["first"] <= window]
    # Everyone's term ends inside one six-month window: the group would lose its whole team at once.
    for group in Group.objects.filter(pk__in=together).order_by("name", "pk"):
        warnings.append(SuccessionWarning(None, group, "whole_team"))
    return warnings


def terms_ending_count(organisation: Organisation, *, today: date, months: int = 6) -> int:
    horizon = today + timedelta(days=round(months * 30.44))
    return Appointment.objects.filter(
        group__organisation=organisation, ended_on__isnull=True, planned_end__gte=today, planned_end__lte=horizon
    ).count()


def single_voice_groups(organisation: Organisation) -> list[tuple[Group, int, int]]:
    """Groups relying on a single service user or a single carer (never one person alone, 001 §Numbers)."""
    groups = Group.objects.filter(organisation=organisation).annotate(
        service_users=Count(
            "appointments",
            filter=Q(
                appointments__ended_on__isnull=True, appointments__person__perspective__in=["service_user", "both"]
            ),
        ),
        carers=Count(
            "appointments",
            filter=Q(appointments__ended_on__isnull=True, appointments__person__perspective__in=["carer", "both"]),
        ),
    )
    return [(g, g.service_users, g.carers) for g in groups if g.service_users == 1 or g.carers == 1]


# ---- Ballots -------------------------------------------------------------------------------------------


def is_group_member(person: Person | None, group: Group, *, today: date | None = None) -> bool:
    """Whether the person serves on the group now."""
    return person is not None and any(a.person_id == person.pk for a in serving_on(group, today=today))


def ballot_for(user: Any, ballot_id: int) -> Ballot:
    """A ballot the user may see: staff who see the organisation's work, the people on its roll, and
    members serving on its group (a ballot not yet open only to staff). Anyone else gets a 404."""
    ballot = Ballot.objects.filter(pk=ballot_id).select_related("group__organisation").first()
    if ballot is None:
        raise Http404
    if has_role(user, ballot.group.organisation, *SEEING_WORK):
        return ballot
    person = Person.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
    if person is not None and member_may_see(person, ballot):
        return ballot
    raise Http404


def member_may_see(person: Person, ballot: Ballot) -> bool:
    """A member sees an open or closed ballot if they are on its roll or serve on its group."""
    if ballot.status == Ballot.Status.DRAFT:
        return False
    return BallotVoter.objects.filter(ballot=ballot, person=person).exists() or is_group_member(person, ballot.group)


def ballots_of_group(user: Any, group: Group) -> QuerySet[Ballot]:
    """A group's ballots for the people who may see them (``ballot_for`` says who)."""
    ballots = Ballot.objects.filter(group=group).select_related("group")
    if has_role(user, group.organisation, *SEEING_WORK):
        return ballots
    person = Person.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
    if person is None:
        return ballots.none()
    on_roll = Q(roll__person=person)
    if is_group_member(person, group):
        on_roll |= ~Q(status=Ballot.Status.DRAFT)
    return ballots.filter(on_roll).exclude(status=Ballot.Status.DRAFT).distinct()


def ballots_for_person(person: Person) -> QuerySet[Ballot]:
    """Ballots the person is on the roll of, or that groups they serve on hold: for their own page."""
    today = timezone.localdate()
    serving = Appointment.objects.filter(
        person=person, ended_on__isnull=True, term_start__lte=today, planned_end__gte=today
    ).values("group")
    return (
        Ballot.objects.filter(Q(roll__person=person) | Q(group__in=serving))
        .exclude(status=Ballot.Status.DRAFT)
        .select_related("group")
        .distinct()
    )


@dataclass
class BallotResult:
    option: BallotOption
    votes: int


@dataclass
class BallotPage:
    """Everything a ballot's page shows; the result and the list only once it is published."""

    ballot: Ballot
    options: list[BallotOption]
    roll: list[BallotVoter]
    voted: int
    in_box: int
    results: list[BallotResult] | None
    published_list: list[tuple[str, BallotOption]] | None


def ballot_page(ballot: Ballot) -> BallotPage:
    """The ballot, its roll with who has voted, and (published only) the count and the (receipt hash, choice) list.

    The count is ``rules.count_votes`` over the published list, as anyone recounting would do.
    Five queries, whatever the size of the roll or the box.
    """
    options = list(BallotOption.objects.filter(ballot=ballot))
    roll = list(BallotVoter.objects.filter(ballot=ballot).select_related("person").order_by("person__full_name", "pk"))
    in_box = CastBallot.objects.filter(ballot=ballot).count()
    results = published = None
    if ballot.status == Ballot.Status.PUBLISHED:
        by_id = {o.pk: o for o in options}
        pairs = list(
            CastBallot.objects.filter(ballot=ballot).order_by("receipt_hash").values_list("receipt_hash", "option_id")
        )
        published = [(h, by_id[o]) for h, o in pairs]
        tally = rules.count_votes((o for _h, o in pairs), [o.pk for o in options])
        results = [BallotResult(by_id[pk], n) for pk, n in tally.items()]
    return BallotPage(
        ballot=ballot,
        options=options,
        roll=roll,
        voted=sum(1 for v in roll if v.has_voted),
        in_box=in_box,
        results=results,
        published_list=published,
    )


def find_receipt(ballot: Ballot, typed: str) -> tuple[str, BallotOption | None]:
    """The hash of a receipt as typed, and the choice recorded against it in the published list (or None)."""
    hashed = rules.receipt_hash(ballot_id=ballot.pk, receipt=typed)
    if ballot.status != Ballot.Status.PUBLISHED:
        return hashed, None
    cast = CastBallot.objects.filter(pk=hashed, ballot=ballot).select_related("option").first()
    return hashed, cast.option if cast else None


# ---- The structure of representation and representatives' pages -----------------------------------


def may_see_structure(user: Any, organisation: Organisation) -> bool:
    """People involved: the organisation's staff who see its work, and members who share their details with it."""
    if has_role(user, organisation, *SEEING_WORK):
        return True
    person = Person.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
    if person is None:
        return False
    try:
        person_sharing_with(organisation, person)
    except NotShared:
        return False
    return True


@dataclass
class StructureNode:
    """A group, the representatives it sends up (their seats), and the groups that send representatives to it."""

    group: Group
    sends: list[Appointment]
    below: list[StructureNode]


def representation_structure(organisation: Organisation) -> tuple[list[StructureNode], list[Appointment]]:
    """The organisation's groups as a tree, top (forums, then boards no one sits above) to bottom
    (local groups), and every current representative's seat. Two queries, whatever the size."""
    groups = {g.pk: g for g in Group.objects.filter(organisation=organisation).order_by("name", "pk")}
    today = timezone.localdate()
    seats = list(
        Appointment.objects.filter(
            group__organisation=organisation,
            speaks_for__isnull=False,
            ended_on__isnull=True,
            planned_end__gte=today,
        )
        .select_related("person", "group", "speaks_for")
        .order_by("speaks_for__name", "group__name", "person__full_name", "pk")
    )
    sends: dict[int, list[Appointment]] = {}
    below: dict[int, list[int]] = {}
    for seat in seats:
        assert seat.speaks_for_id is not None
        sends.setdefault(seat.speaks_for_id, []).append(seat)
        if seat.speaks_for_id not in below.setdefault(seat.group_id, []):
            below[seat.group_id].append(seat.speaks_for_id)
    has_above = {seat.speaks_for_id for seat in seats}

    def node(pk: int, path: frozenset[int]) -> StructureNode:
        children = [node(c, path | {c}) for c in below.get(pk, []) if c not in path]
        return StructureNode(groups[pk], sends.get(pk, []), children)

    level: dict[str, int] = {Group.Kind.FORUM: 0, Group.Kind.NETWORK: 2}
    tops = sorted((pk for pk in groups if pk not in has_above), key=lambda pk: level.get(groups[pk].kind, 1))
    return [node(pk, frozenset({pk})) for pk in tops], seats


def representative_for(user: Any, appointment_id: int) -> Appointment:
    """A representative's seat, for the representative, members of the group they speak for and staff; else 404."""
    appointment = (
        Appointment.objects.filter(pk=appointment_id, speaks_for__isnull=False)
        .select_related("person", "group__organisation", "speaks_for")
        .first()
    )
    if appointment is None:
        raise Http404
    if has_role(user, appointment.group.organisation, *SEEING_WORK):
        return appointment
    person = Person.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
    assert appointment.speaks_for is not None
    if person is not None and (person.pk == appointment.person_id or is_group_member(person, appointment.speaks_for)):
        return appointment
    raise Http404


@dataclass
class MeetingViews:
    """One meeting of the group the representative sits on: the views sent for it and the report-backs after it."""

    session: Any
    views: list[RepresentativeView]
    report_backs: list[ReportBack]


def representative_page(appointment: Appointment) -> tuple[list[MeetingViews], list[RepresentativeView]]:
    """The representative's meetings, newest first, each with the views sent for it and their report-backs,
    then the views sent for no particular meeting. Three queries, whatever the numbers."""
    sessions = list(appointment.group.sessions.order_by("-starts_at", "-pk")[:50])
    views = list(RepresentativeView.objects.filter(appointment=appointment).select_related("sent_by"))
    reports = list(
        ReportBack.objects.filter(person=appointment.person, session__in=[s.pk for s in sessions]).order_by(
            "reported_on", "pk"
        )
    )
    meetings = [
        MeetingViews(s, [v for v in views if v.session_id == s.pk], [r for r in reports if r.session_id == s.pk])
        for s in sessions
    ]
    return meetings, [v for v in views if v.session_id is None]


def seats_speaking_for(person: Person) -> QuerySet[Appointment]:
    """Representatives of the groups a person serves on, and the person's own representative seats."""
    today = timezone.localdate()
    serving = Appointment.objects.filter(
        person=person, ended_on__isnull=True, term_start__lte=today, planned_end__gte=today
    ).values("group")
    return (
        Appointment.objects.filter(Q(speaks_for__in=serving) | Q(person=person), speaks_for__isnull=False)
        .filter(ended_on__isnull=True)
        .select_related("person", "group", "speaks_for")
        .distinct()
    )
