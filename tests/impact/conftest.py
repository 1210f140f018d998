from __future__ import annotations

import pytest

from tests.conftest import make_member, make_staff
from tests.meetings.factories import SessionFactory
from withus.accounts.models import Organisation, Role, User
from withus.meetings.models import Attendance, Session
from withus.people.models import Person


@pytest.fixture
def decider_a(org_a: Organisation) -> User:
    user = make_staff(org_a, Role.DECISION_MAKER, "dewi@example.org")
    user.first_name, user.last_name = "Dewi", "Decider"
    user.save()
    return user


@pytest.fixture
def held_session(org_a: Organisation, coordinator_a: User) -> Session:
    return SessionFactory(organisation=org_a, contact=coordinator_a, status=Session.Status.HELD)


@pytest.fixture
def by_post_a(org_a: Organisation) -> Person:
    """A member who gets letters, in Welsh and large print."""
    return make_member(
        org_a,
        full_name="Gwen Post",
        preferred_channel="post",
        prefers_welsh=True,
        needs_large_print=True,
        address="2 Stryd Fawr\nAberystwyth",
        postcode="SY23 3AB",
    )


def attended(session: Session, *people: Person) -> None:
    for person in people:
        Attendance.objects.create(session=session, person=person, status=Attendance.Status.ATTENDED)
