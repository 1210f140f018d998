"""Reads of sessions, shared by pages, API, reminders and reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role
from withus.people.models import Person

from . import rules
from .models import AgendaItem, Attendance, Invitation, MeetingStandards, Session, StandardOverride


def thresholds(organisation: Organisation) -> rules.Thresholds:
    """The organisation's thresholds for the standards: its own where it has set them, else the defaults."""
    s = MeetingStandards.objects.filter(organisation=organisation).first()
    if s is None:
        return rules.DEFAULT_THRESHOLDS
    return rules.Thresholds(**{f.name: getattr(s, f.name) for f in fields(rules.Thresholds)})


def sessions_for_staff(user: Any, organisation: Organisation) -> QuerySet[Session]:
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return Session.objects.filter(organisation=organisation)


def session_for_staff(user: Any, organisation: Organisation, pk: int) -> Session:
    try:
        return (
            sessions_for_staff(user, organisation)
            .select_related("venue", "group", "opportunity", "contact", "organisation")
            .prefetch_related(
                Prefetch("invitations", queryset=Invitation.objects.select_related("person").order_by("role", "pk")),
                Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk")),
                "papers",
                "overrides",
            )
            .get(pk=pk)
        )
    except Session.DoesNotExist:
        raise Http404 from None


def facts(session: Session) -> rules.SessionFacts:
    """What the standards need to know about a session (uses prefetched invitations and agenda)."""
    invitations = list(session.invitations.all())
    expected = tuple(
        i.person.perspective
        for i in invitations
        if i.person is not None and i.role == Invitation.Role.MEMBER and i.reply != Invitation.Reply.APOLOGIES
    )
    venue = session.venue
    return rules.SessionFacts(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        is_event=session.kind == Session.Kind.EVENT,
        invitations_sent_at=session.invitations_sent_at,
        papers_sent_at=session.papers_sent_at,
        has_papers=bool(list(session.papers.all())),
        decision_making=bool(session.group and session.group.makes_decisions),
        high_level=session.high_level,
        expected_perspectives=expected,
        reserves=sum(1 for i in invitations if i.role == Invitation.Role.DEPUTY and i.reply != "apologies"),
        involvement_item=any(item.about_involvement for item in session.agenda.all()),
        refreshments=session.refreshments,
        online=venue is None and bool(session.online_link),
        venue_step_free=venue.step_free if venue else None,
        venue_public_transport=venue.public_transport if venue else None,
    )


def standards_report(session: Session, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Each standard with its state, reason, and the recorded reason for going ahead if unmet."""
    now = now or timezone.now()
    report = rules.check_all(facts(session), thresholds(session.organisation), now)
    overrides = {o.standard: o for o in session.overrides.all()}
    return [
        {
            "code": r.code,
            "name": rules.STANDARD_NAMES[r.code],
            "state": r.state,
            "reason": r.reason,
            "override": overrides.get(r.code),
        }
        for r in report.results
    ]


def unmet_without_reason(session: Session, *, now: datetime | None = None) -> list[str]:
    return [r["code"] for r in standards_report(session, now=now) if r["state"] == "not_met" and not r["override"]]


def upcoming_for(person: Person, *, now: datetime | None = None) -> QuerySet[Session]:
    now = now or timezone.now()
    return (
        Session.objects.filter(invitations__person=person, ends_at__gte=now)
        .exclude(status=Session.Status.PLANNED)
        .select_related("venue", "organisation")
        .prefetch_related("papers")
        .order_by("starts_at")
        .distinct()
    )


def overrides_of(organisation: Organisation) -> QuerySet[StandardOverride]:
    """Every time a standard was set aside, with the reason: for reports."""
    return StandardOverride.objects.filter(session__organisation=organisation).select_related("session")


# ---- For the annual report -------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelAttendance:
    """Who took part at one level of the engagement pathway: attendances, and how many different people."""

    level: int | None  # None: sessions not run for an opportunity
    attended: int
    people: int


def attendance_by_level(organisation: Organisation, *, start: datetime, end: datetime) -> list[LevelAttendance]:
    """Attendance at the organisation's sessions starting in ``[start, end)``, by the pathway level of each
    session's opportunity, lowest level first and sessions with no opportunity last.

    Only "attended" counts (not apologies or absence). One query, grouped in the database, for the
    annual report and anything else that shows these figures.
    """
    rows = (
        Attendance.objects.filter(
            session__organisation=organisation,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            status=Attendance.Status.ATTENDED,
        )
        .values("session__opportunity__level")
        .annotate(attended=Count("pk"), people=Count("person_id", distinct=True))
        .order_by()
    )
    found = [LevelAttendance(r["session__opportunity__level"], r["attended"], r["people"]) for r in rows]
    return sorted(found, key=lambda row: (row.level is None, row.level or 0))


# Who fills in the standing declarations of the people invited to sessions, keyed by session id (the
# register of interests, in withus.concerns, which sits above this app and so cannot be imported here).
AGENDA_INTERESTS: list[Callable[[list[Session]], dict[int, Any]]] = []


def standing_interests(sessions: list[Session]) -> dict[int, Any]:
    """For each session, the standing declarations touching its agenda (``by_item``) and all of them
    (``everyone``), in a fixed number of queries; empty when no register is installed."""
    found: dict[int, Any] = {}
    for hook in AGENDA_INTERESTS:
        found.update(hook(sessions))
    return found


# What a member who attended is offered next from their debrief, as (text, address) pairs: filled by apps above
# this one (the session's evaluation, in withus.impact), which cannot be imported here.
AFTER_DEBRIEF: list[Callable[[Session, Any], list[tuple[str, str]]]] = []


def after_debrief(session: Session, person: Any) -> list[tuple[str, str]]:
    """The links a member's debrief offers next, such as the session's evaluation still to answer."""
    return [link for hook in AFTER_DEBRIEF for link in hook(session, person)]


def agenda_with_interests(session: Session) -> tuple[list[tuple[AgendaItem, list[Any]]], list[Any]]:
    """The session's agenda, each item with the standing declarations that touch it, and every invited
    person's current declarations (for the chair)."""
    standing = standing_interests([session]).get(session.pk)
    by_item: dict[int, list[Any]] = standing.by_item if standing is not None else {}
    everyone: list[Any] = standing.everyone if standing is not None else []
    return [(item, by_item.get(item.pk, [])) for item in session.agenda.all()], everyone
