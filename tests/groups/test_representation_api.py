"""The structure of representation, a representative's views and report-backs, and writing to the board,
through the API: the same services and the same people allowed as on the pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.groups.test_representation import _structure
from tests.meetings.factories import make_session
from withus.groups.models import PartnerMessage, ReportBack, RepresentativeView

pytestmark = pytest.mark.django_db


def test_the_structure_reads_from_forums_down_with_each_seat_for_staff_and_members(org_a, org_b, coordinator_a):
    forum, board, local, _rep, members, _seat = _structure(org_a, coordinator_a)
    body = api_as(coordinator_a, org_a).get("/api/groups/structure").json()
    assert body["top"][0] == forum.pk
    below = {g["id"]: g["below"] for g in body["groups"]}
    assert below[forum.pk] == [board.pk] and below[board.pk] == [local.pk] and below[local.pk] == []
    rows = {(s["person"], s["sits_on"], s["speaks_for"]) for s in body["seats"]}
    assert ("Rhian Rep", board.pk, local.pk) in rows
    assert member_api(members[0], org_a).get("/api/groups/structure").json() == body
    # A member of another organisation reads that organisation's structure, not this one's.
    stranger = make_member(org_b)
    outside = member_api(stranger, org_b).get("/api/groups/structure").json()
    assert outside["seats"] == [] and forum.pk not in {g["id"] for g in outside["groups"]}


def test_the_structure_takes_the_same_queries_whatever_its_size(org_a, coordinator_a):
    api = api_as(coordinator_a, org_a)
    _structure(org_a, coordinator_a)
    with CaptureQueriesContext(connection) as small:
        api.get("/api/groups/structure")
    for i in range(4):
        local = GroupFactory(organisation=org_a, name=f"Local {i}", kind="network")
        board = GroupFactory(organisation=org_a, name=f"Board {i}", kind="board")
        AppointmentFactory(group=board, person=make_member(org_a), speaks_for=local)
    with CaptureQueriesContext(connection) as large:
        body = api.get("/api/groups/structure").json()
    assert len(body["seats"]) == 6
    assert len(large) == len(small)


def test_members_send_views_the_representative_marks_them_and_reports_back(org_a, coordinator_a):
    _forum, board, _local, rep, members, seat = _structure(org_a, coordinator_a)
    meeting = make_session(org_a, group=board, title="Winter board")
    other = make_session(org_a, title="Not the board's")
    member = member_api(members[0], org_a)
    assert [s["id"] for s in member.get("/api/groups/representatives").json()] == [seat.pk]

    sent = member.post(
        f"/api/groups/representatives/{seat.pk}/views", {"text": "More evening meetings", "session": meeting.pk}
    )
    assert sent.status_code == 201, sent.content
    view = sent.json()
    assert (view["sent_by"], view["session"], view["raised"]) == (members[0].full_name, meeting.pk, None)
    wrong = member.post(f"/api/groups/representatives/{seat.pk}/views", {"text": "x", "session": other.pk})
    assert "session" in assert_error(wrong, 422, "invalid")["fields"]
    assert (
        "text"
        in assert_error(member.post(f"/api/groups/representatives/{seat.pk}/views", {"text": " "}), 422, "invalid")[
            "fields"
        ]
    )

    # Another member of the group cannot mark it; the representative can, and must say what came of it.
    assert_error(
        member.post(f"/api/groups/representatives/{seat.pk}/views/{view['id']}/mark", {"raised": True}),
        403,
        "forbidden",
    )
    own = member_api(rep, org_a)
    vague = own.post(f"/api/groups/representatives/{seat.pk}/views/{view['id']}/mark", {"raised": True})
    assert "outcome" in assert_error(vague, 422, "invalid")["fields"]
    marked = own.post(
        f"/api/groups/representatives/{seat.pk}/views/{view['id']}/mark",
        {"raised": True, "outcome": "Agreed for spring"},
    )
    assert marked.json()["raised"] is True
    assert RepresentativeView.objects.get(pk=view["id"]).outcome == "Agreed for spring"

    assert_error(
        member.post(f"/api/groups/representatives/{seat.pk}/report-backs", {"session": meeting.pk, "summary": "x"}),
        403,
        "forbidden",
    )
    report = own.post(
        f"/api/groups/representatives/{seat.pk}/report-backs",
        {"session": meeting.pk, "summary": "Evening trial agreed"},
    )
    assert report.status_code == 201, report.content
    off = own.post(f"/api/groups/representatives/{seat.pk}/report-backs", {"session": other.pk, "summary": "x"})
    assert "session" in assert_error(off, 422, "invalid")["fields"]
    assert ReportBack.objects.filter(person=rep).count() == 1

    page = member.get(f"/api/groups/representatives/{seat.pk}").json()
    (winter,) = [m for m in page["meetings"] if m["session"] == meeting.pk]
    assert winter["views"][0]["outcome"] == "Agreed for spring"
    assert winter["report_backs"][0]["summary"] == "Evening trial agreed"
    assert page["may_send_views"] is True and page["is_representative"] is False
    assert (
        api_as(coordinator_a, org_a).get(f"/api/groups/representatives/{seat.pk}").json()["meetings"]
        == page["meetings"]
    )


def test_a_coordinator_token_marks_views_but_does_not_send_them(org_a, coordinator_a):
    _forum, _board, _local, _rep, members, seat = _structure(org_a, coordinator_a)
    view = RepresentativeView.objects.create(appointment=seat, sent_by=members[0], text="Parking")
    staff = api_as(coordinator_a, org_a)
    marked = staff.post(f"/api/groups/representatives/{seat.pk}/views/{view.pk}/mark", {"raised": False})
    assert marked.status_code == 200 and marked.json()["raised"] is False
    assert_error(staff.post(f"/api/groups/representatives/{seat.pk}/views", {"text": "x"}), 403, "forbidden")


def test_only_the_group_its_representative_and_the_organisation_see_a_representative(
    org_a, org_b, coordinator_a, coordinator_b
):
    _forum, _board, _local, _rep, _members, seat = _structure(org_a, coordinator_a)
    outsider = make_member(org_a, full_name="Not in the group")
    assert_error(member_api(outsider, org_a).get(f"/api/groups/representatives/{seat.pk}"), 404, "not_found")
    assert_error(api_as(coordinator_b, org_b).get(f"/api/groups/representatives/{seat.pk}"), 404, "not_found")
    assert_error(
        member_api(outsider, org_a).post(f"/api/groups/representatives/{seat.pk}/views", {"text": "x"}),
        404,
        "not_found",
    )


def test_the_representative_writes_to_the_board_directly_copying_the_organisation_only_if_asked(org_a, coordinator_a):
    _forum, _board, _local, rep, members, seat = _structure(org_a, coordinator_a)
    org_a.contact_email = "involvement@example.org"
    org_a.save()
    own = member_api(rep, org_a)
    assert_error(
        member_api(members[0], org_a).post(
            f"/api/groups/representatives/{seat.pk}/messages", {"subject": "s", "body": "b"}
        ),
        403,
        "forbidden",
    )
    sent = own.post(
        f"/api/groups/representatives/{seat.pk}/messages", {"subject": "Before Thursday", "body": "Can we talk?"}
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["recipients"] == 1 and sent.json()["copy_support"] is False
    assert [m.to for m in mail.outbox] == [["bryn@example.org"]] and mail.outbox[0].cc == []
    assert mail.outbox[0].reply_to == ["rhian@example.org"]
    mail.outbox.clear()
    copied = own.post(
        f"/api/groups/representatives/{seat.pk}/messages", {"subject": "Again", "body": "Copying", "copy_support": True}
    )
    assert copied.json()["copy_support"] is True and mail.outbox[0].cc == ["involvement@example.org"]
    empty = own.post(f"/api/groups/representatives/{seat.pk}/messages", {"subject": "", "body": ""})
    assert set(assert_error(empty, 422, "invalid")["fields"]) == {"subject", "body"}
    assert PartnerMessage.objects.filter(appointment=seat).count() == 2
