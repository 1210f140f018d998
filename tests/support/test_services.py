"""The services of support against the database: who may, the rules, nothing written when refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_member, make_staff
from tests.meetings.factories import DebriefFactory
from tests.support.factories import SupportAssignmentFactory
from withus.accounts.models import Organisation, Role, User
from withus.meetings import services as meeting_services
from withus.people.models import Channel, OutgoingMessage, Person
from withus.people.selectors import NotShared
from withus.support import selectors, services
from withus.support.models import CallRequest, Contact, SupportAssignment, SupportPart

pytestmark = pytest.mark.django_db


def assign(
    actor: User,
    person: Person,
    org: Organisation,
    staff: User,
    part: str = SupportPart.SUPPORT_CONTACT,
    reason: str = "New member",
) -> SupportAssignment:
    return services.assign(actor=actor, person=person, organisation=org, part=part, staff=staff, reason=reason)


class TestAssigning:
    def test_a_coordinator_names_a_support_contact_and_the_member_is_told_by_their_channel(
        self, coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User, mailoutbox: list[Any]
    ) -> None:
        assignment = assign(coordinator_a, member_a, org_a, worker_a)
        assert selectors.current_assignments(member_a, org_a) == {"support_contact": assignment}
        message = OutgoingMessage.objects.get(person=member_a)
        assert message.status == OutgoingMessage.Status.SENT
        assert "Wyn Worker" in message.body and "wyn@example.org" in message.body
        assert mailoutbox[0].to == [member_a.email]

    def test_a_member_who_prefers_post_gets_a_letter_to_print(
        self, coordinator_a: User, org_a: Organisation, worker_a: User
    ) -> None:
        member = make_member(org_a, preferred_channel=Channel.POST, prefers_welsh=True)
        assign(coordinator_a, member, org_a, worker_a)
        message = OutgoingMessage.objects.get(person=member)
        assert message.status == OutgoingMessage.Status.TO_PRINT
        assert "Eich cyswllt cymorth" in message.subject

    def test_changing_keeps_the_history_with_the_reason(
        self, coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User, cover_a: User
    ) -> None:
        first = assign(coordinator_a, member_a, org_a, worker_a)
        second = assign(coordinator_a, member_a, org_a, cover_a, reason="The member asked for a change")
        first.refresh_from_db()
        assert first.ended_at is not None and first.end_reason == "The member asked for a change"
        assert selectors.current_assignments(member_a, org_a)["support_contact"] == second
        assert selectors.assignment_history(member_a, org_a) == [second, first]

    def test_a_supervisor_can_never_be_the_support_contact_both_ways_round(
        self, coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User, cover_a: User
    ) -> None:
        assign(coordinator_a, member_a, org_a, worker_a, part=SupportPart.SUPERVISOR)
        with pytest.raises(ValidationError) as refused:
            assign(coordinator_a, member_a, org_a, worker_a, part=SupportPart.SUPPORT_CONTACT)
        assert "supervisor" in refused.value.message_dict["staff"][0]
        assign(coordinator_a, member_a, org_a, cover_a, part=SupportPart.SUPPORT_CONTACT)
        with pytest.raises(ValidationError):
            assign(coordinator_a, member_a, org_a, cover_a, part=SupportPart.SUPERVISOR)
        assert SupportAssignment.objects.count() == 2

    def test_someone_who_does_not_work_for_the_organisation_is_refused(
        self, coordinator_a: User, member_a: Person, org_a: Organisation, org_b: Organisation
    ) -> None:
        outsider = make_staff(org_b, Role.SUPERVISOR)
        with pytest.raises(ValidationError) as refused:
            assign(coordinator_a, member_a, org_a, outsider)
        assert "staff" in refused.value.message_dict
        with pytest.raises(ValidationError) as no_reason:
            assign(coordinator_a, member_a, org_a, coordinator_a, reason="  ")
        assert "reason" in no_reason.value.message_dict
        assert not SupportAssignment.objects.exists()
        assert not OutgoingMessage.objects.exists()

    def test_only_coordinators_assign_and_only_for_people_who_share(
        self, member_a: Person, member_b: Person, org_a: Organisation, coordinator_a: User, worker_a: User
    ) -> None:
        with pytest.raises(PermissionDenied):
            assign(worker_a, member_a, org_a, coordinator_a)
        with pytest.raises(NotShared):
            assign(coordinator_a, member_b, org_a, worker_a)


class TestHandingOver:
    def test_everyone_is_handed_to_cover_in_one_step_and_back_the_day_after(
        self, coordinator_a: User, org_a: Organisation, worker_a: User, cover_a: User
    ) -> None:
        people = [make_member(org_a) for _ in range(3)]
        for person in people:
            assign(coordinator_a, person, org_a, worker_a)
        assign(coordinator_a, people[0], org_a, coordinator_a, part=SupportPart.SUPERVISOR)
        OutgoingMessage.objects.all().delete()
        today = timezone.localdate()
        handover = services.hand_over(
            actor=coordinator_a,
            organisation=org_a,
            from_staff=worker_a,
            to_staff=cover_a,
            until=today + timedelta(days=14),
            reason="On leave",
        )
        assert len(handover.handed) == 3
        for person in people:
            current = selectors.current_assignments(person, org_a)["support_contact"]
            assert current.staff == cover_a and current.covering_for == worker_a
        assert OutgoingMessage.objects.filter(person__in=people).count() == 3
        assert "until" in OutgoingMessage.objects.first().body  # type: ignore[union-attr]
        assert services.end_cover(today=today + timedelta(days=14)) == 0  # the last day of cover
        assert services.end_cover(today=today + timedelta(days=15)) == 3
        for person in people:
            assert selectors.current_assignments(person, org_a)["support_contact"].staff == worker_a

    def test_the_cover_is_emailed_the_list_of_people_handed_to_them(
        self, coordinator_a: User, org_a: Organisation, worker_a: User, cover_a: User, mailoutbox: list[Any]
    ) -> None:
        for name in ("Ann Ash", "Bob Birch"):
            assign(coordinator_a, make_member(org_a, full_name=name), org_a, worker_a)
        mailoutbox.clear()
        until = timezone.localdate() + timedelta(days=14)
        services.hand_over(
            actor=coordinator_a,
            organisation=org_a,
            from_staff=worker_a,
            to_staff=cover_a,
            until=until,
            reason="On leave",
        )
        to_cover = [mail for mail in mailoutbox if mail.to == [cover_a.email]]
        assert len(to_cover) == 1
        body = to_cover[0].body
        assert "Ann Ash" in body and "Bob Birch" in body and "On leave" in body
        assert "covering for Wyn Worker" in body

    def test_cover_who_asked_for_welsh_is_told_in_welsh(
        self, coordinator_a: User, org_a: Organisation, worker_a: User, cover_a: User, mailoutbox: list[Any]
    ) -> None:
        from tests.people.factories import PersonFactory

        PersonFactory(user=cover_a, email=cover_a.email, prefers_welsh=True)
        assign(coordinator_a, make_member(org_a, full_name="Ann Ash"), org_a, worker_a)
        mailoutbox.clear()
        services.hand_over(
            actor=coordinator_a, organisation=org_a, from_staff=worker_a, to_staff=cover_a, reason="Has left"
        )
        (mail,) = [mail for mail in mailoutbox if mail.to == [cover_a.email]]
        assert "Pobl a drosglwyddwyd i chi" in mail.subject
        assert "wedi cael eu trosglwyddo i chi" in mail.body and "Ann Ash" in mail.body

    def test_cover_for_good_has_no_end_date(
        self, coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User, cover_a: User
    ) -> None:
        assign(coordinator_a, member_a, org_a, worker_a)
        services.hand_over(
            actor=coordinator_a, organisation=org_a, from_staff=worker_a, to_staff=cover_a, reason="Has left"
        )
        current = selectors.current_assignments(member_a, org_a)["support_contact"]
        assert current.staff == cover_a and current.cover_until is None and current.covering_for is None

    def test_bad_handovers_are_refused_and_nothing_is_written(
        self, coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User, cover_a: User
    ) -> None:
        assign(coordinator_a, member_a, org_a, worker_a)
        assign(coordinator_a, member_a, org_a, cover_a, part=SupportPart.SUPERVISOR)
        before = list(SupportAssignment.objects.values_list("pk", "ended_at"))
        today = timezone.localdate()
        cases = [
            ({"to_staff": cover_a, "until": today, "reason": "Leave"}, "until"),
            ({"to_staff": worker_a, "reason": "Leave"}, "to_staff"),
            ({"to_staff": cover_a, "reason": ""}, "reason"),
            ({"to_staff": cover_a, "reason": "Leave"}, "to_staff"),  # cover is already the supervisor
        ]
        for values, field in cases:
            with pytest.raises(ValidationError) as refused:
                services.hand_over(actor=coordinator_a, organisation=org_a, from_staff=worker_a, **values)
            assert field in refused.value.message_dict, values
        assert list(SupportAssignment.objects.values_list("pk", "ended_at")) == before


class TestContacts:
    def test_a_contact_is_recorded_and_a_future_date_refused(
        self, worker_a: User, member_a: Person, org_a: Organisation
    ) -> None:
        today = timezone.localdate()
        contact = services.record_contact(
            actor=worker_a, person=member_a, organisation=org_a, kind="visit", on=today, note="Went well"
        )
        assert contact.note == "Went well"
        with pytest.raises(ValidationError) as refused:
            services.record_contact(
                actor=worker_a, person=member_a, organisation=org_a, kind="call", on=today + timedelta(days=1)
            )
        assert "on" in refused.value.message_dict
        assert Contact.objects.count() == 1

    def test_a_safeguarding_note_is_read_by_the_safeguarding_lead_only(
        self, worker_a: User, lead_a: User, member_a: Person, org_a: Organisation
    ) -> None:
        today = timezone.localdate()
        services.record_contact(actor=worker_a, person=member_a, organisation=org_a, kind="call", on=today, note="Ok")
        services.record_contact(
            actor=worker_a, person=member_a, organisation=org_a, kind="call", on=today, note="Worry", safeguarding=True
        )
        assert [c.note for c in selectors.contacts_for_staff(worker_a, org_a, member_a)] == ["Ok"]
        assert sorted(c.note for c in selectors.contacts_for_staff(lead_a, org_a, member_a)) == ["Ok", "Worry"]
        assert [c.note for c in selectors.contacts_for_member(member_a)] == ["Ok"]


class TestCalls:
    def test_a_member_asks_for_a_call_and_their_support_contact_is_told_with_a_due_time(
        self, coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User, mailoutbox: list[Any]
    ) -> None:
        assign(coordinator_a, member_a, org_a, worker_a)
        mailoutbox.clear()
        assert member_a.user is not None
        call = services.ask_for_call(actor=member_a.user, person=member_a, organisation=org_a, note="Please")
        assert call.how == CallRequest.How.ONLINE
        assert call.due_at - call.asked_at == timedelta(hours=48)
        assert [m.to for m in mailoutbox] == [[worker_a.email]]
        assert "Alaw Member" in mailoutbox[0].body

    def test_a_debrief_asking_for_a_call_becomes_one_call_request_due_and_escalated_like_any(
        self,
        coordinator_a: User,
        member_a: Person,
        org_a: Organisation,
        worker_a: User,
        mailoutbox: list[Any],
    ) -> None:
        assign(coordinator_a, member_a, org_a, worker_a)
        debrief = DebriefFactory(person=member_a, session__organisation=org_a)
        mailoutbox.clear()
        assert member_a.user is not None
        meeting_services.answer_debrief(
            actor=member_a.user, debrief=debrief, feeling="not_good", comments="Hard day", wants_call=True
        )
        call = CallRequest.objects.get()
        assert (call.debrief, call.how, call.note) == (debrief, CallRequest.How.DEBRIEF, "Hard day")
        assert call.due_at - call.asked_at == timedelta(hours=48)
        assert [m.to for m in mailoutbox] == [[worker_a.email]]
        # Once per debrief: answering again or the daily round makes no second one.
        meeting_services.answer_debrief(
            actor=member_a.user, debrief=debrief, feeling="okay", comments="Hard day", wants_call=True
        )
        assert services.calls_from_debriefs() == 0
        assert CallRequest.objects.count() == 1
        # It shows in the digest once, as a call, not also as a debrief.
        lines = selectors.digest_for(worker_a, org_a, today=timezone.localdate())
        assert [line.entry.reasons for line in lines] == [("call_asked",)]
        mailoutbox.clear()
        assert services.escalate_overdue_calls(now=call.due_at + timedelta(minutes=1)) == 1
        assert [m.to for m in mailoutbox] == [[coordinator_a.email]]
        services.answer_call(actor=worker_a, call=call, note="Talked")
        debrief.refresh_from_db()
        assert debrief.follow_up_done_at is not None and debrief.follow_up_by == worker_a

    def test_the_daily_round_turns_debriefs_answered_before_into_calls_once(
        self, member_a: Person, org_a: Organisation, coordinator_a: User, mailoutbox: list[Any]
    ) -> None:
        answered = timezone.now() - timedelta(hours=3)
        asked = DebriefFactory(person=member_a, session__organisation=org_a, wants_call=True, answered_at=answered)
        DebriefFactory(person=member_a, session__organisation=org_a, wants_call=False, answered_at=answered)
        DebriefFactory(
            person=member_a,
            session__organisation=org_a,
            wants_call=True,
            answered_at=answered,
            follow_up_done_at=timezone.now(),
        )
        assert services.calls_from_debriefs() == 1
        assert services.calls_from_debriefs() == 0
        call = CallRequest.objects.get()
        assert call.debrief == asked and call.asked_at == answered
        assert [m.to for m in mailoutbox] == [[coordinator_a.email]]  # nobody named yet: the coordinators

    def test_staff_record_a_call_asked_for_by_letter_and_must_say_how(
        self, worker_a: User, member_a: Person, org_a: Organisation, coordinator_a: User, mailoutbox: list[Any]
    ) -> None:
        with pytest.raises(ValidationError):
            services.ask_for_call(actor=worker_a, person=member_a, organisation=org_a, how="online")
        assert not CallRequest.objects.exists()
        call = services.ask_for_call(actor=worker_a, person=member_a, organisation=org_a, how="letter")
        assert call.recorded_by == worker_a
        assert [m.to for m in mailoutbox] == [[coordinator_a.email]]  # nobody named yet: the coordinators

    def test_a_call_not_returned_in_time_goes_to_the_coordinators_once(
        self, coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User, mailoutbox: list[Any]
    ) -> None:
        assign(coordinator_a, member_a, org_a, worker_a)
        assert member_a.user is not None
        call = services.ask_for_call(actor=member_a.user, person=member_a, organisation=org_a)
        mailoutbox.clear()
        assert services.escalate_overdue_calls(now=call.due_at - timedelta(minutes=1)) == 0
        assert services.escalate_overdue_calls(now=call.due_at + timedelta(minutes=1)) == 1
        assert [m.to for m in mailoutbox] == [[coordinator_a.email]]
        assert services.escalate_overdue_calls(now=call.due_at + timedelta(hours=5)) == 0

    def test_returning_a_call_closes_it_and_records_a_contact(
        self, worker_a: User, member_a: Person, org_a: Organisation
    ) -> None:
        assert member_a.user is not None
        call = services.ask_for_call(actor=member_a.user, person=member_a, organisation=org_a)
        contact = services.answer_call(actor=worker_a, call=call, note="Talked it through")
        assert contact.kind == Contact.Kind.CALL
        call.refresh_from_db()
        assert call.answered_by == worker_a
        with pytest.raises(ValidationError):
            services.answer_call(actor=worker_a, call=call)

    def test_a_member_chooses_check_ins_and_an_odd_interval_is_refused(
        self, member_a: Person, org_a: Organisation
    ) -> None:
        assert member_a.user is not None
        plan = services.choose_check_ins(actor=member_a.user, person=member_a, organisation=org_a, every_days=14)
        assert plan is not None and plan.every_days == 14
        with pytest.raises(ValidationError):
            services.choose_check_ins(actor=member_a.user, person=member_a, organisation=org_a, every_days=2)
        assert (
            services.choose_check_ins(actor=member_a.user, person=member_a, organisation=org_a, every_days=None) is None
        )


class TestDigest:
    def test_the_digest_gathers_calls_debrief_calls_check_ins_and_lapsed_contact(
        self, coordinator_a: User, org_a: Organisation, worker_a: User
    ) -> None:
        today = timezone.localdate()
        long_ago = timezone.now() - timedelta(days=60)
        quiet, caller, debriefed, fine = (make_member(org_a, full_name=n) for n in ("Quiet", "Caller", "Deb", "Fine"))
        for person in (quiet, caller, debriefed, fine):
            SupportAssignmentFactory(person=person, organisation=org_a, staff=worker_a, starts_at=long_ago)
        services.record_contact(actor=worker_a, person=fine, organisation=org_a, kind="call", on=today)
        services.record_contact(actor=worker_a, person=caller, organisation=org_a, kind="call", on=today)
        services.record_contact(actor=worker_a, person=debriefed, organisation=org_a, kind="call", on=today)
        assert caller.user is not None
        services.ask_for_call(actor=caller.user, person=caller, organisation=org_a)
        DebriefFactory(person=debriefed, session__organisation=org_a, wants_call=True, answered_at=timezone.now())
        lines = selectors.digest_for(worker_a, org_a, today=today)
        assert [(line.person.full_name, line.entry.reasons) for line in lines] == [
            ("Caller", ("call_asked",)),
            ("Deb", ("debrief_call",)),
            ("Quiet", ("no_contact",)),
        ]

    def test_the_weekly_email_goes_to_each_supporter_with_people_to_act_on_in_their_language(
        self, coordinator_a: User, org_a: Organisation, worker_a: User, cover_a: User, mailoutbox: list[Any]
    ) -> None:
        quiet = make_member(org_a, full_name="Quiet Person")
        SupportAssignmentFactory(
            person=quiet, organisation=org_a, staff=worker_a, starts_at=timezone.now() - timedelta(days=40)
        )
        SupportAssignmentFactory(person=make_member(org_a), organisation=org_a, staff=cover_a)  # new: nothing yet
        assert services.send_digests(organisation=org_a) == 1
        assert mailoutbox[0].to == [worker_a.email]
        assert "Quiet Person" in mailoutbox[0].body
        assert "No contact recorded for a while" in mailoutbox[0].body
