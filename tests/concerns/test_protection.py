from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.concerns.factories import raise_one
from tests.conftest import make_staff
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.opportunities.factories import ApplicationFactory, OpportunityFactory
from withus.accounts.models import Organisation, Role, User
from withus.concerns import selectors, services
from withus.concerns.models import ConcernPolicy, ProtectedDecision
from withus.groups import services as groups
from withus.opportunities import services as opportunities
from withus.people import services as people
from withus.people.models import Person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def reviewer(org_a: Organisation) -> User:
    return make_staff(org_a, Role.DECISION_MAKER, "reviewer@example.org")


def _seat(org: Organisation, person: Person) -> object:
    return AppointmentFactory(group=GroupFactory(organisation=org), person=person)


def test_a_member_who_complained_keeps_their_seat_until_an_independent_review_upholds_the_reason(
    org_a: Organisation, member_a: Person, coordinator_a: User, reviewer: User
) -> None:
    appointment = _seat(org_a, member_a)
    raise_one(org_a, raised_by=member_a, kind="complaint")
    with pytest.raises(ValidationError) as refused:
        groups.end_appointment(actor=coordinator_a, appointment=appointment, ended_on=TODAY)  # type: ignore[arg-type]
    assert "raised a concern" in str(refused.value)
    appointment.refresh_from_db()  # type: ignore[attr-defined]
    assert appointment.ended_on is None  # type: ignore[attr-defined]
    decision = services.record_decision(
        actor=coordinator_a,
        organisation=org_a,
        person=member_a,
        kind="seat",
        subject_id=appointment.pk,  # type: ignore[attr-defined]
        subject="Partnership board",
        reason="Has not attended for six months",
    )
    with pytest.raises(ValidationError):
        services.review_decision(actor=coordinator_a, decision=decision, upheld=True, note="Fine by me")
    with pytest.raises(ValidationError):
        groups.end_appointment(actor=coordinator_a, appointment=appointment, ended_on=TODAY)  # type: ignore[arg-type]
    services.review_decision(actor=reviewer, decision=decision, upheld=True, note="Attendance records confirm it")
    assert "Has not attended for six months" in mail.outbox[-1].body and "appeal" in mail.outbox[-1].body
    groups.end_appointment(actor=coordinator_a, appointment=appointment, ended_on=TODAY)  # type: ignore[arg-type]
    decision.refresh_from_db()
    assert decision.carried_out_on == TODAY
    assert LogEntry.objects.get_for_object(decision).count() >= 2


def test_a_member_with_no_recent_concern_is_not_held_up(
    org_a: Organisation, member_a: Person, coordinator_a: User
) -> None:
    appointment = _seat(org_a, member_a)
    raise_one(org_a, raised_by=member_a, today=TODAY - timedelta(days=400))
    assert not selectors.protected(member_a, org_a)
    groups.end_appointment(actor=coordinator_a, appointment=appointment, ended_on=TODAY)  # type: ignore[arg-type]


def test_the_organisation_sets_how_long_protection_lasts(org_a: Organisation, member_a: Person) -> None:
    raise_one(org_a, raised_by=member_a, today=TODAY - timedelta(days=400))
    ConcernPolicy.objects.create(organisation=org_a, protection_months=24)
    assert selectors.protected(member_a, org_a)


def test_an_anonymous_concern_protects_no_one_because_it_is_linked_to_no_one(
    org_a: Organisation, member_a: Person
) -> None:
    raise_one(org_a, raised_by=member_a, anonymous=True)
    assert not selectors.protected(member_a, org_a)


def test_refusing_a_place_and_stepping_out_need_the_review_too(
    org_a: Organisation, member_a: Person, coordinator_a: User, reviewer: User
) -> None:
    raise_one(org_a, raised_by=member_a)
    application = ApplicationFactory(opportunity=OpportunityFactory(organisation=org_a), person=member_a)
    with pytest.raises(ValidationError):
        opportunities.move_application(
            actor=coordinator_a, application=application, status="not_selected", reason="Others fitted better"
        )
    people.give_consent(
        person=member_a,
        actor=coordinator_a,
        purpose="act_on_behalf",
        organisation=org_a,
        how="phone",
        acting_organisation=org_a,
    )
    with pytest.raises(ValidationError):
        people.step_out(person=member_a, actor=coordinator_a, until=None, organisation=org_a)
    member_a.refresh_from_db()
    assert member_a.status == "active"
    decision = services.record_decision(
        actor=coordinator_a,
        organisation=org_a,
        person=member_a,
        kind="place",
        subject_id=application.pk,
        subject="Leaflet review",
        reason="Others fitted better",
    )
    services.review_decision(actor=reviewer, decision=decision, upheld=True, note="Scores checked")
    opportunities.move_application(
        actor=coordinator_a, application=application, status="not_selected", reason="Others fitted better"
    )
    assert ProtectedDecision.objects.get().carried_out_on == TODAY


def test_the_decisions_page_records_a_reason_and_an_independent_review(
    org_a: Organisation, member_a: Person, coordinator_a: User, reviewer: User
) -> None:
    from django.urls import reverse

    from tests.conftest import staff_client

    appointment = _seat(org_a, member_a)
    raise_one(org_a, raised_by=member_a)
    client = staff_client(coordinator_a)
    page = client.get(reverse("concerns:decisions"))
    assert f"seat:{appointment.pk}".encode() in page.content  # type: ignore[attr-defined]
    refused = client.post(reverse("concerns:decisions"), {"what": f"seat:{appointment.pk}", "reason": ""})  # type: ignore[attr-defined]
    assert refused.status_code == 400 and not ProtectedDecision.objects.exists()
    client.post(reverse("concerns:decisions"), {"what": f"seat:{appointment.pk}", "reason": "Not attended"})  # type: ignore[attr-defined]
    decision = ProtectedDecision.objects.get()
    staff_client(reviewer).post(reverse("concerns:review", args=[decision.pk]), {"upheld": "yes", "note": "Checked"})
    decision.refresh_from_db()
    assert decision.upheld is True and decision.reviewer == reviewer
