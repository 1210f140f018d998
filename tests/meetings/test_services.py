import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from tests.conftest import make_member
from tests.meetings.factories import london, make_venue
from tests.people.factories import share
from withus.groups.models import Appointment, Group
from withus.meetings import selectors, services
from withus.meetings.models import Attendance, Debrief, Invitation, Session
from withus.people.models import OutgoingMessage

pytestmark = pytest.mark.django_db(transaction=False)

START = london(2030, 6, 12, 10, 30)


def plan(org, coordinator, **fields):
    venue = fields.pop("venue", None) or make_venue(org)
    values = {
        "title": "Partnership board",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "venue": venue,
        "kind": "meeting",
    }
    values.update(fields)
    return services.plan_session(actor=coordinator, organisation=org, fields=values, agenda=["Welcome"])


def pdf_upload(name="paper.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n%fake but starts right\n", content_type="application/pdf")


def test_planning_adds_the_involvement_item_and_a_code(org_a, coordinator_a):
    session = plan(org_a, coordinator_a)
    assert session.agenda.filter(about_involvement=True).exists()
    assert len(session.check_in_code) == 6
    assert session.contact == coordinator_a


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"ends_at": START - timedelta(minutes=1)}, "ends_at"), ({"venue": None, "online_link": ""}, "venue")],
)
def test_bad_sessions_are_refused(org_a, coordinator_a, overrides, field):
    values = {"title": "X", "starts_at": START, "ends_at": START + timedelta(hours=1), "venue": make_venue(org_a)}
    values.update(overrides)
    if overrides.get("venue", 1) is None:
        values.pop("venue")
    with pytest.raises(ValidationError) as error:
        services.plan_session(actor=coordinator_a, organisation=org_a, fields=values)
    assert field in error.value.message_dict
    assert not Session.objects.exists()


def test_a_venue_without_accessibility_answers_is_refused(org_a, coordinator_a):
    with pytest.raises(ValidationError) as error:
        services.save_venue(
            actor=coordinator_a,
            organisation=org_a,
            fields={
                "name": "Hall",
                "address": "1 Road",
                "step_free": "",
                "public_transport": "yes",
                "parking": "no",
                "hearing_loop": "no",
            },
        )
    assert "step_free" in error.value.message_dict


def test_standards_block_sending_until_met_or_reasoned(org_a, coordinator_a):
    group = Group.objects.create(organisation=org_a, name="Board", makes_decisions=True)
    session = plan(org_a, coordinator_a, group=group, starts_at=START.replace(hour=9, minute=30))
    member = make_member(org_a)
    services.invite(actor=coordinator_a, session=session, people=[member])
    report = {r["code"]: r for r in selectors.standards_report(session, now=START - timedelta(days=30))}
    assert report["start_time"]["state"] == "not_met"
    assert report["numbers"]["state"] == "not_met"
    with pytest.raises(ValidationError, match="not met"):
        services.send_invitations(actor=coordinator_a, session=session, now=START - timedelta(days=30))
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()
    services.record_override(
        actor=coordinator_a,
        session=session,
        standard="start_time",
        reason="The only time the chief executive can attend",
    )
    services.record_override(
        actor=coordinator_a, session=session, standard="numbers", reason="Recruiting a second carer now"
    )
    sent = services.send_invitations(actor=coordinator_a, session=session, now=START - timedelta(days=30))
    assert sent == 1
    assert selectors.overrides_of(org_a).count() == 2


def test_invitations_go_by_email_with_calendar_or_as_letters(org_a, coordinator_a):
    session = plan(org_a, coordinator_a)
    by_email = make_member(org_a)
    by_post = make_member(org_a, preferred_channel="post", address="3 Heol Fach", needs_large_print=True)
    services.invite(actor=coordinator_a, session=session, people=[by_email, by_post])
    services.send_invitations(actor=coordinator_a, session=session, now=START - timedelta(days=20))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [by_email.email]
    ics = next(a for a in mail.outbox[0].attachments if a[0] == "invitation.ics")
    event = next(c for c in Calendar.from_ical(ics[1]).walk("VEVENT"))
    assert event.decoded("dtstart") == START
    letter = Invitation.objects.get(person=by_post)
    assert letter.channel == "post" and letter.sent_at and letter.letter_printed_at is None
    assert OutgoingMessage.objects.filter(person=by_post, status="to_print").exists()
    session.refresh_from_db()
    assert session.status == "invited"


def test_an_email_says_what_people_typed_as_they_typed_it(org_a, coordinator_a):
    # Plain text: an apostrophe or an ampersand is not turned into an HTML entity.
    session = plan(org_a, coordinator_a)
    session.title = "Carers' & families' group"
    session.save()
    member = make_member(org_a, full_name="Siân O'Neill")
    services.invite(actor=coordinator_a, session=session, people=[member])
    services.send_invitations(actor=coordinator_a, session=session, now=START - timedelta(days=20))
    body = mail.outbox[-1].body
    assert "Carers' & families' group" in body and "&#x27;" not in body and "&amp;" not in body


def test_changes_and_cancellations_reach_everyone_invited(org_a, coordinator_a):
    session = plan(org_a, coordinator_a)
    member = make_member(org_a)
    services.invite(actor=coordinator_a, session=session, people=[member])
    services.send_invitations(actor=coordinator_a, session=session, now=START - timedelta(days=20))
    services.change_session(
        actor=coordinator_a,
        session=session,
        fields={"starts_at": START + timedelta(hours=1), "ends_at": START + timedelta(hours=3)},
        note="Moved an hour later",
    )
    assert "Moved an hour later" in mail.outbox[-1].body
    changed = Calendar.from_ical(mail.outbox[-1].attachments[0][1]).walk("VEVENT")[0]
    assert int(changed.get("sequence")) > 0
    with pytest.raises(ValidationError):
        services.cancel_session(actor=coordinator_a, session=session, reason="")
    services.cancel_session(actor=coordinator_a, session=session, reason="The venue flooded")
    cancel = mail.outbox[-1]
    assert "The venue flooded" in cancel.body
    ics = cancel.attachments[0][1]
    assert "METHOD:CANCEL" in (ics.decode() if isinstance(ics, bytes) else ics)


def test_papers_are_checked_and_sent(org_a, coordinator_a):
    session = plan(org_a, coordinator_a)
    member = make_member(org_a)
    services.invite(actor=coordinator_a, session=session, people=[member])
    with pytest.raises(ValidationError, match="PDF, Word"):
        services.upload_paper(
            actor=coordinator_a, session=session, title="X", upload=SimpleUploadedFile("x.exe", b"MZ...")
        )
    with pytest.raises(ValidationError, match="not a real PDF"):
        services.upload_paper(
            actor=coordinator_a, session=session, title="X", upload=SimpleUploadedFile("x.pdf", b"<html>")
        )
    huge = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (services.MAX_PAPER_BYTES + 1))
    with pytest.raises(ValidationError, match="bigger than"):
        services.upload_paper(actor=coordinator_a, session=session, title="X", upload=huge)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    services.upload_paper(
        actor=coordinator_a, session=session, title="Agenda", upload=SimpleUploadedFile("agenda.odt", buffer.getvalue())
    )
    services.upload_paper(actor=coordinator_a, session=session, title="Report", upload=pdf_upload())
    assert session.papers.count() == 2
    services.send_papers(actor=coordinator_a, session=session)
    assert {a[0].rsplit(".", 1)[-1] for a in mail.outbox[-1].attachments} == {"odt", "pdf"}
    session.refresh_from_db()
    assert session.papers_sent_at is not None


def test_someone_sent_only_papers_is_still_shown_and_sent_their_invitation(org_a, coordinator_a):
    from tests.conftest import staff_client

    session = plan(org_a, coordinator_a)
    early, late = make_member(org_a, full_name="Early Invitee"), make_member(org_a, full_name="Late Invitee")
    services.invite(actor=coordinator_a, session=session, people=[early])
    services.send_invitations(actor=coordinator_a, session=session)
    services.invite(actor=coordinator_a, session=session, people=[late])
    services.upload_paper(actor=coordinator_a, session=session, title="Report", upload=pdf_upload())
    services.send_papers(actor=coordinator_a, session=session)
    late_invitation = Invitation.objects.get(session=session, person=late)
    assert late_invitation.sent_at is None and late_invitation.papers_sent_at is not None
    page = staff_client(coordinator_a).get(f"/staff/sessions/{session.pk}/").content.decode()
    late_row = page[page.index("Late Invitee") :].split("</tr>")[0]
    assert "invitation not sent yet" in late_row and "papers sent" in late_row
    assert services.send_invitations(actor=coordinator_a, session=session) == 1
    late_invitation.refresh_from_db()
    assert late_invitation.sent_at is not None


def test_invitees_must_share_with_the_organisation(org_a, org_b, coordinator_a):
    session = plan(org_a, coordinator_a)
    with pytest.raises(ValidationError):
        services.invite(actor=coordinator_a, session=session, people=[make_member(org_b)])


def test_group_invitations_include_deputies(org_a, coordinator_a):
    group = Group.objects.create(organisation=org_a, name="Board")
    member, deputy = make_member(org_a), make_member(org_a)
    Appointment.objects.create(
        person=member,
        group=group,
        deputy=deputy,
        term_start=START.date() - timedelta(days=1),
        planned_end=START.date() + timedelta(days=900),
    )
    session = plan(org_a, coordinator_a, group=group)
    from django.utils import timezone

    Appointment.objects.update(term_start=timezone.localdate() - timedelta(days=1))
    assert services.invite_group(actor=coordinator_a, session=session) == 2
    assert session.invitations.get(person=deputy).role == "deputy"


def test_check_in_only_on_the_day_and_once(org_a, coordinator_a):
    session = plan(org_a, coordinator_a)
    member = make_member(org_a)
    services.invite(actor=coordinator_a, session=session, people=[member])
    with pytest.raises(ValidationError, match="on the day"):
        services.check_in(actor=member.user, person=member, code=session.check_in_code, now=START - timedelta(days=1))
    with pytest.raises(ValidationError, match="not right"):
        services.check_in(actor=member.user, person=member, code="WRONG1", now=START)
    attendance = services.check_in(
        actor=member.user, person=member, code=session.check_in_code.lower(), now=START + timedelta(minutes=10)
    )
    assert attendance.self_checked_in and attendance.minutes_present == 110
    with pytest.raises(ValidationError, match="already checked in"):
        services.check_in(actor=member.user, person=member, code=session.check_in_code, now=START)
    with pytest.raises(ValidationError, match="on the day"):
        services.check_in(actor=member.user, person=member, code=session.check_in_code, now=START + timedelta(days=1))
    with pytest.raises(ValidationError, match="finished"):
        services.check_in(actor=member.user, person=member, code=session.check_in_code, now=START + timedelta(hours=3))
    stranger = make_member(org_a)
    with pytest.raises(ValidationError, match="not on the list"):
        services.check_in(actor=stranger.user, person=stranger, code=session.check_in_code, now=START)


def test_attendance_by_coordinator_with_a_deputy_standing_in(org_a, coordinator_a):
    session = plan(org_a, coordinator_a)
    member, deputy = make_member(org_a), make_member(org_a)
    services.invite(actor=coordinator_a, session=session, people=[member])
    services.mark_attendance(actor=coordinator_a, session=session, person=member, status="apologies")
    a = services.mark_attendance(
        actor=coordinator_a, session=session, person=deputy, status="attended", role="chair", stood_in_for=member
    )
    assert a.minutes_present == 120 and a.role == "chair"
    with pytest.raises(ValidationError):
        services.mark_attendance(actor=coordinator_a, session=session, person=make_member(org_a), status="attended")
    with pytest.raises(ValidationError):
        services.mark_attendance(
            actor=coordinator_a, session=session, person=member, status="attended", minutes_present=10_000
        )


def test_debriefs_offered_and_a_call_requested(org_a, coordinator_a):
    session = plan(org_a, coordinator_a)
    member = make_member(org_a)
    services.invite(actor=coordinator_a, session=session, people=[member])
    Attendance.objects.create(session=session, person=member, status="attended", minutes_present=120)
    assert services.offer_debriefs(actor=coordinator_a, session=session) == 1
    assert services.offer_debriefs(actor=coordinator_a, session=session) == 0
    debrief = Debrief.objects.get()
    with pytest.raises(PermissionDenied):
        services.answer_debrief(actor=coordinator_a, debrief=debrief, feeling="good", comments="", wants_call=False)
    services.answer_debrief(
        actor=member.user, debrief=debrief, feeling="not_good", comments="It was a lot", wants_call=True
    )
    services.follow_up_done(actor=coordinator_a, debrief=debrief)
    debrief.refresh_from_db()
    assert debrief.follow_up_done_at is not None


def test_other_organisations_cannot_touch_a_session(org_a, org_b, coordinator_a, coordinator_b):
    session = plan(org_a, coordinator_a)
    person_b = make_member(org_b)
    share(person_b, org_a)
    with pytest.raises(PermissionDenied):
        services.invite(actor=coordinator_b, session=session, people=[person_b])
    with pytest.raises(PermissionDenied):
        services.cancel_session(actor=coordinator_b, session=session, reason="x")


def test_a_shared_check_in_code_finds_todays_session_for_the_person(org_a, coordinator_a):
    member = make_member(org_a)
    other_day = plan(
        org_a, coordinator_a, starts_at=START - timedelta(days=7), ends_at=START - timedelta(days=7, hours=-2)
    )
    today = plan(org_a, coordinator_a)
    Session.objects.filter(pk__in=[other_day.pk, today.pk]).update(check_in_code="SAME22")
    services.invite(actor=coordinator_a, session=other_day, people=[member])
    services.invite(actor=coordinator_a, session=today, people=[member])
    attendance = services.check_in(actor=member.user, person=member, code="SAME22", now=START)
    assert attendance.session_id == today.pk
