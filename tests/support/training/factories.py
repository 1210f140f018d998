"""Factories for training: a course in a catalogue, a session that runs it, a completion."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import factory

from tests.accounts.factories import OrganisationFactory
from tests.meetings.factories import make_attendance, make_invitation, make_session
from withus.accounts.models import Organisation, User
from withus.meetings.models import Attendance, Session
from withus.people.models import Person
from withus.support.training.models import Course, CourseSession, LoggedLearning


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    organisation = factory.SubFactory(OrganisationFactory)
    topic = "recruitment"
    title = factory.Sequence(lambda n: f"Recruitment panel training {n}")
    title_cy = factory.Sequence(lambda n: f"Hyfforddiant paneli recriwtio {n}")
    co_designed = True
    co_delivered = True
    length_hours = Decimal("3")
    refresh_months = 24


def make_course(organisation: Organisation, **fields: Any) -> Course:
    course = CourseFactory(organisation=organisation, **fields)
    assert isinstance(course, Course)
    return course


def run_course(course: Course, contact: User, starts_at: datetime, **fields: Any) -> Session:
    """A session of the course's organisation that runs the course."""
    session = make_session(course.organisation, contact, starts_at=starts_at, **fields)
    CourseSession.objects.create(course=course, session=session)
    return session


def attend(session: Session, person: Person) -> Attendance:
    make_invitation(session, person)
    return make_attendance(session, person, status=Attendance.Status.ATTENDED)


def approved_learning(person: Person, course: Course, completed_on: Any) -> LoggedLearning:
    return LoggedLearning.objects.create(
        person=person, course=course, completed_on=completed_on, provider="Elsewhere", status="approved"
    )
