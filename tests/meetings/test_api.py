"""The sessions API: planning, invitations, the standards, attendance, actions and members' check-in.

The organisation is always the token's: another organisation's session, person or action is not found.
"""

import json
from datetime import timedelta
from typing import Any, get_args

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import ApiClient, api_as, assert_error, member_api
from tests.conftest import make_member, make_staff
from tests.meetings.factories import london, make_attendance, make_invitation, make_session, make_venue
from tests.opportunities.factories import make_opportunity
from withus.accounts.models import Organisation, Role, User
from withus.groups.models import Group
from withus.meetings import api as meetings_api
from withus.meetings import services
from withus.meetings.models import Action, Attendance, Invitation, Session
from withus.people.models import Person

pytestmark = pytest.mark.django_db

START = london(2030, 6, 12, 10, 30)
CODE = "KQ7H2M"


def put(client: ApiClient, path: str, body: Any) -> Any:
    return client.client.put(path, json.dumps(body), content_type="application/json", headers=client.headers)


def new_session(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Carers' reference group",
        "starts_at": "2030-06-12T10:30:00",
        "ends_at": "2030-06-12T12:00:00",
        "online_link": "https://meet.example.org/carers",
        "agenda": ["Welcome", "Discharge leaflet"],
    }
    body.update(overrides)
    return body


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


# ---- Reading sessions -------------------------------------------------------------------


def test_staff_list_their_organisations_sessions_with_filters(
    org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    board = Group.objects.create(organisation=org_a, name="Partnership board")
    make_session(org_a, title="June", starts_at=START, group=board)
    make_session(org_a, title="May", starts_at=START - timedelta(days=30), status="planned")
    make_session(org_a, title="July", starts_at=START + timedelta(days=30), status="cancelled", group=board)
    make_session(org_b, title="Elsewhere", starts_at=START)
    client = api_as(make_staff(org_a, Role.SUPERVISOR), org_a, Role.SUPERVISOR)

    response = client.get("/api/sessions")

    assert titles(response) == ["May", "June", "July"]
    assert response.json()["count"] == 3
    june = response.json()["items"][1]
    assert june["group"] == {"id": board.pk, "name": "Partnership board", "name_cy": ""}
    assert june["venue"]["name"].startswith("Canolfan")
    assert june["starts_at"] == "2030-06-12T09:30:00Z"  # 10:30 in Wales, in summer time
    # Dates are days in Wales, both ends included.
    assert titles(client.get("/api/sessions", {"from": "2030-06-12", "to": "2030-06-12"})) == ["June"]
    assert titles(client.get("/api/sessions", {"from": "2030-06-13"})) == ["July"]
    assert titles(client.get("/api/sessions", {"to": "2030-06-11"})) == ["May"]
    assert titles(client.get("/api/sessions", {"status": "planned"})) == ["May"]
    assert titles(client.get("/api/sessions", {"group": board.pk})) == ["June", "July"]
    assert titles(client.get("/api/sessions", {"limit": 1, "offset": 2})) == ["July"]


def test_session_list_refuses_a_backwards_range_and_unknown_status(org_a: Organisation, coordinator_a: User) -> None:
    client = api_as(coordinator_a, org_a)

    body = assert_error(client.get("/api/sessions", {"from": "2030-06-12", "to": "2030-06-11"}), 422, "invalid")
    assert list(body["fields"]) == ["to"]
    body = assert_error(client.get("/api/sessions", {"status": "postponed"}), 422, "invalid")
    assert list(body["fields"]) == ["status"]


def test_session_list_takes_the_last_day_of_the_calendar(org_a: Organisation, coordinator_a: User) -> None:
    make_session(org_a, title="June", starts_at=START)
    client = api_as(coordinator_a, org_a)

    assert titles(client.get("/api/sessions", {"from": "0001-01-01", "to": "9999-12-31"})) == ["June"]
    assert titles(client.get("/api/sessions", {"from": "9999-12-31"})) == []


def test_session_list_queries_do_not_grow_with_the_sessions(org_a: Organisation, coordinator_a: User) -> None:
    def queries() -> int:
        client = api_as(coordinator_a, org_a)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/sessions")
        assert response.status_code == 200, response.content
        return len(captured)

    make_session(org_a, group=Group.objects.create(organisation=org_a, name="Group 0"))
    one = queries()
    for n in range(1, 6):
        group = Group.objects.create(organisation=org_a, name=f"Group {n}")
        make_session(org_a, group=group, starts_at=START + timedelta(days=n))

    assert api_as(coordinator_a, org_a).get("/api/sessions").json()["count"] == 6
    assert queries() == one


def test_session_detail_has_agenda_venue_invitations_and_standards(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    venue = make_venue(org_a, name="Neuadd y Dref", step_free="no", hearing_loop="no", notes="Ramp at the back")
    session = make_session(
        org_a,
        venue=venue,
        starts_at=london(2030, 6, 12, 9, 30),
        ends_at=london(2030, 6, 12, 11, 30),
        agenda=("Welcome", "How people are involved"),
        status="planned",
    )
    make_invitation(session, member_a, role="deputy", reply="coming")
    services.record_override(
        actor=coordinator_a, session=session, standard="start_time", reason="The only time the ward can do"
    )
    client = api_as(make_staff(org_a, Role.DECISION_MAKER), org_a, Role.DECISION_MAKER)

    response = client.get(f"/api/sessions/{session.pk}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert [(i["title"], i["about_involvement"]) for i in body["agenda"]] == [
        ("Welcome", False),
        ("How people are involved", True),
    ]
    assert body["venue"] == {
        "id": venue.pk,
        "name": "Neuadd y Dref",
        "name_cy": "",
        "address": venue.address,
        "step_free": "no",
        "public_transport": "yes",
        "parking": "no",
        "hearing_loop": "no",
        "notes": "Ramp at the back",
        "notes_cy": "",
    }
    standards = {s["code"]: s for s in body["standards"]}
    assert standards["start_time"]["state"] == "not_met"
    assert standards["start_time"]["reason"] == "Starts at 09:30, before 10:30."
    assert standards["start_time"]["override_reason"] == "The only time the ward can do"
    assert standards["venue"]["state"] == "not_met"
    assert standards["venue"]["override_reason"] is None
    assert standards["agenda"]["state"] == "met"
    assert set(standards["venue"]) == {"code", "name", "state", "reason", "override_reason"}
    (invitation,) = body["invitations"]
    # A person is their id and name only: nothing that could say something about their health.
    assert invitation["person"] == {"id": member_a.pk, "full_name": "Alaw Member"}
    assert (invitation["role"], invitation["reply"]) == ("deputy", "coming")
    assert body["check_in_code"] == session.check_in_code
    assert "perspective" not in response.content.decode()


# ---- Access -----------------------------------------------------------------------------------


def test_another_organisations_sessions_and_actions_are_not_found(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, member_a: Person, member_b: Person
) -> None:
    theirs = make_session(org_b, status="planned")
    make_invitation(theirs, member_b)
    their_action = Action.objects.create(session=theirs, text="Their action", owner_name="Bedwyr", due_on=START.date())
    ours = make_session(org_a, status="planned")
    theirs_title = theirs.title
    client = api_as(coordinator_a, org_a)
    base = f"/api/sessions/{theirs.pk}"

    for response in (
        client.get(base),
        client.patch(base, {"title": "Ours now"}),
        client.post(f"{base}/cancel", {"reason": "Taken over"}),
        client.post(f"{base}/invitations", {"people": [member_a.pk]}),
        client.post(f"{base}/overrides", {"standard": "venue", "reason": "x"}),
        client.post(f"{base}/send", {}),
        client.get(f"{base}/attendance"),
        put(client, f"{base}/attendance/{member_b.pk}", {"status": "attended"}),
        client.get(f"{base}/actions"),
        client.post(f"{base}/actions", {"text": "x", "owner_name": "x", "due_on": "2030-07-01"}),
        client.post(f"/api/actions/{their_action.pk}/done", {}),
        # Someone who does not share their details with this organisation, at one of its own sessions.
        put(client, f"/api/sessions/{ours.pk}/attendance/{member_b.pk}", {"status": "attended"}),
    ):
        assert_error(response, 404, "not_found")
    theirs.refresh_from_db()
    their_action.refresh_from_db()
    assert (theirs.title, theirs.status) == (theirs_title, "planned")
    assert their_action.done_at is None
    assert not Attendance.objects.exists()
    assert theirs.invitations.get().sent_at is None
    assert not theirs.overrides.exists()


def staff_reads(client: ApiClient, session: Session) -> list[Any]:
    base = f"/api/sessions/{session.pk}"
    return [
        client.get("/api/sessions"),
        client.get(base),
        client.get(f"{base}/attendance"),
        client.get(f"{base}/actions"),
    ]


def staff_writes(client: ApiClient, session: Session, person: Person, action: Action) -> list[Any]:
    base = f"/api/sessions/{session.pk}"
    return [
        client.post("/api/sessions", new_session()),
        client.patch(base, {"title": "Changed"}),
        client.post(f"{base}/cancel", {"reason": "No"}),
        client.post(f"{base}/invitations", {"people": [person.pk]}),
        client.post(f"{base}/overrides", {"standard": "venue", "reason": "x"}),
        client.post(f"{base}/send", {}),
        put(client, f"{base}/attendance/{person.pk}", {"status": "attended"}),
        client.post(f"{base}/actions", {"text": "x", "owner_name": "x", "due_on": "2030-07-01"}),
        client.post(f"/api/actions/{action.pk}/done", {}),
    ]


def staff_calls(client: ApiClient, session: Session, person: Person, action: Action) -> list[Any]:
    return [*staff_reads(client, session), *staff_writes(client, session, person, action)]


def assert_unchanged(session: Session, action: Action) -> None:
    session.refresh_from_db()
    action.refresh_from_db()
    assert Session.objects.count() == 1
    assert (session.title, session.status) == ("Untouched", "planned")
    assert not session.overrides.exists()
    assert not Attendance.objects.exists()
    assert Action.objects.count() == 1
    assert action.done_at is None


def test_member_tokens_cannot_use_staff_operations(org_a: Organisation, member_a: Person) -> None:
    session = make_session(org_a, title="Untouched", status="planned")
    make_invitation(session, member_a)
    action = Action.objects.create(session=session, text="An action", owner_name="Nia", due_on=START.date())

    for response in staff_calls(member_api(member_a, org_a), session, member_a, action):
        assert_error(response, 403, "forbidden")
    assert_unchanged(session, action)


def test_no_token_no_access(org_a: Organisation, member_a: Person) -> None:
    session = make_session(org_a, title="Untouched", status="planned")
    action = Action.objects.create(session=session, text="An action", owner_name="Nia", due_on=START.date())
    anonymous = ApiClient(None)

    for response in [
        *staff_calls(anonymous, session, member_a, action),
        anonymous.get("/api/me/sessions"),
        anonymous.post("/api/me/check-in", {"code": session.check_in_code}),
    ]:
        assert_error(response, 401, "not_authenticated")
    assert_unchanged(session, action)


def test_decision_makers_and_supervisors_read_but_do_not_write(org_a: Organisation, member_a: Person) -> None:
    session = make_session(org_a, title="Untouched", status="planned")
    make_invitation(session, member_a)
    action = Action.objects.create(session=session, text="An action", owner_name="Nia", due_on=START.date())

    for role in (Role.DECISION_MAKER, Role.SUPERVISOR):
        client = api_as(make_staff(org_a, role), org_a, role)
        assert [r.status_code for r in staff_reads(client, session)] == [200, 200, 200, 200]
        for response in staff_writes(client, session, member_a, action):
            assert_error(response, 403, "forbidden")
    assert_unchanged(session, action)


def test_staff_tokens_have_no_sessions_of_their_own(org_a: Organisation, coordinator_a: User) -> None:
    client = api_as(coordinator_a, org_a)

    assert_error(client.get("/api/me/sessions"), 403, "forbidden")
    assert_error(client.post("/api/me/check-in", {"code": "ABC234"}), 403, "forbidden")


# ---- Planning and changing ----------------------------------------------------------------


def test_planning_a_session(org_a: Organisation, coordinator_a: User) -> None:
    venue = make_venue(org_a)
    group = Group.objects.create(organisation=org_a, name="Partnership board", kind="board")
    opportunity = make_opportunity(org_a, coordinator_a)
    body = new_session(venue=venue.pk, online_link="", group=group.pk, opportunity=opportunity.pk, kind="panel")

    response = api_as(coordinator_a, org_a).post("/api/sessions", body)

    assert response.status_code == 201, response.content
    session = Session.objects.get()
    assert (session.organisation, session.venue, session.group, session.opportunity) == (
        org_a,
        venue,
        group,
        opportunity,
    )
    assert (session.kind, session.status, session.contact, session.high_level) == (
        "panel",
        "planned",
        coordinator_a,
        True,
    )
    # A time without an offset is the time in Wales.
    assert session.starts_at == START
    agenda = [(item["title"], item["about_involvement"]) for item in response.json()["agenda"]]
    assert agenda[:2] == [("Welcome", False), ("Discharge leaflet", False)]
    assert agenda[2][1] is True
    assert response.json()["id"] == session.pk
    assert {s["code"] for s in response.json()["standards"]} >= {"invitations", "papers", "agenda", "venue"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2030-06-12T10:00:00"}, "ends_at"),
        ({"ends_at": "2030-06-12T10:30:00"}, "ends_at"),
        ({"online_link": ""}, "venue"),
        ({"online_link": "not a link"}, "online_link"),
        ({"title": "  "}, "title"),
        ({"kind": "party"}, "kind"),
        ({"starts_at": "next Tuesday"}, "starts_at"),
        ({"refreshments": "banquet"}, "refreshments"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_sessions_are_refused(
    org_a: Organisation, coordinator_a: User, changes: dict[str, Any], field: str
) -> None:
    response = api_as(coordinator_a, org_a).post("/api/sessions", new_session(**changes))

    body = assert_error(response, 422, "invalid")
    assert field in body["fields"], body
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00", "0001-01-10T10:30:00+01:00", "9999-12-31T20:00:00", "1999-12-31T23:59:00"],
)
def test_a_session_at_the_edge_of_the_calendar_is_refused_not_a_server_error(
    org_a: Organisation, coordinator_a: User, moment: str
) -> None:
    """Saved, such a session could never be shown: its standards count days before its start."""
    client = api_as(coordinator_a, org_a)
    session = make_session(org_a, coordinator_a, online=True)

    changed = assert_error(client.patch(f"/api/sessions/{session.pk}", {"starts_at": moment}), 422, "invalid")
    planned = assert_error(client.post("/api/sessions", new_session(starts_at=moment)), 422, "invalid")

    assert changed["fields"]["starts_at"] == ["Choose a date between 2000 and 2099."]
    assert "starts_at" in planned["fields"]
    session.refresh_from_db()
    assert session.starts_at == START
    assert Session.objects.count() == 1


def test_planning_uses_only_the_tokens_organisations_venues_groups_and_opportunities(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    client = api_as(coordinator_a, org_a)
    for changes, field, message in (
        ({"venue": make_venue(org_b).pk}, "venue", "Choose one of your organisation's venues."),
        ({"venue": 999_999}, "venue", "Choose one of your organisation's venues."),
        (
            {"group": Group.objects.create(organisation=org_b, name="B").pk},
            "group",
            "Choose one of your organisation's groups.",
        ),
        (
            {"opportunity": make_opportunity(org_b, coordinator_b).pk},
            "opportunity",
            "Choose one of your organisation's opportunities.",
        ),
        (
            {"contact": coordinator_b.pk},
            "contact",
            "The contact person must be a member of your organisation's staff.",
        ),
    ):
        response = client.post("/api/sessions", new_session(**changes))
        assert assert_error(response, 422, "invalid")["fields"].get(field) == [message], (changes, response.content)
    assert not Session.objects.exists()


def test_changing_a_session_tells_those_invited(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, member_a: Person
) -> None:
    session = make_session(org_a, coordinator_a, online=True, status="invited")
    make_invitation(session, member_a, sent_at=START - timedelta(days=20), channel="email")
    client = api_as(coordinator_a, org_a)
    path = f"/api/sessions/{session.pk}"

    refused = client.patch(path, {"ends_at": "2030-06-12T09:00:00"})
    assert list(assert_error(refused, 422, "invalid")["fields"]) == ["ends_at"]
    other_venue = client.patch(path, {"venue": make_venue(org_b).pk})
    assert list(assert_error(other_venue, 422, "invalid")["fields"]) == ["venue"]
    assert not mail.outbox

    response = client.patch(path, {"title": "Carers' group, new room", "note": "We moved to a bigger room"})

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Carers' group, new room"
    session.refresh_from_db()
    assert session.title == "Carers' group, new room"
    assert session.ends_at == START + timedelta(hours=2, minutes=30)
    (message,) = mail.outbox
    assert message.to == [member_a.email]
    assert "We moved to a bigger room" in message.body


def test_cancelling_needs_a_reason(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a, status="planned")
    client = api_as(coordinator_a, org_a)
    path = f"/api/sessions/{session.pk}/cancel"

    assert list(assert_error(client.post(path, {"reason": "  "}), 422, "invalid")["fields"]) == ["reason"]
    assert list(assert_error(client.post(path, {}), 422, "invalid")["fields"]) == ["reason"]
    session.refresh_from_db()
    assert session.status == "planned"

    response = client.post(path, {"reason": "The room flooded"})

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["cancelled_reason"]) == ("cancelled", "The room flooded")
    session.refresh_from_db()
    assert (session.status, session.cancelled_reason) == ("cancelled", "The room flooded")


# ---- Invitations and sending -----------------------------------------------------------------


def test_inviting_people_who_share_with_the_organisation(
    org_a: Organisation, coordinator_a: User, member_a: Person, member_b: Person
) -> None:
    session = make_session(org_a, status="planned")
    deputy = make_member(org_a, full_name="Dafydd Deputy")
    client = api_as(coordinator_a, org_a)
    path = f"/api/sessions/{session.pk}/invitations"

    refused = assert_error(client.post(path, {"people": [member_a.pk, member_b.pk]}), 422, "invalid")
    assert refused["fields"]["people"] == [
        f"These are not people who share their details with your organisation: {member_b.pk}."
    ]
    assert not Invitation.objects.exists()
    assert "people" in assert_error(client.post(path, {"people": []}), 422, "invalid")["fields"]
    assert "role" in assert_error(client.post(path, {"people": [deputy.pk], "role": "boss"}), 422, "invalid")["fields"]

    assert client.post(path, {"people": [member_a.pk]}).status_code == 200
    response = client.post(path, {"people": [deputy.pk, member_a.pk], "role": "deputy"})

    assert response.status_code == 200, response.content
    invited = [(i["person"]["full_name"], i["role"], i["sent_at"]) for i in response.json()["invitations"]]
    # Someone already on the list keeps their role.
    assert sorted(invited) == [("Alaw Member", "member", None), ("Dafydd Deputy", "deputy", None)]
    assert Invitation.objects.filter(session=session).count() == 2


def test_sending_with_a_standard_unmet_needs_a_reason(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    session = make_session(
        org_a,
        online=True,
        status="planned",
        starts_at=london(2030, 6, 12, 9, 30),
        ends_at=london(2030, 6, 12, 11, 30),
    )
    make_invitation(session, member_a)
    client = api_as(coordinator_a, org_a)
    path = f"/api/sessions/{session.pk}/send"

    body = assert_error(client.post(path, {}), 422, "invalid")

    assert body["message"] == (
        "These standards are not met. Record why you are going ahead, or put them right: Not too early."
    )
    session.refresh_from_db()
    assert (session.status, session.invitations_sent_at) == ("planned", None)
    assert Invitation.objects.get().sent_at is None
    assert not mail.outbox

    reason = client.post(
        f"/api/sessions/{session.pk}/overrides", {"standard": "start_time", "reason": "The ward's only free hour"}
    )
    assert reason.status_code == 200, reason.content
    response = client.post(path, {})

    assert response.status_code == 200, response.content
    assert response.json() == {"sent": 1}
    session.refresh_from_db()
    assert session.status == "invited"
    assert Invitation.objects.get().sent_at is not None
    assert [m.to for m in mail.outbox] == [[member_a.email]]


def test_a_reason_is_needed_to_go_ahead_with_a_standard_unmet(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a, status="planned")
    client = api_as(coordinator_a, org_a)
    path = f"/api/sessions/{session.pk}/overrides"

    assert "reason" in assert_error(client.post(path, {"standard": "venue", "reason": " "}), 422, "invalid")["fields"]
    body = assert_error(client.post(path, {"standard": "weather", "reason": "Sunny"}), 422, "invalid")
    assert "standard" in body["fields"]
    assert not session.overrides.exists()


# ---- Attendance --------------------------------------------------------------------------------


def test_attendance_is_recorded_once_per_person_and_replaced(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    session = make_session(org_a)  # 10:30 to 13:00: 150 minutes
    make_invitation(session, member_a)
    deputy = make_member(org_a, full_name="Dafydd Deputy")
    client = api_as(coordinator_a, org_a)
    path = f"/api/sessions/{session.pk}/attendance/{member_a.pk}"

    first = put(client, path, {"status": "attended", "role": "chair"})
    assert first.status_code == 201, first.content
    assert first.json() == {
        "person": {"id": member_a.pk, "full_name": "Alaw Member"},
        "status": "attended",
        "role": "chair",
        "minutes_present": 150,
        "stood_in_for": None,
    }
    again = put(client, path, {"status": "attended", "minutes_present": 90})
    assert again.status_code == 200, again.content
    assert (again.json()["role"], again.json()["minutes_present"]) == ("member", 90)
    assert Attendance.objects.filter(session=session, person=member_a).count() == 1

    # A deputy who was not invited can be marked standing in for a member.
    not_invited = put(client, f"/api/sessions/{session.pk}/attendance/{deputy.pk}", {"status": "attended"})
    assert list(assert_error(not_invited, 422, "invalid")["fields"]) == ["person"]
    standing_in = put(
        client,
        f"/api/sessions/{session.pk}/attendance/{deputy.pk}",
        {"status": "attended", "stood_in_for": member_a.pk, "minutes_present": 60},
    )
    assert standing_in.status_code == 201, standing_in.content
    put(client, path, {"status": "apologies"})

    listed = client.get(f"/api/sessions/{session.pk}/attendance")

    assert listed.status_code == 200, listed.content
    assert listed.json() == [
        {
            "person": {"id": member_a.pk, "full_name": "Alaw Member"},
            "status": "apologies",
            "role": "member",
            "minutes_present": None,
            "stood_in_for": None,
        },
        {
            "person": {"id": deputy.pk, "full_name": "Dafydd Deputy"},
            "status": "attended",
            "role": "member",
            "minutes_present": 60,
            "stood_in_for": {"id": member_a.pk, "full_name": "Alaw Member"},
        },
    ]


def test_bad_attendance_is_refused(
    org_a: Organisation, coordinator_a: User, member_a: Person, member_b: Person
) -> None:
    session = make_session(org_a)
    make_invitation(session, member_a)
    client = api_as(coordinator_a, org_a)
    path = f"/api/sessions/{session.pk}/attendance/{member_a.pk}"

    for body, field in (
        ({"status": "asleep"}, "status"),
        ({}, "status"),
        ({"status": "attended", "minutes_present": -5}, "minutes_present"),
        ({"status": "attended", "minutes_present": 1000}, "minutes_present"),
        ({"status": "attended", "stood_in_for": member_a.pk}, "stood_in_for"),
        ({"status": "attended", "stood_in_for": member_b.pk}, "stood_in_for"),
        ({"status": "attended", "role": "boss"}, "role"),
    ):
        response = put(client, path, body)
        assert field in assert_error(response, 422, "invalid")["fields"], (body, response.content)
    assert not Attendance.objects.exists()


# ---- Actions -----------------------------------------------------------------------------------


def test_actions_are_added_listed_and_done(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a)
    client = api_as(coordinator_a, org_a)
    path = f"/api/sessions/{session.pk}/actions"

    bad = client.post(path, {"text": "Reprint", "owner_name": "Nia", "owner_email": "nia@", "due_on": "2030-07-01"})
    assert list(assert_error(bad, 422, "invalid")["fields"]) == ["owner_email"]
    no_date = client.post(path, {"text": "Reprint", "owner_name": "Nia", "due_on": "soon"})
    assert list(assert_error(no_date, 422, "invalid")["fields"]) == ["due_on"]
    assert not Action.objects.exists()

    later = client.post(path, {"text": "Write to the board", "owner_name": "Nia", "due_on": "2030-08-01"})
    sooner = client.post(
        path,
        {"text": "Reprint the leaflet", "owner_name": "Nia", "owner_email": "nia@example.org", "due_on": "2030-07-01"},
    )
    assert (later.status_code, sooner.status_code) == (201, 201), (later.content, sooner.content)
    assert sooner.json()["owner_email"] == "nia@example.org"
    assert sooner.json()["done_at"] is None

    done = client.post(f"/api/actions/{sooner.json()['id']}/done", {})
    assert done.status_code == 200, done.content
    assert done.json()["done_at"] is not None

    listed = client.get(path)
    assert listed.status_code == 200, listed.content
    assert [(a["text"], a["done_at"] is not None) for a in listed.json()] == [
        ("Reprint the leaflet", True),
        ("Write to the board", False),
    ]
    assert Action.objects.get(text="Reprint the leaflet").done_at is not None


# ---- Members -----------------------------------------------------------------------------------


def test_members_see_their_upcoming_sessions_and_reply(
    org_a: Organisation, org_b: Organisation, member_a: Person
) -> None:
    venue = make_venue(org_a, name="Neuadd y Dref")
    coming = make_session(org_a, title="Coming to this", venue=venue)
    make_invitation(coming, member_a, reply="coming", sent_at=START - timedelta(days=20))
    elsewhere = make_session(org_b, title="With B", online=True, starts_at=START + timedelta(days=1))
    make_invitation(elsewhere, member_a)
    make_invitation(make_session(org_a, title="Not sent yet", status="planned"), member_a)
    make_invitation(make_session(org_a, title="Past", starts_at=london(2020, 1, 8)), member_a)
    make_session(org_a, title="Not invited")
    with_someone_else = make_session(org_a, title="Someone else's", starts_at=START + timedelta(days=2))
    make_invitation(with_someone_else, make_member(org_a), reply="apologies")

    response = member_api(member_a, org_a).get("/api/me/sessions")

    assert titles(response) == ["Coming to this", "With B"]
    first, second = response.json()["items"]
    assert (first["reply"], second["reply"]) == ("coming", "none")
    assert first["venue"]["name"] == "Neuadd y Dref"
    assert first["venue"]["step_free"] == "yes"
    assert first["organisation"]["name"] == "Organisation A"
    assert (second["venue"], second["online_link"]) == (None, "https://meet.example.org/carers")
    assert first["starts_at"] == "2030-06-12T09:30:00Z"
    assert "check_in_code" not in first


def test_a_check_in_code_works_once(org_a: Organisation, member_a: Person) -> None:
    session = make_session(org_a, check_in_code=CODE)
    make_invitation(session, member_a)
    client = member_api(member_a, org_a)

    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        first = client.post("/api/me/check-in", {"code": session.check_in_code.lower()})
        second = client.post("/api/me/check-in", {"code": session.check_in_code})

    assert first.status_code == 201, first.content
    assert first.json()["session"]["id"] == session.pk
    assert first.json()["minutes_present"] == 140
    body = assert_error(second, 422, "invalid")
    assert body["message"] == "You have already checked in. Thank you."
    assert body["fields"] == {"code": ["You have already checked in. Thank you."]}
    attendance = Attendance.objects.get()
    assert (attendance.person, attendance.self_checked_in) == (member_a, True)


def test_a_check_in_code_is_refused_after_the_day_or_when_wrong(org_a: Organisation, member_a: Person) -> None:
    session = make_session(org_a, check_in_code=CODE)
    make_invitation(session, member_a)
    client = member_api(member_a, org_a)

    with time_machine.travel(START + timedelta(days=1), tick=False):
        late = client.post("/api/me/check-in", {"code": session.check_in_code})
    with time_machine.travel(START, tick=False):
        wrong = client.post("/api/me/check-in", {"code": "WRONG1"})
        blank = client.post("/api/me/check-in", {"code": ""})

    assert assert_error(late, 422, "invalid")["message"] == "You can only check in on the day of the session."
    message = "That code is not right. Check it with the person running the session."
    assert assert_error(wrong, 422, "invalid")["message"] == message
    assert assert_error(blank, 422, "invalid")["message"] == message
    assert not Attendance.objects.exists()


def test_a_member_not_invited_cannot_check_in(org_a: Organisation, member_a: Person) -> None:
    session = make_session(org_a, check_in_code=CODE)

    with time_machine.travel(START, tick=False):
        response = member_api(member_a, org_a).post("/api/me/check-in", {"code": session.check_in_code})

    assert "not on the list" in assert_error(response, 422, "invalid")["message"]
    assert not Attendance.objects.exists()


def test_a_member_already_marked_by_the_coordinator_is_told_so(org_a: Organisation, member_a: Person) -> None:
    session = make_session(org_a, check_in_code=CODE)
    make_invitation(session, member_a)
    make_attendance(session, member_a, minutes_present=150)

    with time_machine.travel(START, tick=False):
        response = member_api(member_a, org_a).post("/api/me/check-in", {"code": session.check_in_code})

    assert assert_error(response, 422, "invalid")["message"] == "You have already checked in. Thank you."
    assert Attendance.objects.get().minutes_present == 150


# ---- The OpenAPI document -------------------------------------------------------------------


def test_choices_match_the_models() -> None:
    assert set(get_args(meetings_api.SessionKind)) == set(Session.Kind.values)
    assert set(get_args(meetings_api.SessionStatus)) == set(Session.Status.values)
    assert set(get_args(meetings_api.InvitationRole)) == set(Invitation.Role.values)
    assert set(get_args(meetings_api.AttendanceStatus)) == set(Attendance.Status.values)
    assert set(get_args(meetings_api.AttendanceRole)) == set(Attendance.Role.values)


def test_openapi_lists_the_session_operations_and_their_choices() -> None:
    document = Client().get("/api/openapi.json").json()
    paths = document["paths"]

    assert set(paths["/api/sessions"]) == {"get", "post"}
    assert set(paths["/api/sessions/{session_id}"]) == {"get", "patch"}
    assert set(paths["/api/sessions/{session_id}/attendance/{person_id}"]) == {"put"}
    assert paths["/api/me/check-in"]["post"]["security"]
    status = next(p for p in paths["/api/sessions"]["get"]["parameters"] if p["name"] == "status")
    assert "held" in json.dumps(status["schema"])
    # The session's choices do not take the names of other models' choices in the document.
    schemas = document["components"]["schemas"]
    assert "active" in schemas["Status"]["enum"]
