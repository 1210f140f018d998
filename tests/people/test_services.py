import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.accounts.factories import UserFactory
from tests.conftest import make_member, make_staff
from withus.accounts.models import Membership, Role
from withus.people import services
from withus.people.models import AssistedAction, ConsentRecord, EqualityMonitoring, Person, WellbeingPlan

pytestmark = pytest.mark.django_db


def test_register_member_records_consent_sharing_and_membership(org_a, org_b):
    user = UserFactory()
    person = services.register_member(
        user=user,
        full_name="Nia Hughes",
        perspective="carer",
        organisations=[org_a, org_b],
        keep_details=True,
        contact_about_opportunities=True,
    )
    purposes = set(person.consents.values_list("purpose", "organisation__slug"))
    assert ("keep_details", None) in purposes
    assert ("share_with_organisation", "org-a") in purposes
    assert ("share_with_organisation", "org-b") in purposes
    assert ("contact_about_opportunities", None) in purposes
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {Role.MEMBER}
    assert Membership.objects.filter(user=user).count() == 2


def test_register_member_without_consent_writes_nothing(org_a):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.register_member(
            user=user, full_name="X", perspective="carer", organisations=[org_a], keep_details=False
        )
    assert "keep_details" in error.value.message_dict
    assert not Person.objects.filter(user=user).exists()
    assert not ConsentRecord.objects.exists()


def test_assisted_registration_is_recorded_as_on_behalf(org_a, coordinator_a):
    person = services.register_assisted(
        actor=coordinator_a,
        organisation=org_a,
        how=ConsentRecord.How.IN_PERSON,
        keep_details=True,
        act_on_behalf=True,
        fields={
            "full_name": "Gwen Price",
            "perspective": "service_user",
            "preferred_channel": "post",
            "address": "1 Stryd Fawr",
        },
    )
    assert person.user is None
    assert person.registered_by == coordinator_a
    consent = person.consents.get(purpose=ConsentRecord.Purpose.ACT_ON_BEHALF)
    assert consent.organisation == org_a and consent.recorded_by == coordinator_a and consent.how == "in_person"
    assert AssistedAction.objects.filter(person=person, actor=coordinator_a).exists()
    entries = LogEntry.objects.get_for_object(consent)
    assert entries.exists()
    assert entries.first().additional_data == {"on_behalf_of": person.pk}


def test_assisted_registration_needs_both_consents_and_writes_nothing_partial(org_a, coordinator_a):
    with pytest.raises(ValidationError) as error:
        services.register_assisted(
            actor=coordinator_a,
            organisation=org_a,
            how="in_person",
            keep_details=True,
            act_on_behalf=False,
            fields={"full_name": "A", "perspective": "carer"},
        )
    assert "act_on_behalf" in error.value.message_dict
    assert Person.objects.count() == 0
    assert ConsentRecord.objects.count() == 0


def test_only_coordinators_of_the_organisation_can_register(org_a, org_b, coordinator_b):
    with pytest.raises(PermissionDenied):
        services.register_assisted(
            actor=coordinator_b,
            organisation=org_a,
            how="in_person",
            keep_details=True,
            act_on_behalf=True,
            fields={"full_name": "A", "perspective": "carer"},
        )


def test_coordinator_cannot_change_a_member_without_consent_to_act(org_a, coordinator_a, member_a):
    with pytest.raises(PermissionDenied):
        services.update_profile(
            person=member_a, actor=coordinator_a, organisation=org_a, fields={"phone": "01632 960000"}
        )
    services.give_consent(
        person=member_a,
        actor=coordinator_a,
        purpose=ConsentRecord.Purpose.ACT_ON_BEHALF,
        organisation=org_a,
        acting_organisation=org_a,
        how="phone",
    )
    services.update_profile(
        person=member_a, actor=coordinator_a, organisation=org_a, fields={"phone": "01632 960000"}, section="about"
    )
    member_a.refresh_from_db()
    assert member_a.phone == "01632 960000"
    action = member_a.assisted_actions.get(kind="changed_details")
    assert action.detail == "about"
    assert action.description == "Changed your details: About you"


def test_coordinator_of_another_organisation_cannot_act(org_a, org_b, coordinator_b, member_a):
    with pytest.raises(PermissionDenied):
        services.update_profile(person=member_a, actor=coordinator_b, organisation=org_b, fields={"phone": "1"})


def test_member_changes_own_profile_without_on_behalf_marker(member_a):
    services.update_profile(person=member_a, actor=member_a.user, fields={"pronouns": "she/her"})
    member_a.refresh_from_db()
    assert member_a.pronouns == "she/her"
    assert not member_a.assisted_actions.exists()
    entry = LogEntry.objects.get_for_object(member_a).latest("timestamp")
    assert entry.actor == member_a.user
    assert not entry.additional_data


def test_unknown_profile_field_is_refused(member_a):
    with pytest.raises(ValidationError):
        services.update_profile(person=member_a, actor=member_a.user, fields={"user_id": 99})


def test_withdrawing_sharing_ends_membership_and_act_on_behalf(org_a, coordinator_a):
    person = make_member(org_a)
    services.give_consent(
        person=person,
        actor=coordinator_a,
        purpose=ConsentRecord.Purpose.ACT_ON_BEHALF,
        organisation=org_a,
        acting_organisation=org_a,
        how="paper",
    )
    share = person.consents.get(purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION, organisation=org_a)
    services.withdraw_consent(consent=share, actor=person.user)
    assert not Person.objects.sharing_with(org_a).filter(pk=person.pk).exists()
    assert not Membership.objects.filter(user=person.user, organisation=org_a).exists()
    assert not person.consents.filter(purpose=ConsentRecord.Purpose.ACT_ON_BEHALF, withdrawn_at__isnull=True).exists()


def test_step_out_come_back_and_leave(member_a):
    services.step_out(person=member_a, actor=member_a.user, until=None)
    assert Person.objects.get(pk=member_a.pk).status == "stepped_out"
    services.come_back(person=member_a, actor=member_a.user)
    assert Person.objects.get(pk=member_a.pk).status == "active"
    interview = services.leave(person=member_a, actor=member_a.user)
    assert Person.objects.get(pk=member_a.pk).status == "left"
    assert interview.completed_at is None
    services.complete_exit_interview(
        interview=interview,
        actor=member_a.user,
        reasons="Moving away",
        went_well="",
        could_be_better="",
        wants_conversation=True,
    )
    interview.refresh_from_db()
    assert interview.completed_at is not None and interview.wants_conversation


def test_dbs_check_date_in_future_is_refused(org_a, coordinator_a, member_a):
    from datetime import date, timedelta

    with pytest.raises(ValidationError) as error:
        services.record_dbs_check(
            person=member_a,
            organisation=org_a,
            actor=coordinator_a,
            status="clear",
            checked_on=date.today() + timedelta(days=1),
        )
    assert "checked_on" in error.value.message_dict
    assert not member_a.dbs_checks.exists()


def test_special_category_data_is_encrypted_at_rest(member_a):
    services.save_wellbeing_plan(
        person=member_a,
        actor=member_a.user,
        what_helps="Quiet room, no phone calls",
        who_to_contact="My sister",
        visible_to="only_me",
    )
    services.save_equality_monitoring(person=member_a, actor=member_a.user, answers={"ethnicity": "mixed"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT what_helps FROM people_wellbeingplan")
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT ethnicity FROM people_equalitymonitoring")
        stored_ethnicity = cursor.fetchone()[0]
    assert "Quiet room" not in stored
    assert stored_ethnicity != "mixed"
    assert WellbeingPlan.objects.get(person=member_a).what_helps == "Quiet room, no phone calls"
    assert EqualityMonitoring.objects.get(person=member_a).ethnicity == "mixed"


def test_audit_log_masks_sensitive_values(member_a):
    services.save_wellbeing_plan(
        person=member_a, actor=member_a.user, what_helps="Secret coping plan", who_to_contact="", visible_to="only_me"
    )
    services.update_profile(person=member_a, actor=member_a.user, fields={"phone": "07700 900123"})
    text = " ".join(str(e.changes) for e in LogEntry.objects.all())
    assert "Secret coping plan" not in text
    assert "07700 900123" not in text
    assert "[hidden]" in text


def test_staff_user_can_also_be_a_member_elsewhere(org_a, org_b):
    staff = make_staff(org_b, Role.COORDINATOR)
    person = services.register_member(
        user=staff, full_name="Rhian", perspective="carer", organisations=[org_a], keep_details=True
    )
    roles = set(Membership.objects.filter(user=staff).values_list("organisation__slug", "role"))
    assert roles == {("org-b", "coordinator"), ("org-a", "member")}
    assert person.user == staff
