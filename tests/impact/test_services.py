from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.conftest import make_member, make_staff
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.impact.conftest import attended
from tests.meetings.factories import SessionFactory
from withus.accounts.models import Organisation, Role, User
from withus.impact.contributions import selectors, services
from withus.impact.contributions.models import Answer, Contribution, FollowUp, ImpactSettings, Notice, Step
from withus.meetings import services as meeting_services
from withus.meetings.models import Action, Session
from withus.people.models import OutgoingMessage, Person

pytestmark = pytest.mark.django_db

Choice = services.ContributorChoice


def record(actor: User, org: Organisation, session: Session, *people: Person, **fields: object) -> Contribution:
    values: dict[str, object] = {
        "text": "The letters about appointments are too hard to read.",
        "perspective": "service_user",
        "session": session,
        "contributors": [Choice(p, True, False) for p in people],
    }
    values.update(fields)
    return services.record_contribution(actor=actor, organisation=org, **values)  # type: ignore[arg-type]


def test_a_minority_view_is_recorded_as_its_own_contribution_and_its_contributors_are_told(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person, by_post_a: Person
) -> None:
    majority = record(coordinator_a, org_a, held_session, member_a)
    minority = record(
        coordinator_a,
        org_a,
        held_session,
        by_post_a,
        text="Keep the paper letters: not everyone is online.",
        minority_view=True,
    )
    assert majority.pk != minority.pk
    assert minority.minority_view and not majority.minority_view
    assert [s.kind for s in minority.steps.all()] == ["said"]
    assert [m.to for m in mail.outbox] == [[member_a.email]]
    letter = OutgoingMessage.objects.get(person=by_post_a)
    assert letter.status == OutgoingMessage.Status.TO_PRINT
    assert letter.body.startswith("Annwyl Gwen") and "Diolch." in letter.body  # in Welsh, as Gwen asked
    assert Notice.objects.filter(step__contribution=minority, person=by_post_a, message=letter).exists()


def test_the_answer_is_due_after_the_organisations_days(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    ImpactSettings.objects.create(organisation=org_a, answer_within_days=14)
    with time_machine.travel("2030-06-12 12:00 +01:00", tick=False):
        contribution = record(coordinator_a, org_a, held_session, member_a)
    assert contribution.answer_due_on == date(2030, 6, 26)


def test_the_sessions_contact_records_but_a_supervisor_elsewhere_may_not(org_a: Organisation, member_a: Person) -> None:
    contact = make_staff(org_a, Role.SUPERVISOR, "notes@example.org")
    other = make_staff(org_a, Role.SUPERVISOR, "other@example.org")
    session = SessionFactory(organisation=org_a, contact=contact)
    assert record(contact, org_a, session, member_a).recorded_by == contact
    with pytest.raises(PermissionDenied):
        record(other, org_a, session, member_a)


def test_bad_contributions_are_refused_with_a_message_each_and_nothing_written(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, member_b: Person
) -> None:
    other_session = SessionFactory(organisation=org_b)
    with pytest.raises(ValidationError) as refused:
        services.record_contribution(
            actor=coordinator_a,
            organisation=org_a,
            text=" ",
            perspective="",
            view="representative",
            session=other_session,
            contributors=[Choice(member_b)],
        )
    assert set(refused.value.message_dict) == {"text", "perspective", "session", "on_behalf_of", "contributors"}
    assert not Contribution.objects.exists()


def test_a_member_adds_what_they_said_only_at_a_session_they_attended(
    org_a: Organisation, held_session: Session, member_a: Person
) -> None:
    assert member_a.user is not None
    with pytest.raises(ValidationError) as refused:
        services.submit_contribution(actor=member_a.user, person=member_a, session=held_session, text="More breaks")
    assert "session" in refused.value.message_dict
    attended(held_session, member_a)
    made = services.submit_contribution(
        actor=member_a.user, person=member_a, session=held_session, text="More breaks", agrees_to_publish=True
    )
    assert made.source == Contribution.Source.MEMBER
    assert made.perspective == member_a.perspective
    assert made.contributors.get().agrees_to_publish
    assert not mail.outbox  # nobody is told of what they sent themselves


def test_a_representative_speaks_only_for_a_group_they_sit_on(
    org_a: Organisation, held_session: Session, member_a: Person
) -> None:
    assert member_a.user is not None
    attended(held_session, member_a)
    theirs, other = GroupFactory(organisation=org_a), GroupFactory(organisation=org_a)
    AppointmentFactory(group=theirs, person=member_a)
    with pytest.raises(ValidationError) as refused:
        services.submit_contribution(
            actor=member_a.user, person=member_a, session=held_session, text="Our view", on_behalf_of=other
        )
    assert "on_behalf_of" in refused.value.message_dict
    made = services.submit_contribution(
        actor=member_a.user, person=member_a, session=held_session, text="Our view", on_behalf_of=theirs
    )
    assert made.view == Contribution.View.REPRESENTATIVE and made.on_behalf_of == theirs


def test_an_answer_with_no_reason_is_refused_and_nothing_written(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = record(coordinator_a, org_a, held_session, member_a)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        services.answer_contribution(actor=decider_a, contribution=contribution, decision="adopted", reason="  ")
    assert refused.value.message_dict == {"reason": ["Give the reason for the decision, in plain words."]}
    assert not Answer.objects.exists() and not mail.outbox
    contribution.refresh_from_db()
    assert contribution.outcome == ""


def test_partly_adopted_with_an_action_is_a_sessions_action_and_reaches_each_contributor_by_their_channel(
    org_a: Organisation,
    coordinator_a: User,
    decider_a: User,
    held_session: Session,
    member_a: Person,
    by_post_a: Person,
) -> None:
    contribution = record(coordinator_a, org_a, held_session, member_a, by_post_a)
    mail.outbox.clear()
    with time_machine.travel("2030-07-01 12:00 +01:00", tick=False):
        answer = services.answer_contribution(
            actor=decider_a,
            contribution=contribution,
            decision="partly",
            reason="We will rewrite the letters in plain words, but cannot stop sending them by post.",
            action_text="Rewrite the appointment letter",
            action_owner_name="Nia Rhys",
            action_due_on=date(2030, 8, 1),
        )
    action = Action.objects.get()
    assert answer.action == action and action.session == held_session
    assert answer.decided_by == "Dewi Decider"
    contribution.refresh_from_db()
    assert contribution.outcome == "partly"
    assert contribution.follow_up_due_on == date(2030, 10, 1)  # three months, the default
    assert len(mail.outbox) == 1 and "Partly adopted" in mail.outbox[0].body
    assert "Rewrite the appointment letter" in mail.outbox[0].body
    letter = OutgoingMessage.objects.filter(person=by_post_a).first()
    assert letter is not None and letter.status == OutgoingMessage.Status.TO_PRINT
    assert "Wedi'i fabwysiadu'n rhannol" in letter.body


def test_an_action_needs_a_session(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    project = GroupFactory(organisation=org_a, kind="project")
    contribution = services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="x",
        perspective="carer",
        project=project,
        contributors=[Choice(member_a)],
    )
    with pytest.raises(ValidationError) as refused:
        services.answer_contribution(
            actor=coordinator_a,
            contribution=contribution,
            decision="adopted",
            reason="Yes",
            action_text="Do it",
            action_owner_name="Nia",
            action_due_on=date(2030, 1, 1),
        )
    assert "action_text" in refused.value.message_dict
    assert not Answer.objects.exists() and not Action.objects.exists()


def test_a_supervisor_does_not_answer(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = record(coordinator_a, org_a, held_session, member_a)
    with pytest.raises(PermissionDenied):
        services.answer_contribution(
            actor=make_staff(org_a, Role.SUPERVISOR), contribution=contribution, decision="adopted", reason="Yes"
        )


def test_the_daily_round_flags_a_late_contribution_once_to_the_decision_maker_and_coordinators(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    with time_machine.travel("2030-06-12 12:00 +01:00", tick=False):
        contribution = record(coordinator_a, org_a, held_session, member_a, decision_maker=decider_a)
    mail.outbox.clear()
    assert services.daily_round(today=date(2030, 7, 10)).flagged == 0  # due on 10 July: not late yet
    assert services.daily_round(today=date(2030, 7, 11)).flagged == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["coord-a@example.org", "dewi@example.org"]
    assert services.daily_round(today=date(2030, 7, 12)).flagged == 0
    assert len(mail.outbox) == 2
    assert contribution.steps.filter(kind=Step.Kind.OVERDUE).count() == 1
    with time_machine.travel("2030-07-12 12:00 +01:00", tick=False):
        contribution.refresh_from_db()
        assert contribution.is_overdue


def test_months_later_the_owner_is_asked_what_changed_and_the_answer_reaches_contributors(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    ImpactSettings.objects.create(organisation=org_a, follow_up_after_months=4)
    with time_machine.travel("2030-06-12 12:00 +01:00", tick=False):
        contribution = record(coordinator_a, org_a, held_session, member_a)
        services.answer_contribution(actor=decider_a, contribution=contribution, decision="adopted", reason="Agreed")
    mail.outbox.clear()
    with time_machine.travel("2030-10-11 09:00 +01:00", tick=False):
        assert services.daily_round().follow_ups_asked == 0
    with time_machine.travel("2030-10-12 09:00 +01:00", tick=False):
        assert services.daily_round().follow_ups_asked == 1
        assert services.daily_round().follow_ups_asked == 0
    assert [m.to for m in mail.outbox] == [["dewi@example.org"]]
    follow_up = FollowUp.objects.get(contribution=contribution)
    assert follow_up.owner == decider_a
    with pytest.raises(ValidationError) as refused:
        services.answer_follow_up(actor=decider_a, follow_up=follow_up, changed=True, what_changed=" ")
    assert "what_changed" in refused.value.message_dict
    assert not contribution.steps.filter(kind=Step.Kind.CHECKED_AGAIN).exists()
    mail.outbox.clear()
    services.answer_follow_up(
        actor=decider_a,
        follow_up=follow_up,
        changed=True,
        what_changed="Letters are now in plain words.",
        difference_made="Members rewrote the letter with us.",
    )
    step = contribution.steps.get(kind=Step.Kind.CHECKED_AGAIN)
    assert step.text == "Letters are now in plain words."
    assert [m.to for m in mail.outbox] == [[member_a.email]]
    assert "Letters are now in plain words." in mail.outbox[0].body


def test_contributors_are_told_once_when_an_action_is_done(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = record(coordinator_a, org_a, held_session, member_a)
    answer = services.answer_contribution(
        actor=coordinator_a,
        contribution=contribution,
        decision="adopted",
        reason="Yes",
        action_text="Print large-print copies",
        action_owner_name="Nia",
        action_due_on=date(2030, 9, 1),
    )
    assert answer.action is not None
    assert services.daily_round().actions_told == 0
    meeting_services.complete_action(actor=coordinator_a, action=answer.action)
    mail.outbox.clear()
    assert services.daily_round().actions_told == 1
    assert services.daily_round().actions_told == 0
    assert len(mail.outbox) == 1 and "Print large-print copies" in mail.outbox[0].body


def test_a_contributor_replies_and_the_others_and_the_decision_maker_hear(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    other = make_member(org_a, full_name="Owain Other")
    contribution = record(coordinator_a, org_a, held_session, member_a, other, decision_maker=decider_a)
    mail.outbox.clear()
    assert member_a.user is not None
    step = services.reply(actor=member_a.user, contribution=contribution, text="When will it change?", question=True)
    assert step.kind == Step.Kind.QUESTION and step.by_person == member_a
    assert sorted(m.to[0] for m in mail.outbox) == sorted([other.email, "dewi@example.org", "coord-a@example.org"])
    with pytest.raises(ValidationError):
        services.reply(actor=member_a.user, contribution=contribution, text=" ")


def test_a_member_sees_only_their_own_contributions(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    other = make_member(org_a)
    contribution = record(coordinator_a, org_a, held_session, member_a)
    assert other.user is not None and member_a.user is not None
    with pytest.raises(Http404):
        selectors.contribution_for(other.user, contribution.pk)
    with pytest.raises(PermissionDenied):
        services.reply(actor=other.user, contribution=contribution, text="Me too")
    assert selectors.contribution_for(member_a.user, contribution.pk) == contribution
    assert list(selectors.contributions_of(other)) == []


def test_staff_of_another_organisation_do_not_see_it(
    org_a: Organisation,
    org_b: Organisation,
    coordinator_a: User,
    coordinator_b: User,
    held_session: Session,
    member_a: Person,
) -> None:
    contribution = record(coordinator_a, org_a, held_session, member_a)
    with pytest.raises(Http404):
        selectors.contribution_for(coordinator_b, contribution.pk, organisation=org_b)


def test_published_only_when_every_contributor_agreed_and_named_only_with_consent(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    other = make_member(org_a, full_name="Owain Other")
    both = services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="Both agreed",
        perspective="carer",
        session=held_session,
        contributors=[Choice(member_a, True, True), Choice(other, True, False)],
    )
    services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="One refused",
        perspective="carer",
        session=held_session,
        contributors=[Choice(member_a, True, True), Choice(other, False, False)],
    )
    shown = list(selectors.published(org_a))
    assert shown == [both]
    assert [c.person for c in shown[0].named_contributors] == [member_a]


def test_the_days_before_a_flag_are_the_organisations(org_a: Organisation) -> None:
    assert selectors.settings_for(org_a).answer_within_days == 28
    assert selectors.settings_for(org_a).follow_up_after_months == 3
    assert timedelta(days=selectors.settings_for(org_a).answer_within_days).days == 28
