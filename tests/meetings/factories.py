"""factory_boy factories for venues, sessions, invitations, papers and attendance.

The defaults describe an ordinary, well-run session (a step-free venue, a 10:30 start,
two and a half hours) far enough in the future that no test depends on today's date.
The ``make_*`` functions are the short way to each, with every field overridable by keyword.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import factory

from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.people.factories import PersonFactory
from withus.accounts.models import Organisation, User
from withus.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Debrief,
    Declaration,
    Invitation,
    Paper,
    Session,
    Venue,
)
from withus.people.models import Person

LONDON = ZoneInfo("Europe/London")
AGENDA = ("Welcome and introductions", "How people are involved")


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 30) -> datetime:
    """A wall-clock time in Wales, as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Canolfan {n}")
    address = "1 Heol y Dref\nAberystwyth\nSY23 1AA"
    step_free = Venue.Answer.YES
    public_transport = Venue.Answer.YES
    parking = Venue.Answer.NO
    hearing_loop = Venue.Answer.YES


class ContactFactory(UserFactory):
    """A staff contact person with a name, for the sessions' "who to contact"."""

    first_name = "Nia"
    last_name = "Rhys"


class SessionFactory(factory.django.DjangoModelFactory):
    """A session at a new venue of its organisation, with an agenda (``agenda=(...)`` to choose it)."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    contact = factory.SubFactory(ContactFactory)
    venue = factory.SubFactory(VenueFactory, organisation=factory.SelfAttribute("..organisation"))
    title = factory.Sequence(lambda n: f"Carers' reference group {n}")
    starts_at = london(2030, 6, 12, 10, 30)
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=2, minutes=30))
    status = Session.Status.INVITED

    @factory.post_generation
    def agenda(self, create: bool, extracted: tuple[str, ...] | None, **kwargs: Any) -> None:
        if not create:
            return
        for order, title in enumerate(AGENDA if extracted is None else extracted):
            AgendaItem.objects.create(
                session=self, order=order, title=title, about_involvement="involved" in title.lower()
            )


class PersonByPostFactory(PersonFactory):
    """A member who gets their letters by post."""

    address = "2 Stryd Fawr\nLlanbadarn Fawr\nAberystwyth"
    postcode = "SY23 3AB"
    preferred_channel = "post"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = Invitation.Role.MEMBER


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    session = factory.SubFactory(SessionFactory)
    title = "Minutes of the last meeting"
    file = factory.Sequence(lambda n: f"papers/2030/{n}.pdf")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    status = Attendance.Status.ATTENDED
    role = Attendance.Role.MEMBER


class DebriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debrief

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    session = factory.SubFactory(SessionFactory)
    agenda_item = factory.LazyAttribute(lambda declaration: declaration.session.agenda.first())
    declared_by = factory.Sequence(lambda n: f"Member {n}")
    interest = "I use the service being discussed"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    session = factory.SubFactory(SessionFactory)
    text = "Send the revised leaflet to the group"
    owner_name = "Nia Rhys"
    due_on = factory.LazyAttribute(lambda action: (action.session.starts_at + timedelta(days=14)).date())


def make_venue(organisation: Organisation, **fields: Any) -> Venue:
    venue = VenueFactory(organisation=organisation, **fields)
    assert isinstance(venue, Venue)
    return venue


def make_contact(**fields: Any) -> User:
    """A staff contact person with a name, for the sessions' "who to contact"."""
    user = ContactFactory(**fields)
    assert isinstance(user, User)
    return user


def make_session(
    organisation: Organisation,
    contact: User | None = None,
    *,
    venue: Venue | None = None,
    online: bool = False,
    agenda: tuple[str, ...] = AGENDA,
    **fields: Any,
) -> Session:
    """A session with an agenda; at a new venue unless ``venue`` is given or ``online`` is true."""
    if fields.get("ends_at") is None:
        fields.pop("ends_at", None)  # two and a half hours after it starts
    if contact is not None:
        fields["contact"] = contact
    if online:
        fields.setdefault("online_link", "https://meet.example.org/carers")
        fields["venue"] = venue
    elif venue is not None:
        fields["venue"] = venue
    session = SessionFactory(organisation=organisation, agenda=agenda, **fields)
    assert isinstance(session, Session)
    return session


def make_person(**fields: Any) -> Person:
    """A member who gets their letters by post."""
    person = PersonByPostFactory(**fields)
    assert isinstance(person, Person)
    return person


def make_invitation(session: Session, person: Person | None = None, **fields: Any) -> Invitation:
    invitation = InvitationFactory(session=session, person=person, **fields)
    assert isinstance(invitation, Invitation)
    return invitation


def make_paper(session: Session, title: str = "Minutes of the last meeting", **fields: Any) -> Paper:
    paper = PaperFactory(session=session, title=title, **fields)
    assert isinstance(paper, Paper)
    return paper


def make_attendance(session: Session, person: Person, **fields: Any) -> Attendance:
    attendance = AttendanceFactory(session=session, person=person, **fields)
    assert isinstance(attendance, Attendance)
    return attendance
