"""Supervision planned ahead: invited by each member's channel in their language (e-mail with a
calendar file, a letter, a call to make), answered, moved, cancelled, reminded once the day before,
and recorded as held as the one supervision record with its note."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.support.factories import SupervisionGroupFactory, SupportAssignmentFactory
from withus.accounts.models import Organisation, Role, User
from withus.core import privacy
from withus.meetings.calendar import LONDON
from withus.people.models import OutgoingMessage, Person
from withus.support.models import Supervision
from withus.support.planning import rules, services
from withus.support.planning.models import PlannedSupervision, SupervisionInvitation

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 6, 12, 10, 0, tzinfo=LONDON)


def _at(days: int, hour: int = 14) -> datetime:
    return datetime.combine((NOW + timedelta(days=days)).date(), datetime.min.time(), LONDON).replace(hour=hour)


def _plan(actor: User, org: Organisation, **who: Any) -> PlannedSupervision:
    return services.plan(
        actor=actor,
        organisation=org,
        starts_at=_at(3),
        minutes=60,
        how="video",
        where="https://meet.example/x",
        now=NOW,
        **who,
    )


def _text(content: Any) -> str:
    return content.decode() if isinstance(content, bytes) else str(content)


# ---- Rules ------------------------------------------------------------------------------------


def test_a_plan_needs_a_time_to_come_a_sensible_length_and_a_place() -> None:
    assert rules.plan_problems(starts_at=_at(1), minutes=60, where="Room 2", now=NOW) == {}
    problems = rules.plan_problems(starts_at=NOW, minutes=10, where=" ", now=NOW)
    assert set(problems) == {"starts_at", "minutes", "where"}
    assert set(rules.plan_problems(starts_at=None, minutes=None, where="x", now=NOW)) == {"starts_at", "minutes"}
    assert "minutes" in rules.plan_problems(starts_at=_at(1), minutes=481, where="x", now=NOW)
    assert rules.plan_problems(starts_at=_at(1), minutes=480, where="x", now=NOW) == {}


def test_it_is_recorded_as_held_once_started_and_never_when_cancelled_or_twice() -> None:
    assert rules.held_refusal(status="planned", starts_at=NOW, now=NOW) is None
    assert rules.held_refusal(status="planned", starts_at=NOW + timedelta(minutes=1), now=NOW)
    assert rules.held_refusal(status="cancelled", starts_at=NOW, now=NOW)
    assert rules.held_refusal(status="held", starts_at=NOW, now=NOW)
    assert rules.answer_refusal(status="planned", starts_at=NOW, now=NOW)
    assert rules.answer_refusal(status="planned", starts_at=_at(1), now=NOW) is None


def test_the_reminder_is_due_the_day_before_and_not_to_someone_who_cannot_come() -> None:
    told = NOW - timedelta(days=3)
    tomorrow = _at(1)
    assert rules.reminder_due(status="planned", answer="waiting", starts_at=tomorrow, told_at=told, now=NOW)
    assert rules.reminder_due(status="planned", answer="coming", starts_at=tomorrow, told_at=told, now=NOW)
    assert not rules.reminder_due(status="planned", answer="not_coming", starts_at=tomorrow, told_at=told, now=NOW)
    assert not rules.reminder_due(status="cancelled", answer="coming", starts_at=tomorrow, told_at=told, now=NOW)
    assert not rules.reminder_due(status="planned", answer="coming", starts_at=_at(2), told_at=told, now=NOW)
    # Not on the day they were told: they have just had the details.
    assert not rules.reminder_due(status="planned", answer="coming", starts_at=tomorrow, told_at=NOW, now=NOW)


# ---- Services -----------------------------------------------------------------------------------


def test_each_member_is_invited_by_their_own_channel_in_their_language(cover_a: User, org_a: Organisation) -> None:
    by_email = make_member(org_a, full_name="Eira Email", prefers_welsh=True, preferred_channel="email")
    by_post = make_member(org_a, full_name="Pryderi Post", preferred_channel="post")
    by_phone = make_member(org_a, full_name="Ffion Phone", preferred_channel="phone")
    group = SupervisionGroupFactory(organisation=org_a, supervisor=cover_a)
    group.members.set([by_email, by_post, by_phone])
    made = _plan(cover_a, org_a, group=group)
    assert made.kind == "peer_group" and made.invitations.count() == 3
    sent = mail.outbox[-1]
    assert sent.to == [by_email.email]
    assert "Goruchwyliaeth wedi’i threfnu" in sent.subject and "Dydd" in sent.body  # in Welsh, as she asked
    name, ics, mimetype = sent.attachments[0]
    assert name == "supervision.ics" and "method=REQUEST" in mimetype
    text = ics.decode() if isinstance(ics, bytes) else ics
    assert "DTSTART;TZID=Europe/London:20300615T140000" in text and "https://meet.example/x" in text
    statuses = dict(OutgoingMessage.objects.values_list("person__full_name", "status"))
    assert statuses == {"Eira Email": "sent", "Pryderi Post": "to_print", "Ffion Phone": "to_call"}
    letter = OutgoingMessage.objects.get(person=by_post)
    assert "https://meet.example/x" in letter.body and "cannot come" in letter.body


def test_the_support_contact_cannot_plan_to_supervise_the_member_and_nothing_is_written(
    worker_a: User, member_a: Person, org_a: Organisation
) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a)
    with pytest.raises(ValidationError) as refused:
        _plan(worker_a, org_a, person=member_a)
    assert "support contact" in " ".join(refused.value.messages)
    assert not PlannedSupervision.objects.exists() and not OutgoingMessage.objects.exists()


def test_bad_times_are_refused_with_nothing_written(cover_a: User, member_a: Person, org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as refused:
        services.plan(
            actor=cover_a,
            organisation=org_a,
            person=member_a,
            starts_at=NOW - timedelta(hours=1),
            minutes=5,
            how="video",
            where="",
            now=NOW,
        )
    assert set(refused.value.message_dict) == {"starts_at", "minutes", "where"}
    assert not PlannedSupervision.objects.exists()


def test_a_member_who_cannot_come_says_so_and_the_supervisor_is_told(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    made = _plan(cover_a, org_a, person=member_a)
    invitation = made.invitations.get()
    assert member_a.user is not None
    services.answer(actor=member_a.user, invitation=invitation, coming=False, now=NOW)
    assert invitation.answer == "not_coming"
    assert mail.outbox[-1].to == [cover_a.email] and "cannot come" in mail.outbox[-1].subject
    other = make_member(org_a)
    assert other.user is not None
    with pytest.raises(PermissionDenied):
        services.answer(actor=other.user, invitation=invitation, coming=True, now=NOW)


def test_an_answer_given_by_phone_is_recorded_by_the_supervisor_or_a_coordinator_only(
    cover_a: User, member_a: Person, org_a: Organisation, worker_a: User
) -> None:
    made = _plan(cover_a, org_a, person=member_a)
    invitation = made.invitations.get()
    sent = len(mail.outbox)
    services.answer_for(actor=cover_a, invitation=invitation, coming=False, now=NOW)
    invitation.refresh_from_db()
    assert invitation.answer == "not_coming" and invitation.answered_at == NOW
    assert len(mail.outbox) == sent  # the supervisor recorded it: nobody to tell
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    services.answer_for(actor=coordinator, invitation=invitation, coming=True, now=NOW)
    invitation.refresh_from_db()
    assert invitation.answer == "coming"
    services.answer_for(actor=coordinator, invitation=invitation, coming=False, now=NOW)
    assert mail.outbox[-1].to == [cover_a.email] and "cannot come" in mail.outbox[-1].subject
    # Someone else who supports people there may read the plan but not answer for the member.
    with pytest.raises(PermissionDenied):
        services.answer_for(actor=worker_a, invitation=invitation, coming=True, now=NOW)
    with pytest.raises(ValidationError):
        services.answer_for(actor=cover_a, invitation=invitation, coming=True, now=made.starts_at)
    invitation.refresh_from_db()
    assert invitation.answer == "not_coming"


def test_moving_tells_everyone_asks_again_and_cancelling_cancels_their_calendar(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    member_a.preferred_channel = "email"
    member_a.save()
    made = _plan(cover_a, org_a, person=member_a)
    invitation = made.invitations.get()
    assert member_a.user is not None
    services.answer(actor=member_a.user, invitation=invitation, coming=False, now=NOW)
    services.move(actor=cover_a, plan=made, starts_at=_at(4), minutes=90, how="in_person", where="Room 2", now=NOW)
    invitation.refresh_from_db()
    assert invitation.answer == "waiting"
    moved = mail.outbox[-1]
    assert moved.to == [member_a.email] and "Room 2" in moved.body
    assert "SEQUENCE:1" in _text(moved.attachments[0][1])
    services.cancel(actor=cover_a, plan=made, reason="Supervisor unwell", now=NOW)
    cancelled = mail.outbox[-1]
    assert "Supervisor unwell" in cancelled.body and "method=CANCEL" in cancelled.attachments[0][2]
    with pytest.raises(ValidationError):
        services.move(actor=cover_a, plan=made, starts_at=_at(5), minutes=60, how="phone", where="0123", now=NOW)


def test_the_reminder_goes_once_the_day_before_and_never_when_cancelled(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    made = services.plan(
        actor=cover_a,
        organisation=org_a,
        person=member_a,
        starts_at=_at(1),
        minutes=60,
        how="phone",
        where="07700 900000",
        now=NOW - timedelta(days=2),
    )
    other = _plan(cover_a, org_a, person=make_member(org_a))
    services.cancel(actor=cover_a, plan=other, reason="Not needed", now=NOW)
    before = OutgoingMessage.objects.count()
    assert services.send_reminders(now=NOW) == 1
    assert services.send_reminders(now=NOW + timedelta(hours=2)) == 0
    assert OutgoingMessage.objects.count() == before + 1
    reminder = OutgoingMessage.objects.latest("pk")
    assert reminder.person == member_a and "Reminder" in reminder.subject
    assert made.invitations.get().reminded_at is not None


def test_recorded_as_held_it_becomes_the_supervision_record_the_member_reads(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    made = services.plan(
        actor=cover_a,
        organisation=org_a,
        person=member_a,
        starts_at=timezone.now() + timedelta(hours=1),
        minutes=60,
        how="in_person",
        where="Room 1",
    )
    with pytest.raises(ValidationError):
        services.record_held(actor=cover_a, plan=made, note="Too soon")
    held = services.record_held(
        actor=cover_a, plan=made, note="We talked about chairing", now=timezone.now() + timedelta(hours=2)
    )
    made.refresh_from_db()
    assert made.status == "held" and made.supervision == held
    assert Supervision.objects.count() == 1 and held.person == member_a and held.supervisor == cover_a
    assert [n.text for n in held.notes.all()] == ["We talked about chairing"]
    with pytest.raises(ValidationError):
        services.record_held(actor=cover_a, plan=made, now=timezone.now() + timedelta(hours=3))
    page = member_client(member_a).get(f"/me/support/supervision/{held.pk}/")
    assert "We talked about chairing" in page.content.decode()


def test_the_export_has_the_members_planned_supervision(cover_a: User, member_a: Person, org_a: Organisation) -> None:
    _plan(cover_a, org_a, person=member_a)
    document = privacy.subject_access(member_a)
    assert [p["where"] for p in document["planned_supervision"]] == ["https://meet.example/x"]
    privacy.erase(member_a)
    assert not SupervisionInvitation.objects.exists()


# ---- Pages ------------------------------------------------------------------------------------------


def _fields(when: datetime) -> dict[str, str]:
    local = when.astimezone(LONDON)
    return {
        "starts_at_day": str(local.day),
        "starts_at_month": str(local.month),
        "starts_at_year": str(local.year),
        "starts_at_time": local.strftime("%H:%M"),
    }


def test_a_supervisor_plans_on_the_web_and_the_member_says_they_can_come(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    client = staff_client(cover_a)
    when = timezone.now() + timedelta(days=7)
    bad = client.post(f"/staff/support/people/{member_a.pk}/plan-supervision/", {"minutes": "60", "how": "video"})
    assert bad.status_code == 400 and not PlannedSupervision.objects.exists()
    assert 'value="60"' in bad.content.decode()
    response = client.post(
        f"/staff/support/people/{member_a.pk}/plan-supervision/",
        {**_fields(when), "minutes": "60", "how": "video", "where": "https://meet.example/y"},
    )
    assert response.status_code == 302
    made = PlannedSupervision.objects.get()
    assert client.get(f"/staff/support/planned/{made.pk}/").status_code == 200
    assert "Alaw Member" in client.get("/staff/support/planned/").content.decode()
    member = member_client(member_a)
    invitation = made.invitations.get()
    assert f"/me/support/planned/{invitation.pk}/" in member.get("/me/support/").content.decode()
    assert member.post(f"/me/support/planned/{invitation.pk}/", {}).status_code == 400
    assert member.post(f"/me/support/planned/{invitation.pk}/", {"coming": "yes"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "coming"
    other = member_client(make_member(org_a))
    assert other.get(f"/me/support/planned/{invitation.pk}/").status_code == 404


def test_the_supervisor_records_an_answer_given_by_phone_on_the_web(
    cover_a: User, member_a: Person, org_a: Organisation, coordinator_b: User
) -> None:
    made = _plan(cover_a, org_a, person=member_a)
    invitation = made.invitations.get()
    client = staff_client(cover_a)
    url = f"/staff/support/planned/{made.pk}/answers/{invitation.pk}/"
    assert url in client.get(f"/staff/support/planned/{made.pk}/").content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 400 and "Say whether they can come" in empty.content.decode()
    assert client.post(url, {"coming": "no"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "not_coming"
    assert staff_client(coordinator_b).get(url).status_code == 404
    assert client.get(f"/staff/support/planned/{made.pk}/answers/{invitation.pk + 999}/").status_code == 404


def test_staff_of_another_organisation_find_nothing(
    cover_a: User, member_a: Person, org_a: Organisation, coordinator_b: User
) -> None:
    made = _plan(cover_a, org_a, person=member_a)
    assert staff_client(coordinator_b).get(f"/staff/support/planned/{made.pk}/").status_code == 404


# ---- API ----------------------------------------------------------------------------------------------


def test_the_api_plans_answers_and_records_as_held(
    cover_a: User, member_a: Person, org_a: Organisation, coordinator_b: User, worker_a: User
) -> None:
    staff = api_as(cover_a, org_a, Role.SUPERVISOR)
    body = {
        "starts_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "minutes": 45,
        "how": "phone",
        "where": "0123",
    }
    made = staff.post(f"/api/support/people/{member_a.pk}/planned-supervisions", body)
    assert made.status_code == 201, made.content
    plan_id = made.json()["id"]
    assert made.json()["invited"][0]["answer"] == "waiting"
    assert_error(
        staff.post(f"/api/support/people/{member_a.pk}/planned-supervisions", {**body, "minutes": 5}), 422, "invalid"
    )
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a)
    refused = api_as(worker_a, org_a, Role.SUPERVISOR).post(
        f"/api/support/people/{member_a.pk}/planned-supervisions", body
    )
    assert refused.status_code == 422
    assert (
        api_as(coordinator_b, Organisation.objects.get(slug="org-b"))
        .get(f"/api/support/planned-supervisions/{plan_id}")
        .status_code
        == 404
    )
    member = member_api(member_a, org_a)
    mine = member.get("/api/support/me/planned-supervisions").json()
    assert [m["status"] for m in mine] == ["planned"]
    answered = member.client.put(
        f"/api/support/me/planned-supervisions/{mine[0]['id']}/answer",
        json.dumps({"coming": True}),
        content_type="application/json",
        headers=member.headers,
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "coming"
    invited = staff.get(f"/api/support/planned-supervisions/{plan_id}").json()["invited"][0]
    by_phone = staff.client.put(
        f"/api/support/planned-supervisions/{plan_id}/invitations/{invited['invitation_id']}/answer",
        json.dumps({"coming": False}),
        content_type="application/json",
        headers=staff.headers,
    )
    assert by_phone.status_code == 200 and by_phone.json()["invited"][0]["answer"] == "not_coming"
    elsewhere = api_as(coordinator_b, Organisation.objects.get(slug="org-b")).client.put(
        f"/api/support/planned-supervisions/{plan_id}/invitations/{invited['invitation_id']}/answer",
        json.dumps({"coming": True}),
        content_type="application/json",
        headers=api_as(coordinator_b, Organisation.objects.get(slug="org-b")).headers,
    )
    assert elsewhere.status_code == 404
    early = staff.post(f"/api/support/planned-supervisions/{plan_id}/held", {"note": "x"})
    assert early.status_code == 422
    assert staff.get("/api/support/planned-supervisions").json()["count"] == 1


def test_the_api_reads_a_time_without_an_offset_as_wall_clock_time_in_wales(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    staff = api_as(cover_a, org_a, Role.SUPERVISOR)
    body = {"starts_at": "2030-07-01T10:30:00", "minutes": 45, "how": "phone", "where": "0123"}
    made = staff.post(f"/api/support/people/{member_a.pk}/planned-supervisions", body)
    assert made.status_code == 201, made.content
    plan = PlannedSupervision.objects.get(pk=made.json()["id"])
    assert timezone.localtime(plan.starts_at).strftime("%H:%M") == "10:30"
    past = staff.post(
        f"/api/support/people/{member_a.pk}/planned-supervisions", {**body, "starts_at": "2001-01-01T10:00:00"}
    )
    assert past.status_code == 422


# ---- Query counts ---------------------------------------------------------------------------------------


def _count(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_staff_list_and_my_support_take_the_same_queries_however_many(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    def add(n: int) -> None:
        for _i in range(n):
            group = SupervisionGroupFactory(organisation=org_a, supervisor=cover_a)
            group.members.set([member_a, make_member(org_a)])
            _plan(cover_a, org_a, group=group)

    client, member = staff_client(cover_a), member_client(member_a)
    add(1)
    few = (_count(client, "/staff/support/planned/"), _count(member, "/me/support/"))
    add(4)
    many = (_count(client, "/staff/support/planned/"), _count(member, "/me/support/"))
    assert few == many
    assert few[0] <= 15
