"""The pages of support through the test client: staff and member, forms that refuse and keep what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import make_member, member_client, staff_client
from tests.meetings.factories import DebriefFactory
from tests.support.factories import CallRequestFactory, ContactFactory, SupportAssignmentFactory
from withus.accounts.models import Organisation, User
from withus.people.models import Person
from withus.support.models import CallRequest, Contact, SupportAssignment, SupportPart

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: Any) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_a_coordinator_assigns_a_support_contact_and_the_member_sees_who_and_how_to_reach_them(
    coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User
) -> None:
    client = staff_client(coordinator_a)
    response = client.post(
        f"/staff/support/people/{member_a.pk}/assign/",
        {"part": "support_contact", "staff": worker_a.pk, "reason": "New member"},
    )
    assert response.status_code == 302
    page = client.get(f"/staff/support/people/{member_a.pk}/").content.decode()
    assert "Wyn Worker" in page and "New member" in page
    member = member_client(member_a)
    mine = member.get("/me/support/").content.decode()
    assert "Wyn Worker" in mine and "mailto:wyn@example.org" in mine
    details = member.get("/me/").content.decode()
    assert "Support contact at Organisation A" in details and "Wyn Worker" in details
    assert "Wyn Worker" in client.get(f"/staff/people/{member_a.pk}/").content.decode()


def test_a_supervisor_as_support_contact_is_refused_next_to_the_field_keeping_what_was_typed(
    coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User
) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a, part=SupportPart.SUPERVISOR)
    response = staff_client(coordinator_a).post(
        f"/staff/support/people/{member_a.pk}/assign/",
        {"part": "support_contact", "staff": worker_a.pk, "reason": "Because I typed this"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "cannot also be their support contact" in page
    assert "Because I typed this" in page
    assert SupportAssignment.objects.count() == 1


def test_a_contact_is_recorded_in_a_few_seconds_and_a_future_date_is_refused(
    worker_a: User, member_a: Person, org_a: Organisation
) -> None:
    client = staff_client(worker_a)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    refused = client.post(
        f"/staff/support/people/{member_a.pk}/contact/", {"kind": "call", "note": "Kept", **date_fields("on", tomorrow)}
    )
    assert "cannot be in the future" in refused.content.decode() and "Kept" in refused.content.decode()
    assert not Contact.objects.exists()
    done = client.post(
        f"/staff/support/people/{member_a.pk}/contact/",
        {"kind": "visit", "note": "Good visit", **date_fields("on", today)},
    )
    assert done.status_code == 302
    assert "Good visit" in member_client(member_a).get("/me/support/").content.decode()


def test_safeguarding_notes_are_never_shown_to_the_member_and_only_to_the_lead(
    worker_a: User, lead_a: User, member_a: Person, org_a: Organisation
) -> None:
    ContactFactory(person=member_a, organisation=org_a, note="A worry about safety", safeguarding=True)
    ContactFactory(person=member_a, organisation=org_a, note="Ordinary chat")
    mine = member_client(member_a).get("/me/support/").content.decode()
    assert "Ordinary chat" in mine and "A worry about safety" not in mine
    assert "safeguarding lead may keep a safeguarding note" in mine
    held = member_client(member_a).get("/me/held/").content.decode()
    assert "A worry about safety" not in held and "not in this download" in held
    assert (
        "A worry about safety"
        not in staff_client(worker_a).get(f"/staff/support/people/{member_a.pk}/").content.decode()
    )
    assert "A worry about safety" in staff_client(lead_a).get(f"/staff/support/people/{member_a.pk}/").content.decode()


def test_a_member_asks_for_a_call_from_their_pages_and_staff_return_it(
    worker_a: User, member_a: Person, org_a: Organisation, mailoutbox: list[Any]
) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a)
    member = member_client(member_a)
    assert "NHS 111" in member.get("/me/support/call/").content.decode()
    response = member.post("/me/support/call/", {"organisation": org_a.pk, "note": "After the meeting"})
    assert response.status_code == 302
    call = CallRequest.objects.get()
    assert mailoutbox[-1].to == [worker_a.email]
    assert "will call you by" in member.get("/me/support/").content.decode()
    staff = staff_client(worker_a)
    assert "After the meeting" in staff.get(f"/staff/support/people/{member_a.pk}/").content.decode()
    staff.post(f"/staff/support/calls/{call.pk}/answer/", {"note": "Called back"})
    call.refresh_from_db()
    assert call.answered_at is not None
    assert "Called back" in member.get("/me/support/").content.decode()


def test_staff_record_a_call_asked_for_by_phone(worker_a: User, member_a: Person, org_a: Organisation) -> None:
    client = staff_client(worker_a)
    refused = client.post(f"/staff/support/people/{member_a.pk}/call/", {"note": "x"})
    assert "Say how the member asked" in refused.content.decode()
    client.post(f"/staff/support/people/{member_a.pk}/call/", {"how": "phone", "note": "Rang the office"})
    assert CallRequest.objects.get().how == "phone"


def test_a_member_chooses_how_often_to_be_checked_in_on(member_a: Person, org_a: Organisation) -> None:
    member = member_client(member_a)
    member.post("/me/support/check-ins/", {"organisation": org_a.pk, "every_days": "14"})
    assert "Every 14 days" in member.get("/me/support/").content.decode()


def test_handing_over_from_the_page(coordinator_a: User, org_a: Organisation, worker_a: User, cover_a: User) -> None:
    people = [make_member(org_a) for _ in range(2)]
    for person in people:
        SupportAssignmentFactory(person=person, organisation=org_a, staff=worker_a)
    client = staff_client(coordinator_a)
    today = timezone.localdate()
    refused = client.post(
        "/staff/support/handover/",
        {"from_staff": worker_a.pk, "to_staff": cover_a.pk, "reason": "Leave", **date_fields("until", today)},
    )
    assert "must be after today" in refused.content.decode()
    done = client.post(
        "/staff/support/handover/",
        {
            "from_staff": worker_a.pk,
            "to_staff": cover_a.pk,
            "reason": "Leave",
            **date_fields("until", today + timedelta(days=7)),
        },
    )
    assert done.status_code == 302
    assert SupportAssignment.objects.filter(staff=cover_a, ended_at__isnull=True).count() == 2


def test_the_digest_is_on_the_staff_dashboard(worker_a: User, member_a: Person, org_a: Organisation) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a)
    CallRequestFactory(person=member_a, organisation=org_a)
    page = staff_client(worker_a).get("/staff/opportunities/dashboard/").content.decode()
    assert "Your support digest" in page and "Alaw Member" in page and "Asked for a call" in page


def _same_queries(get: Callable[[], Any], add: Callable[[int], None], django_assert_max_num_queries: Any) -> None:
    add(2)
    get()
    with CaptureQueriesContext(connection) as few:
        assert get().status_code == 200
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get().status_code == 200


def test_the_lists_and_the_digest_cost_the_same_queries_at_two_sizes(
    worker_a: User, org_a: Organisation, django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            person = make_member(org_a)
            SupportAssignmentFactory(
                person=person, organisation=org_a, staff=worker_a, starts_at=timezone.now() - timedelta(days=60)
            )
            ContactFactory(person=person, organisation=org_a, on=timezone.localdate() - timedelta(days=40))
            ContactFactory(person=person, organisation=org_a, kind="check_in")
            CallRequestFactory(person=person, organisation=org_a)
            DebriefFactory(person=person, session__organisation=org_a, wants_call=True, answered_at=timezone.now())

    client = staff_client(worker_a)
    for path in ("/staff/support/", "/staff/support/digest/", "/staff/opportunities/dashboard/"):
        _same_queries(lambda path=path: client.get(path), add, django_assert_max_num_queries)


def test_the_admin_chooses_the_number_of_days_the_digest_counts(org_a: Organisation, worker_a: User) -> None:
    from tests.conftest import make_staff
    from withus.accounts.models import Role
    from withus.support import selectors

    admin = make_staff(org_a, Role.ADMIN)
    person = make_member(org_a)
    SupportAssignmentFactory(
        person=person, organisation=org_a, staff=worker_a, starts_at=timezone.now() - timedelta(days=60)
    )
    ContactFactory(person=person, organisation=org_a, on=timezone.localdate() - timedelta(days=20))
    assert selectors.digest_for(worker_a, org_a) == []
    client = staff_client(admin)
    data = {"contact_every_days": "14", "supervision_every_weeks": "8", "call_within_hours": "24"}
    refused = client.post("/staff/support/settings/", {**data, "contact_every_days": "0"})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    assert client.post("/staff/support/settings/", data).status_code == 302
    assert [line.person for line in selectors.digest_for(worker_a, org_a)] == [person]
    assert staff_client(worker_a).get("/staff/support/settings/").status_code == 403
