"""Group agreements and the code of conduct (002 §9): each group's ground rules agreed by its members
and reviewed yearly, and the organisation's code of conduct accepted before a member takes up a seat."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, member_client, staff_client
from tests.groups.factories import AppointmentFactory, GroupFactory
from withus.accounts.models import Organisation, User
from withus.core import privacy
from withus.groups import services as group_services
from withus.groups.agreements import rules, selectors, services
from withus.groups.agreements.models import Agreed

pytestmark = pytest.mark.django_db
RULES = "We listen to each other.\n\nWe keep what is said here private."


def _group_with(org: Organisation, *people: object) -> object:
    group = GroupFactory(organisation=org, name="Hafan peer group")
    for person in people:
        AppointmentFactory(group=group, person=person)
    return group


# ---- Rules --------------------------------------------------------------------------------------


def test_ground_rules_are_due_a_review_a_year_after_they_were_adopted() -> None:
    assert not rules.review_due(adopted_on=date(2026, 1, 10), today=date(2027, 1, 9))
    assert rules.review_due(adopted_on=date(2026, 1, 10), today=date(2027, 1, 10))
    assert rules.text_problems(text="  ") and not rules.text_problems(text="Be kind")
    assert rules.how_problems(how="self", for_someone_else=True)
    assert not rules.how_problems(how="paper", for_someone_else=True)
    assert not rules.how_problems(how="self", for_someone_else=False)


# ---- Services ------------------------------------------------------------------------------------


def test_members_agree_to_the_current_ground_rules_once_and_a_new_version_asks_again(
    org_a: Organisation, coordinator_a: User
) -> None:
    alaw, bryn = make_member(org_a, full_name="Alaw"), make_member(org_a, full_name="Bryn")
    outsider = make_member(org_a)
    group = _group_with(org_a, alaw, bryn)
    with pytest.raises(ValidationError):
        services.adopt_agreement(actor=coordinator_a, group=group, text=" ")
    first = services.adopt_agreement(actor=coordinator_a, group=group, text=RULES)
    assert alaw.user is not None and outsider.user is not None
    services.agree(actor=alaw.user, agreement=first, person=alaw)
    with pytest.raises(ValidationError, match="agreed already"):
        services.agree(actor=alaw.user, agreement=first, person=alaw)
    with pytest.raises(PermissionDenied):
        services.agree(actor=outsider.user, agreement=first, person=outsider)
    # The coordinator records Bryn's agreement given on paper; "how" is required.
    with pytest.raises(ValidationError):
        services.agree(actor=coordinator_a, agreement=first, person=bryn)
    services.agree(actor=coordinator_a, agreement=first, person=bryn, how="paper")
    page = selectors.agreement_page(group)
    assert [(m.person.full_name, m.agreed.how if m.agreed else None) for m in page.members] == [
        ("Alaw", "self"),
        ("Bryn", "paper"),
    ]
    second = services.adopt_agreement(actor=coordinator_a, group=group, text=RULES + "\n\nWe start on time.")
    with pytest.raises(ValidationError, match="newer version"):
        services.agree(actor=alaw.user, agreement=first, person=alaw)
    assert [p.full_name for p in selectors.agreement_page(group).waiting] == ["Alaw", "Bryn"]
    assert selectors.agreement_page(group, today=second.adopted_on + timedelta(days=365)).review_due


def test_a_seat_is_refused_until_the_member_accepts_the_code_of_conduct(
    org_a: Organisation, coordinator_a: User
) -> None:
    member = make_member(org_a, full_name="Alaw Member")
    group = GroupFactory(organisation=org_a)
    start = timezone.localdate()
    code = services.publish_code(actor=coordinator_a, organisation=org_a, text="Respect everyone.")
    with pytest.raises(ValidationError) as refused:
        group_services.appoint(
            actor=coordinator_a, group=group, person=member, term_start=start, planned_end=start + timedelta(days=365)
        )
    assert "has not accepted the code of conduct" in str(refused.value)
    assert member.user is not None
    services.accept_code(actor=member.user, code=code, person=member)
    group_services.appoint(
        actor=coordinator_a, group=group, person=member, term_start=start, planned_end=start + timedelta(days=365)
    )
    # A new version must be accepted afresh before the next seat.
    services.publish_code(actor=coordinator_a, organisation=org_a, text="Respect everyone. Be on time.")
    assert not selectors.has_accepted_code(member, org_a)


def test_another_organisations_coordinator_cannot_record_for_our_members(
    org_a: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    member = make_member(org_a)
    code = services.publish_code(actor=coordinator_a, organisation=org_a, text="Respect everyone.")
    with pytest.raises(PermissionDenied):
        services.accept_code(actor=coordinator_b, code=code, person=member, how="paper")
    with pytest.raises(PermissionDenied):
        services.publish_code(actor=coordinator_b, organisation=org_a, text="x")
    assert not Agreed.objects.exists()


# ---- Pages ---------------------------------------------------------------------------------------


def test_a_coordinator_writes_the_ground_rules_and_records_an_agreement_on_paper(
    org_a: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    alaw = make_member(org_a, full_name="Alaw Member")
    group = _group_with(org_a, alaw)
    client = staff_client(coordinator_a)
    url = f"/staff/groups/{group.pk}/agreement/"
    assert f'href="{url}"' in client.get("/staff/opportunities/groups/").content.decode()
    empty = client.post(url, {"action": "adopt", "text": " ", "text_cy": "Rydym yn gwrando"})
    assert empty.status_code == 400 and "Write the text the members" in empty.content.decode()
    assert "Rydym yn gwrando" in empty.content.decode()
    assert client.post(url, {"action": "adopt", "text": RULES, "text_cy": ""}).status_code == 302
    page = client.get(url).content.decode()
    assert "We listen to each other." in page and "Not yet" in page
    missing = client.post(url, {"action": "record", "person": alaw.pk})
    assert missing.status_code == 400 and "Say how the member agreed" in missing.content.decode()
    assert client.post(url, {"action": "record", "person": alaw.pk, "how": "paper"}).status_code == 302
    assert Agreed.objects.get().how == "paper"
    assert staff_client(coordinator_b).get(url).status_code == 404


def test_a_member_reads_and_agrees_on_their_page_in_welsh_when_written(
    org_a: Organisation, coordinator_a: User
) -> None:
    member = make_member(org_a, full_name="Alaw Member")
    group = _group_with(org_a, member)
    agreement = services.adopt_agreement(
        actor=coordinator_a, group=group, text=RULES, text_cy="Rydym yn gwrando ar ein gilydd."
    )
    code = services.publish_code(actor=coordinator_a, organisation=org_a, text="Respect everyone.")
    client = member_client(member)
    page = client.get("/me/agreements/").content.decode()
    assert "We listen to each other." in page and "Respect everyone." in page
    assert client.post("/me/agreements/", {"kind": "group", "pk": agreement.pk}).status_code == 302
    assert client.post("/me/agreements/", {"kind": "code", "pk": code.pk}).status_code == 302
    assert Agreed.objects.filter(person=member).count() == 2
    assert client.post("/me/agreements/", {"kind": "code", "pk": code.pk + 999}).status_code == 404
    client.cookies["withus_language"] = "cy"
    assert "Rydym yn gwrando ar ein gilydd." in client.get("/me/agreements/").content.decode()


def test_a_coordinator_publishes_the_code_and_records_an_acceptance_by_phone(
    org_a: Organisation, coordinator_a: User
) -> None:
    member = make_member(org_a, full_name="Alaw Member")
    client = staff_client(coordinator_a)
    person_url = f"/staff/people/{member.pk}/code-of-conduct/"
    assert client.get(person_url).status_code == 302  # no code yet: sent to write one
    assert client.post("/staff/code-of-conduct/", {"text": ""}).status_code == 400
    assert client.post("/staff/code-of-conduct/", {"text": "Respect everyone."}).status_code == 302
    assert client.post(person_url, {}).status_code == 400
    assert client.post(person_url, {"how": "phone"}).status_code == 302
    assert "Alaw Member" in client.get("/staff/code-of-conduct/").content.decode()
    assert selectors.has_accepted_code(member, org_a)


def test_the_members_page_costs_the_same_queries_however_many_groups(org_a: Organisation, coordinator_a: User) -> None:
    member = make_member(org_a)
    client = member_client(member)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/me/agreements/").status_code == 200
        return len(queries)

    services.adopt_agreement(actor=coordinator_a, group=_group_with(org_a, member), text=RULES)
    few = cost()
    for _ in range(4):
        services.adopt_agreement(actor=coordinator_a, group=_group_with(org_a, member), text=RULES)
    assert cost() == few


# ---- API ----------------------------------------------------------------------------------------


def test_the_api_adopts_records_and_lets_a_member_agree(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    member = make_member(org_a, full_name="Alaw Member")
    group = _group_with(org_a, member)
    staff = api_as(coordinator_a, org_a)
    assert staff.get(f"/api/groups/{group.pk}/agreement").json()["id"] is None
    put = staff.client.put(
        f"/api/groups/{group.pk}/agreement",
        '{"text": "We listen."}',
        content_type="application/json",
        headers=staff.headers,
    )
    assert put.status_code == 200 and put.json()["members"][0]["agreed_at"] is None
    assert api_as(coordinator_b, org_b).get(f"/api/groups/{group.pk}/agreement").status_code == 404
    mine = member_api(member, org_a)
    (item,) = mine.get("/api/me/agreements").json()
    assert item["kind"] == "group" and item["text"] == "We listen." and item["agreed_at"] is None
    agreed = mine.post(f"/api/me/agreements/group/{item['id']}", {})
    assert agreed.status_code == 201 and agreed.json()["agreed_at"]
    assert_error(mine.post(f"/api/me/agreements/group/{item['id']}", {}), 422, "invalid")
    assert mine.post(f"/api/me/agreements/code/{item['id']}", {}).status_code == 404
    code = staff.client.put(
        "/api/code-of-conduct", '{"text": "Respect everyone."}', content_type="application/json", headers=staff.headers
    )
    assert code.status_code == 200
    assert_error(staff.post("/api/code-of-conduct/accepted", {"person_id": member.pk}), 422, "invalid")
    accepted = staff.post("/api/code-of-conduct/accepted", {"person_id": member.pk, "how": "in_person"})
    assert accepted.status_code == 201
    assert staff.get("/api/code-of-conduct").json()["text"] == "Respect everyone."
    assert api_as(coordinator_b, org_b).get("/api/code-of-conduct").status_code == 404
    assert_error(mine.get("/api/code-of-conduct"), 403, "forbidden")


# ---- The member's download and erasure -------------------------------------------------------------


def test_agreements_are_in_the_download_and_go_on_erasure(org_a: Organisation, coordinator_a: User) -> None:
    member = make_member(org_a)
    group = _group_with(org_a, member)
    agreement = services.adopt_agreement(actor=coordinator_a, group=group, text=RULES)
    services.agree(actor=coordinator_a, agreement=agreement, person=member, how="paper")
    document = privacy.subject_access(member)
    assert [a["how"] for a in document["agreements"]] == ["paper"]
    privacy.erase(member)
    assert not Agreed.objects.filter(person_id=member.pk).exists()


# ---- A concern about the ground rules ---------------------------------------------------------------


def test_a_concern_can_point_to_the_ground_rules_it_is_about(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    from withus.concerns.models import Concern

    member = make_member(org_a, full_name="Alaw Member")
    ours = services.adopt_agreement(actor=coordinator_a, group=_group_with(org_a, member), text=RULES)
    theirs = services.adopt_agreement(actor=coordinator_b, group=GroupFactory(organisation=org_b), text=RULES)
    client = member_client(member)
    url = f"/concerns/raise/{org_a.slug}/"
    assert "Ground rules of Hafan peer group" in client.get(url).content.decode()
    fields = {"kind": "concern", "about": "process", "text": "The rules were not kept at the last meeting."}
    wrong = client.post(url, {**fields, "agreement": theirs.pk})
    assert wrong.status_code == 400 and not Concern.objects.exists()
    assert client.post(url, {**fields, "agreement": ours.pk}).status_code == 200
    concern = Concern.objects.get()
    assert concern.agreement == ours
    detail = staff_client(coordinator_a).get(f"/staff/concerns/{concern.pk}/").content.decode()
    assert "The ground rules of Hafan peer group" in detail
    # A visitor who has not signed in is not shown the organisation's groups.
    from django.test import Client

    assert "Ground rules of" not in Client().get(url).content.decode()
    # Through the API, recorded by staff, pointing to the same ground rules.
    staff = api_as(coordinator_a, org_a)
    made = staff.post(
        "/api/staff/concerns",
        {**fields, "channel": "phone", "raiser_name": "Bryn", "raiser_contact": "0123", "agreement_id": ours.pk},
    )
    assert made.status_code == 201, made.content
    assert_error(
        staff.post("/api/staff/concerns", {**fields, "channel": "phone", "anonymous": True, "agreement_id": theirs.pk}),
        422,
        "invalid",
    )
    assert Concern.objects.filter(agreement=ours).count() == 2


# ---- Ending a seat (web and API) ------------------------------------------------------------------


def test_a_seat_is_ended_on_the_web_and_the_api_and_a_protected_members_is_refused(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    from tests.concerns.factories import raise_one

    today = timezone.localdate()
    seat = AppointmentFactory(group=GroupFactory(organisation=org_a), person=make_member(org_a))
    client = staff_client(coordinator_a)
    url = f"/staff/groups/seats/{seat.pk}/end/"
    assert client.post(url, {}).status_code == 400
    before = today - timedelta(days=400)
    early = client.post(url, {"ended_on_day": before.day, "ended_on_month": before.month, "ended_on_year": before.year})
    assert early.status_code == 400  # before the term started
    assert staff_client(coordinator_b).get(url).status_code == 404
    done = client.post(url, {"ended_on_day": today.day, "ended_on_month": today.month, "ended_on_year": today.year})
    assert done.status_code == 302
    seat.refresh_from_db()
    assert seat.ended_on == today
    # Through the API: a member who complained lately keeps their seat until a reviewed reason.
    protected = make_member(org_a, full_name="Alaw Member")
    other = AppointmentFactory(group=GroupFactory(organisation=org_a), person=protected)
    raise_one(org_a, raised_by=protected)
    api = api_as(coordinator_a, org_a)
    refused = api.post(f"/api/groups/seats/{other.pk}/end", {"ended_on": today.isoformat()})
    assert refused.status_code == 422 and "Alaw Member" in refused.json()["message"]
    assert (
        api_as(coordinator_b, org_b)
        .post(f"/api/groups/seats/{other.pk}/end", {"ended_on": today.isoformat()})
        .status_code
        == 404
    )
    assert api.post(f"/api/groups/seats/{seat.pk}/end", {"ended_on": today.isoformat()}).status_code == 404  # ended
