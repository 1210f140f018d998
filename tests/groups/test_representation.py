"""The structure of representation, representatives' pages and their direct contact with partners."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_member, member_client, staff_client
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.meetings.factories import make_session
from withus.groups import rules, selectors, services
from withus.groups.models import Appointment, PartnerMessage, ReportBack, RepresentativeView

pytestmark = pytest.mark.django_db


def _member(org, name, email):
    person = make_member(org, full_name=name)
    person.email = email
    person.save()
    return person


def _structure(org, coordinator):
    forum = GroupFactory(organisation=org, name="All-Wales forum", kind="forum")
    board = GroupFactory(organisation=org, name="Partnership board", kind="board")
    local = GroupFactory(organisation=org, name="Hafan service user group", kind="network")
    rep = _member(org, "Rhian Rep", "rhian@example.org")
    members = [make_member(org, full_name=f"Local {i}") for i in range(3)]
    for person in [rep, *members]:
        AppointmentFactory(group=local, person=person)
    seat = AppointmentFactory(group=board, person=rep)
    services.set_speaks_for(actor=coordinator, appointment=seat, speaks_for=local)
    chair = _member(org, "Bryn Board", "bryn@example.org")
    AppointmentFactory(group=board, person=chair, seat=Appointment.Seat.CHAIR)
    national = AppointmentFactory(group=forum, person=chair)
    services.set_speaks_for(actor=coordinator, appointment=national, speaks_for=board)
    return forum, board, local, rep, members, seat


def test_the_structure_runs_from_forums_to_local_groups_with_each_representative_and_their_seat(org_a, coordinator_a):
    forum, board, local, _rep, _members, seat = _structure(org_a, coordinator_a)
    tree, seats = selectors.representation_structure(org_a)
    assert [n.group for n in tree] == [forum]
    (board_node,) = tree[0].below
    assert board_node.group == board and [s.person.full_name for s in board_node.sends] == ["Bryn Board"]
    (local_node,) = board_node.below
    assert local_node.group == local and local_node.sends == [seat]
    assert {(s.person.full_name, s.speaks_for.name, s.group.name) for s in seats} == {
        ("Rhian Rep", "Hafan service user group", "Partnership board"),
        ("Bryn Board", "Partnership board", "All-Wales forum"),
    }


def test_a_loop_or_a_seat_representing_its_own_group_is_refused(org_a, coordinator_a):
    forum, board, local, _rep, members, _seat = _structure(org_a, coordinator_a)
    loop = AppointmentFactory(group=local, person=make_member(org_a))
    with pytest.raises(ValidationError, match="loop"):
        services.set_speaks_for(actor=coordinator_a, appointment=loop, speaks_for=forum)
    with pytest.raises(ValidationError, match="group it is on"):
        services.set_speaks_for(actor=coordinator_a, appointment=loop, speaks_for=local)
    assert Appointment.objects.get(pk=loop.pk).speaks_for is None
    assert rules.speaks_for_problem(seat_group_id=1, speaks_for_id=2, links=[(3, 1)]) is None
    with pytest.raises(PermissionDenied):
        services.set_speaks_for(actor=members[0].user, appointment=loop, speaks_for=board)


def test_the_structure_page_is_for_people_involved_and_reads_in_fixed_queries(org_a, org_b, coordinator_a):
    _structure(org_a, coordinator_a)
    page = member_client(make_member(org_a)).get(f"/me/structure/{org_a.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rhian Rep" in text and "All-Wales forum" in text and "<table" in text
    assert member_client(make_member(org_b)).get(f"/me/structure/{org_a.slug}/").status_code == 404
    staff = staff_client(coordinator_a).get(f"/me/structure/{org_a.slug}/").content.decode()
    assert "Say whom a seat represents" in staff
    with CaptureQueriesContext(connection) as small:
        selectors.representation_structure(org_a)
    _structure(org_a, coordinator_a)
    with CaptureQueriesContext(connection) as large:
        selectors.representation_structure(org_a)
    assert len(small) == len(large) == 2


def test_members_send_views_the_representative_marks_them_and_reports_back(org_a, coordinator_a):
    _forum, board, _local, rep, members, seat = _structure(org_a, coordinator_a)
    session = make_session(org_a, group=board, title="Board meeting in May")
    client = member_client(members[0])
    empty = client.post(f"/me/representatives/{seat.pk}/", {"action": "view", "text": " "})
    assert "Write your view for your representative." in empty.content.decode()
    sent = client.post(
        f"/me/representatives/{seat.pk}/", {"action": "view", "text": "Ask about crisis beds", "session": session.pk}
    )
    assert sent.status_code == 302
    view = RepresentativeView.objects.get()
    assert (view.sent_by, view.session_id, view.raised) == (members[0], session.pk, None)

    rep_client = member_client(rep)
    page = rep_client.get(f"/me/representatives/{seat.pk}/").content.decode()
    assert "Ask about crisis beds" in page and "Not marked yet." in page
    refused = rep_client.post(
        f"/me/representatives/{seat.pk}/", {"action": "mark", "view": view.pk, f"v{view.pk}-raised": "yes"}
    )
    assert "Say what came of it" in refused.content.decode()
    rep_client.post(
        f"/me/representatives/{seat.pk}/",
        {"action": "mark", "view": view.pk, f"v{view.pk}-raised": "yes", f"v{view.pk}-outcome": "Two more beds"},
    )
    view.refresh_from_db()
    assert (view.raised, view.outcome) == (True, "Two more beds")
    with pytest.raises(PermissionDenied):
        services.mark_view(actor=members[0].user, view=view, raised=False, outcome="")

    rep_client.post(
        f"/me/representatives/{seat.pk}/",
        {"action": "report", "report-session": session.pk, "report-summary": "Beds agreed"},
    )
    report = ReportBack.objects.get()
    assert (report.person, report.session, report.reported_to) == (rep, session, "Hafan service user group")
    later = client.get(f"/me/representatives/{seat.pk}/").content.decode()
    assert "Beds agreed" in later and "Two more beds" in later

    # Someone who is not in the group the representative speaks for sees nothing and sends nothing.
    outsider = make_member(org_a)
    assert member_client(outsider).get(f"/me/representatives/{seat.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.send_view(actor=outsider.user, appointment=seat, text="Hello")
    assert RepresentativeView.objects.count() == 1


def test_a_representative_writes_to_the_board_directly_and_the_support_organisation_only_if_chosen(
    org_a, coordinator_a
):
    org_a.contact_email = "involvement@example.org"
    org_a.save()
    _forum, _board, _local, rep, _members, seat = _structure(org_a, coordinator_a)
    services.message_partners(
        actor=rep.user, appointment=seat, subject="Before Thursday", body="Can we talk?", copy_support=False
    )
    (sent,) = mail.outbox
    assert sent.to == ["bryn@example.org"] and sent.cc == [] and sent.reply_to == ["rhian@example.org"]
    assert "Can we talk?" in sent.body
    mail.outbox.clear()
    response = member_client(rep).post(
        f"/me/representatives/{seat.pk}/",
        {
            "action": "message",
            "message-subject": "Papers",
            "message-body": "See attached",
            "message-copy_support": "on",
        },
    )
    assert response.status_code == 302
    assert mail.outbox[0].cc == ["involvement@example.org"]
    assert list(PartnerMessage.objects.values_list("copy_support", flat=True).order_by("pk")) == [False, True]
    refused = member_client(rep).post(
        f"/me/representatives/{seat.pk}/", {"action": "message", "message-subject": "", "message-body": ""}
    )
    assert "Give the message a subject." in refused.content.decode()
    with pytest.raises(PermissionDenied):
        services.message_partners(actor=_members[0].user, appointment=seat, subject="S", body="B", copy_support=False)
