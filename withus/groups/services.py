"""Every write about groups, seats and report-backs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.core.audit import acting_as
from withus.people.models import Person

from . import rules
from .models import Appointment, Group, ReportBack


@transaction.atomic
def create_group(
    *, actor: User, organisation: Organisation, name: str, kind: str, makes_decisions: bool, name_cy: str = ""
) -> Group:
    """A coordinator adds a board, committee, panel or project people can be appointed to."""
    require(actor, organisation, COORDINATING)
    with acting_as(actor):
        group = Group(organisation=organisation, name=name, name_cy=name_cy, kind=kind, makes_decisions=makes_decisions)
        group.full_clean()
        group.save()
    return group


@transaction.atomic
def appoint(
    *,
    actor: User,
    group: Group,
    person: Person,
    term_start: date,
    planned_end: date,
    seat: str = Appointment.Seat.MEMBER,
    review_on: date | None = None,
    deputy: Person | None = None,
    buddy: Person | None = None,
    opportunity_id: int | None = None,
    other_problems: Mapping[str, str] | None = None,
) -> Appointment:
    """Appoint a person to a seat for a term, with a deputy and a buddy if they have them.

    ``opportunity_id`` records the opportunity the person was selected from. Appointing
    from an opportunity goes through ``opportunities.services.appoint``, which checks that
    the person was selected for it and meets its requirements (a DBS check), and passes
    what it found as ``other_problems``: they are refused together with the seat's own.
    """
    require(actor, group.organisation, COORDINATING)
    problems = rules.appointment_problems(
        person_id=person.pk,
        term_start=term_start,
        planned_end=planned_end,
        review_on=review_on,
        deputy_id=deputy.pk if deputy is not None else None,
    )
    problems.update(other_problems or {})
    if problems:
        raise ValidationError(problems)
    with acting_as(actor):
        appointment = Appointment(
            person=person,
            group=group,
            opportunity_id=opportunity_id,
            seat=seat,
            term_start=term_start,
            planned_end=planned_end,
            review_on=review_on,
            deputy=deputy,
            buddy=buddy,
            appointed_by=actor,
        )
        appointment.full_clean()
        appointment.save()
    return appointment


# Checks an early end of a seat must pass, filled by apps above this one (withus.concerns: a member who
# raised a concern is not removed without a reviewed reason). Each raises ValidationError to refuse.
ENDING_CHECKS: list[Callable[[User, Appointment, date], None]] = []


@transaction.atomic
def end_appointment(*, actor: User, appointment: Appointment, ended_on: date) -> Appointment:
    """The seat's term ends (early or as planned); the seat shows as held no longer.

    Each of ``ENDING_CHECKS`` may refuse it (a ``ValidationError``) before anything is written.
    """
    require(actor, appointment.group.organisation, COORDINATING)
    if problem := rules.end_problem(term_start=appointment.term_start, ended_on=ended_on):
        raise ValidationError({"ended_on": problem})
    for check in ENDING_CHECKS:
        check(actor, appointment, ended_on)
    with acting_as(actor):
        appointment.ended_on = ended_on
        appointment.save(update_fields=["ended_on"])
    return appointment


@transaction.atomic
def record_report_back(
    *, actor: User, session: Any, person: Person, reported_to: str, summary: str, reported_on: date | None = None
) -> ReportBack:
    """A representative's report-back to the group they speak for, about a session; by them or a coordinator.

    ``session`` is a meetings session (this app sits below meetings and does not import it).
    """
    if person.user_id != actor.pk:
        require(actor, session.organisation, COORDINATING)
    report = ReportBack(
        session=session,
        person=person,
        reported_to=reported_to,
        summary=summary,
        reported_on=reported_on or timezone.localdate(),
    )
    report.full_clean()
    report.save()
    return report
