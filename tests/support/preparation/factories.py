from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.meetings.factories import london, make_attendance, make_invitation, make_session
from withus.accounts.models import Organisation, User
from withus.meetings.models import Session
from withus.people.models import Person
from withus.support.preparation.models import Preparation

STARTS = london(2030, 6, 12, 10, 30)
NOW = london(2030, 6, 1, 9, 0)


def make_preparation(session: Session, kind: str = Preparation.Kind.BRIEFING, **fields: Any) -> Preparation:
    at: datetime = session.starts_at - (
        timedelta(days=2) if kind == Preparation.Kind.BRIEFING else timedelta(minutes=30)
    )
    fields.setdefault("at", at)
    fields.setdefault("where", "The Hub, room 2")
    return Preparation.objects.create(session=session, kind=kind, **fields)


def regular(person: Person, organisation: Organisation) -> Person:
    """Someone who has attended a session with the organisation before: not new."""
    earlier = make_session(organisation, starts_at=STARTS - timedelta(days=60), agenda=())
    make_attendance(earlier, person)
    return person


def invited(session: Session, person: Person, **fields: Any) -> Person:
    fields.setdefault("sent_at", NOW - timedelta(days=5))
    make_invitation(session, person, **fields)
    return person


def staff_supporter(user: User) -> dict[str, Any]:
    return {"by_staff": user}
