"""What support holds about a person, in "download my details", and what erasure removes."""

from __future__ import annotations

import pytest

from tests.support.factories import CallRequestFactory, ContactFactory, SupportAssignmentFactory
from withus.accounts.models import Organisation, User
from withus.core import privacy
from withus.people.models import Person
from withus.support.models import CallRequest, Contact, SupportAssignment

pytestmark = pytest.mark.django_db


def test_the_download_has_their_support_and_contacts_but_never_a_safeguarding_note(
    member_a: Person, org_a: Organisation, worker_a: User
) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a, reason="New member")
    ContactFactory(person=member_a, organisation=org_a, note="We talked")
    ContactFactory(person=member_a, organisation=org_a, note="Secret worry", safeguarding=True)
    ContactFactory(organisation=org_a, note="Someone else's")
    CallRequestFactory(person=member_a, organisation=org_a, note="Call me")
    document = privacy.subject_access(member_a)
    assert [a["reason"] for a in document["support_assignments"]] == ["New member"]
    assert [c["note"] for c in document["support_contacts"]] == ["We talked"]
    assert [c["note"] for c in document["call_requests"]] == ["Call me"]
    assert "Secret worry" not in str(document)
    assert "not in this download" in document["safeguarding_notes"]["about"]


def test_erasure_removes_everything_support_holds(member_a: Person, org_a: Organisation, worker_a: User) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a)
    ContactFactory(person=member_a, organisation=org_a, safeguarding=True)
    CallRequestFactory(person=member_a, organisation=org_a)
    kept = ContactFactory(organisation=org_a)
    privacy.erase(member_a)
    assert not SupportAssignment.objects.exists() and not CallRequest.objects.exists()
    assert list(Contact.objects.all()) == [kept]
