from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.meetings.factories import make_invitation, make_session
from withus.accounts.models import Organisation, Role
from withus.concerns.interests import rules, selectors, services
from withus.concerns.interests.models import Interest
from withus.meetings import selectors as meeting_selectors
from withus.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_body_touches_an_item_that_names_it_whatever_the_case() -> None:
    assert rules.touches("Afon  Health Board", ["Report from afon health board on waiting times"])
    assert rules.touches("Afon Health Board", ["", "Adroddiad AFON HEALTH BOARD"])
    assert not rules.touches("Afon Health Board", ["Carers' week"])
    assert not rules.touches("A", ["Any item at all"])


def test_an_interest_is_current_until_its_last_day_unless_replaced() -> None:
    today = date(2026, 6, 1)
    assert rules.is_current(ends_on=None, superseded=False, today=today)
    assert rules.is_current(ends_on=today, superseded=False, today=today)
    assert not rules.is_current(ends_on=today - timedelta(days=1), superseded=False, today=today)
    assert not rules.is_current(ends_on=None, superseded=True, today=today)


def declare(member: Person, body: str = "Afon Health Board", **fields: object) -> Interest:
    assert member.user is not None
    return services.declare(actor=member.user, person=member, kind="employment", body=body, **fields)  # type: ignore[arg-type]


def test_a_change_keeps_the_version_before(member_a: Person) -> None:
    first = declare(member_a, description="Bank nurse")
    assert member_a.user is not None
    second = services.change(
        actor=member_a.user, interest=first, kind="employment", body="Afon Health Board", description="Ward manager"
    )
    first.refresh_from_db()
    assert first.superseded_at is not None and first.description == "Bank nurse"
    assert second.first_id == first.pk
    assert list(selectors.current(selectors.held_by(person=member_a))) == [second]
    ended = services.end(actor=member_a.user, interest=second, ends_on=None)
    assert ended.ends_on == timezone.localdate()
    assert Interest.objects.filter(person=member_a).count() == 3
    with pytest.raises(ValidationError):
        services.change(actor=member_a.user, interest=first, kind="employment", body="Again")


def test_a_declaration_needs_a_body_and_dates_in_order(member_a: Person) -> None:
    with pytest.raises(ValidationError) as error:
        declare(member_a, body=" ", starts_on=date(2026, 1, 2), ends_on=date(2026, 1, 1))
    assert set(error.value.message_dict) == {"body", "ends_on"}
    assert not Interest.objects.exists()


def test_only_the_holder_or_their_organisations_coordinator_records_one(
    org_a: Organisation, org_b: Organisation, member_a: Person
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR)
    elsewhere = make_staff(org_b, Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.declare(actor=elsewhere, person=member_a, organisation=org_b, kind="other", body="X Ltd", how="phone")
    with pytest.raises(PermissionDenied):
        services.declare(actor=coordinator, user=elsewhere, kind="other", body="X Ltd")
    with pytest.raises(ValidationError):
        services.declare(actor=coordinator, person=member_a, organisation=org_a, kind="other", body="X Ltd")
    recorded = services.declare(
        actor=coordinator, person=member_a, organisation=org_a, kind="other", body="X Ltd", how="letter"
    )
    assert recorded.how == "letter" and recorded.recorded_by == coordinator


def test_the_agenda_shows_the_declarations_touching_its_items(org_a: Organisation, member_a: Person) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "chair@example.org")
    session = make_session(org_a, agenda=("Welcome", "Afon Health Board's new crisis line"))
    make_invitation(session, member_a)
    make_invitation(session, None, name="Chair", email="CHAIR@example.org", role="staff")
    touching = declare(member_a)
    other = declare(member_a, body="Carers Trust")
    staff_one = services.declare(actor=coordinator, user=coordinator, kind="role", body="afon health board")
    not_invited = make_member(org_a)
    declare(not_invited)
    agenda, everyone = meeting_selectors.agenda_with_interests(session)
    assert [(str(item), lines) for item, lines in agenda] == [
        ("Welcome", []),
        ("Afon Health Board's new crisis line", [touching, staff_one]),
    ]
    assert set(everyone) == {touching, other, staff_one}


def sessions_with_people(organisation: Organisation, n: int) -> list[int]:
    ids = []
    for _ in range(n):
        session = make_session(organisation, agenda=("Afon Health Board",))
        for _ in range(3):
            person = make_member(organisation)
            make_invitation(session, person)
            declare(person)
        ids.append(session.pk)
    return ids


def test_the_agendas_take_the_same_queries_however_many_people(org_a: Organisation) -> None:
    from withus.meetings.models import Session

    counts = []
    for n in (1, 4):
        ids = sessions_with_people(org_a, n)
        sessions = list(Session.objects.filter(pk__in=ids))
        with CaptureQueriesContext(connection) as queries:
            found = meeting_selectors.standing_interests(sessions)
        assert all(len(found[s].by_item) == 1 for s in ids)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15


def test_a_member_declares_on_their_page_and_sees_it_on_their_sessions(org_a: Organisation, member_a: Person) -> None:
    client = member_client(member_a)
    page = reverse("concerns:my_interests")
    response = client.post(page, {"action": "declare", "kind": "employment", "body": ""})
    assert response.status_code == 400 and b"Say which body" in response.content
    assert not Interest.objects.exists()
    response = client.post(page, {"action": "declare", "kind": "employment", "body": "Afon Health Board"})
    assert response.status_code == 302
    session = make_session(org_a, agenda=("Afon Health Board update",), status="invited")
    make_invitation(session, member_a, sent_at=timezone.now())
    response = client.get(reverse("meetings:my_sessions"))
    assert "Declared by" in response.content.decode() and "Afon Health Board update" in response.content.decode()
    interest = Interest.objects.get()
    assert client.post(page, {"action": "end", "interest": interest.pk}).status_code == 302
    # Ended today, it still counts today (its last day) and is gone from tomorrow's agendas.
    ended = selectors.current(Interest.objects.all()).get()
    assert ended.ends_on == timezone.localdate() and ended.pk != interest.pk
    assert not selectors.current(Interest.objects.all(), timezone.localdate() + timedelta(days=1)).exists()


def test_staff_declare_their_own_and_the_session_page_lists_them_for_the_chair(org_a: Organisation) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "chair@example.org")
    client = staff_client(coordinator)
    response = client.post(
        reverse("concerns:staff_interests"), {"action": "declare", "kind": "role", "body": "Carers Trust"}
    )
    assert response.status_code == 302
    session = make_session(org_a, contact=coordinator, agenda=("Carers Trust grant",))
    make_invitation(session, None, name="Chair", email="chair@example.org", role="staff")
    page = client.get(reverse("meetings:staff_detail", args=[session.pk])).content.decode()
    assert "Standing declarations of the people invited" in page
    assert page.count("Carers Trust") >= 3


def test_declared_interests_are_in_the_export_and_go_on_erasure(member_a: Person) -> None:
    from withus.concerns import privacy

    declare(member_a, description="Bank nurse")
    section = next(s for s in privacy.export(member_a) if s.key == "interests")
    assert isinstance(section.records, list) and section.records[0]["body"] == "Afon Health Board"
    privacy.erase(member_a)
    assert not Interest.objects.filter(person=member_a).exists()
