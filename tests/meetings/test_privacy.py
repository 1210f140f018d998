"""A member's download holds their invitations and attendance, debriefs, declarations and actions."""

import json

import pytest

from tests.meetings.factories import (
    ActionFactory,
    DebriefFactory,
    DeclarationFactory,
    london,
    make_attendance,
    make_invitation,
    make_session,
)
from tests.people.factories import PersonFactory
from withus.core import privacy

pytestmark = pytest.mark.django_db


def test_invitations_and_attendance_come_together_by_session(org_a):
    person = PersonFactory(full_name="Alaw Jones")
    member = PersonFactory(full_name="Bedwyr Huws")
    invited = make_session(org_a, title="Board", starts_at=london(2030, 6, 12))
    make_invitation(invited, person, reply="coming", channel="email")
    make_attendance(invited, person, minutes_present=150)
    stood_in = make_session(org_a, title="Panel", starts_at=london(2030, 7, 1))
    make_attendance(stood_in, person, stood_in_for=member)
    make_invitation(make_session(org_a, title="Not theirs"), member)

    records = privacy.subject_access(person)["invitations_and_attendance"]

    assert [(r["session"], r["invited_as"], r["reply"], r["attendance"]) for r in records] == [
        ("Board", "member", "coming", "attended"),
        ("Panel", None, None, "attended"),
    ]
    assert records[0]["minutes_present"] == 150
    assert records[0]["starts_at"] == "2030-06-12T10:30:00+01:00"
    assert records[1]["stood_in_for"] == "Bedwyr Huws"


def test_debriefs_declarations_and_actions_are_in_the_download(org_a):
    person = PersonFactory(full_name="Alaw Jones", preferred_name="Alaw")
    session = make_session(org_a, title="Board")
    make_attendance(session, person)
    DebriefFactory(session=session, person=person, feeling="okay", comments="Tired", wants_call=True)
    DeclarationFactory(session=session, declared_by="alaw ", interest="I use the crisis team")
    DeclarationFactory(session=session, declared_by="Bedwyr", interest="Not hers")
    DeclarationFactory(session=make_session(org_a), declared_by="Alaw Jones", interest="Another Alaw, elsewhere")
    ActionFactory(session=session, owner_person=person, text="Bring the leaflet")

    document = privacy.subject_access(person)

    [debrief] = document["debriefs"]
    assert (debrief["feeling"], debrief["comments"], debrief["wants_call"]) == ("okay", "Tired", True)
    assert [d["interest"] for d in document["declarations_of_interest"]] == ["I use the crisis team"]
    assert [a["text"] for a in document["actions"]] == ["Bring the leaflet"]
    for key in ("invitations_and_attendance", "debriefs", "declarations_of_interest", "actions"):
        assert document["labels"][key]["title"]
        assert set(document["labels"][key]["fields"]) == set(document[key][0])
    json.dumps(document)
