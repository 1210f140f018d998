"""Plain functions that make venues, sessions, invitations and attendance for meeting tests.

Every field can be overridden with a keyword; the defaults describe an ordinary, well-run
session (a step-free venue, a 10:30 start, two and a half hours) far enough in the future
that no test depends on today's date.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.factories import PersonFactory, UserFactory
from withus.accounts.models import Organisation, User
from withus.meetings.models import AgendaItem, Attendance, Invitation, Paper, Session, Venue
from withus.people.models import Person

LONDON = ZoneInfo("Europe/London")

_numbers = itertools.count(1)


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 30) -> datetime:
    """A wall-clock time in Wales, as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def make_venue(organisation: Organisation, **fields: Any) -> Venue:
    values: dict[str, Any] = {
        "name": f"Canolfan {next(_numbers)}",
        "address": "1 Heol y Dref\nAberystwyth\nSY23 1AA",
        "step_free": Venue.Answer.YES,
        "public_transport": Venue.Answer.YES,
        "parking": Venue.Answer.NO,
        "hearing_loop": Venue.Answer.YES,
    }
    values.update(fields)
    return Venue.objects.create(organisation=organisation, **values)


def make_contact(**fields: Any) -> User:
    """A staff contact person with a name, for the sessions' "who to contact"."""
    values: dict[str, Any] = {"first_name": "Nia", "last_name": "Rhys"}
    values.update(fields)
    user = UserFactory(**values)
    assert isinstance(user, User)
    return user


def make_session(
    organisation: Organisation,
    contact: User | None = None,
    *,
    venue: Venue | None = None,
    online: bool = False,
    agenda: tuple[str, ...] = ("Welcome and introductions", "How people are involved"),
    **fields: Any,
) -> Session:
    """A session with an agenda; at a new venue unless ``venue`` is given or ``online`` is true."""
    starts_at = fields.pop("starts_at", london(2030, 6, 12, 10, 30))
    values: dict[str, Any] = {
        "title": f"Carers' reference group {next(_numbers)}",
        "starts_at": starts_at,
        "ends_at": fields.pop("ends_at", None) or starts_at + timedelta(hours=2, minutes=30),
        "status": Session.Status.INVITED,
    }
    if online:
        values["online_link"] = "https://meet.example.org/carers"
    elif venue is None:
        venue = make_venue(organisation)
    values.update(fields)
    session = Session.objects.create(
        organisation=organisation, contact=contact or make_contact(), venue=venue, **values
    )
    for order, title in enumerate(agenda):
        AgendaItem.objects.create(
            session=session, order=order, title=title, about_involvement="involved" in title.lower()
        )
    return session


def make_person(**fields: Any) -> Person:
    """A member who gets their letters by post."""
    values: dict[str, Any] = {
        "address": "2 Stryd Fawr\nLlanbadarn Fawr\nAberystwyth",
        "postcode": "SY23 3AB",
        "preferred_channel": "post",
    }
    values.update(fields)
    person = PersonFactory(**values)
    assert isinstance(person, Person)
    return person


def make_invitation(session: Session, person: Person | None = None, **fields: Any) -> Invitation:
    values: dict[str, Any] = {"role": Invitation.Role.MEMBER}
    values.update(fields)
    return Invitation.objects.create(session=session, person=person, **values)


def make_paper(session: Session, title: str = "Minutes of the last meeting", **fields: Any) -> Paper:
    values: dict[str, Any] = {"file": f"papers/2030/{next(_numbers)}.pdf"}
    values.update(fields)
    return Paper.objects.create(session=session, title=title, **values)


def make_attendance(session: Session, person: Person, **fields: Any) -> Attendance:
    values: dict[str, Any] = {"status": Attendance.Status.ATTENDED, "role": Attendance.Role.MEMBER}
    values.update(fields)
    return Attendance.objects.create(session=session, person=person, **values)
