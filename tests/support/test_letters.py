"""A member's session letters name their support contact and how to reach them, in their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_member
from tests.meetings.factories import make_contact, make_session
from tests.support.factories import SupportAssignmentFactory
from withus.accounts.models import Organisation, User
from withus.meetings.documents import Letter, render_letters_html
from withus.meetings.models import Session

pytestmark = pytest.mark.django_db


def test_the_letter_names_the_support_contact_and_how_to_reach_them(org_a: Organisation, worker_a: User) -> None:
    org_a.contact_phone = "01970 123456"
    org_a.save()
    session = make_session(org_a, make_contact())
    supported = make_member(org_a, full_name="Alaw Jones")
    alone = make_member(org_a, full_name="Bedwyr Huws")
    SupportAssignmentFactory(person=supported, organisation=org_a, staff=worker_a)
    html = render_letters_html([Letter(person=supported, session=session, kind="invitation")])
    assert "Your support contact is Wyn Worker: e-mail wyn@example.org." in html
    assert "Or phone 01970 123456 and ask for them." in html
    assert "support contact" not in render_letters_html([Letter(person=alone, session=session, kind="invitation")])


def test_a_batch_of_letters_asks_for_support_contacts_once(
    org_a: Organisation, worker_a: User, django_assert_max_num_queries: Any
) -> None:
    made = make_session(org_a, make_contact())
    # As the print batch reads it (``letter_invitations``): the session's own rows fetched once.
    session = (
        Session.objects.select_related("venue", "contact", "organisation").prefetch_related("agenda").get(pk=made.pk)
    )

    def letters(n: int) -> list[Letter]:
        people = [make_member(org_a) for _ in range(n)]
        for person in people:
            SupportAssignmentFactory(person=person, organisation=org_a, staff=worker_a)
        return [Letter(person=p, session=session, kind="invitation") for p in people]

    few = letters(2)
    with CaptureQueriesContext(connection) as counted:
        render_letters_html(few)
    many = letters(12)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert render_letters_html(many).count("Your support contact is") == 12
