"""The opportunities API: the public board, staff work on opportunities and responses, members' own responses,
and appointments. The organisation is always the token's; an id from another organisation is not found."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.helpers import ApiClient, api_as, assert_error, member_api
from tests.conftest import make_member, make_staff
from tests.opportunities.factories import make_opportunity
from tests.people.factories import PersonFactory
from withus.accounts.models import Organisation, Role, User
from withus.groups import services as group_services
from withus.groups.models import Appointment, Group
from withus.opportunities import services
from withus.opportunities.models import Application, Opportunity
from withus.people.models import DbsCheck, Person, Tag

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def public() -> ApiClient:
    return ApiClient(None)


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def new_opportunity(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Crisis leaflet panel",
        "title_cy": "Panel taflen argyfwng",
        "purpose": "Rewrite the crisis leaflet",
        "purpose_cy": "Ailysgrifennu'r daflen argyfwng",
        "intended_outcomes": "A clearer leaflet",
        "influence": "The words, not the service",
        "level": 4,
        "places": 3,
        "where": "operational",
        "role_offered": "expert_by_experience",
        "closes_on": (TODAY + timedelta(days=10)).isoformat(),
    }
    body.update(overrides)
    return body


def received(opportunity: Opportunity, person: Person) -> Application:
    assert person.user is not None
    return services.respond(actor=person.user, person=person, opportunity=opportunity, why="I know the leaflet")


# ---- The public board -------------------------------------------------------------------


def test_board_lists_only_open_opportunities_and_needs_no_token(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    make_opportunity(org_a, coordinator_a, title="Open in A", closes_on=TODAY + timedelta(days=3))
    make_opportunity(org_b, coordinator_b, title="Open in B", closes_on=None)
    make_opportunity(org_a, coordinator_a, title="Closes today", closes_on=TODAY)
    make_opportunity(org_a, coordinator_a, title="Draft", status="draft")
    make_opportunity(org_a, coordinator_a, title="Closed", status="closed")
    make_opportunity(org_a, coordinator_a, title="Archived", status="archived")
    make_opportunity(org_a, coordinator_a, title="Past its date", closes_on=TODAY - timedelta(days=1))

    response = public().get("/api/opportunities")

    assert sorted(titles(response)) == ["Closes today", "Open in A", "Open in B"]
    assert response.json()["count"] == 3
    (item,) = [i for i in response.json()["items"] if i["title"] == "Open in B"]
    assert item["organisation"]["name"] == "Organisation B"
    assert item["closes_on"] is None


def test_board_filters(org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User) -> None:
    make_opportunity(
        org_a,
        coordinator_a,
        title="Ward visits",
        title_cy="Ymweliadau ward",
        level=3,
        location="in_person",
        local_authority="cardiff",
        reward="fee",
        closes_on=TODAY + timedelta(days=5),
    )
    make_opportunity(
        org_a,
        coordinator_a,
        title="Online survey",
        level=2,
        location="online",
        local_authority="powys",
        reward="none",
        closes_on=TODAY + timedelta(days=40),
    )
    make_opportunity(
        org_b,
        coordinator_b,
        title="Strategy group",
        purpose="Help plan the strategy",
        level=5,
        location="both",
        reward="voucher",
        closes_on=TODAY + timedelta(days=60),
    )
    client = public()

    assert titles(client.get("/api/opportunities", {"q": "ymweliadau"})) == ["Ward visits"]
    assert titles(client.get("/api/opportunities", {"q": "plan the"})) == ["Strategy group"]
    assert titles(client.get("/api/opportunities", {"level": 2})) == ["Online survey"]
    assert titles(client.get("/api/opportunities", {"location": "online"})) == ["Online survey", "Strategy group"]
    assert titles(client.get("/api/opportunities", {"location": "in_person"})) == ["Ward visits", "Strategy group"]
    assert titles(client.get("/api/opportunities", {"local_authority": "powys"})) == ["Online survey"]
    assert titles(client.get("/api/opportunities", {"reward": "voucher"})) == ["Strategy group"]
    assert titles(client.get("/api/opportunities", {"organisation": org_b.pk})) == ["Strategy group"]
    assert titles(client.get("/api/opportunities", {"closing_soon": "true"})) == ["Ward visits"]
    # An empty choice means "any", so a client can send back the form it showed.
    assert len(titles(client.get("/api/opportunities", {"level": "", "reward": "", "location": ""}))) == 3


def test_board_limit_and_offset(org_a: Organisation, coordinator_a: User) -> None:
    for days in (1, 2, 3):
        make_opportunity(org_a, coordinator_a, title=f"In {days} days", closes_on=TODAY + timedelta(days=days))

    response = public().get("/api/opportunities", {"limit": 1, "offset": 1})

    assert titles(response) == ["In 2 days"]
    assert response.json()["count"] == 3


def test_board_rejects_a_filter_it_does_not_know(org_a: Organisation, coordinator_a: User) -> None:
    body = assert_error(public().get("/api/opportunities", {"level": 9, "reward": "gold"}), 422, "invalid")

    assert set(body["fields"]) == {"level", "reward"}


def test_board_queries_do_not_grow_with_the_number_of_opportunities(
    org_a: Organisation, coordinator_a: User, django_assert_num_queries: Any
) -> None:
    crisis = Tag.objects.get(kind="area", slug="crisis")

    def add(count: int) -> None:
        for _i in range(count):
            make_opportunity(org_a, coordinator_a).tags.set([crisis])

    add(2)
    # count, the page with its organisations, the page's tags
    with django_assert_num_queries(3):
        response = public().get("/api/opportunities")
    assert response.json()["count"] == 2

    add(30)
    with django_assert_num_queries(3):
        response = public().get("/api/opportunities")
    assert response.json()["count"] == 32
    assert all(item["tags"][0]["slug"] == "crisis" for item in response.json()["items"])


def test_a_published_opportunity_in_english_and_welsh(org_a: Organisation, coordinator_a: User) -> None:
    coordinator_a.first_name, coordinator_a.last_name = "Ceri", "Coordinator"
    coordinator_a.save()
    opportunity = make_opportunity(
        org_a,
        coordinator_a,
        title="Ward visits",
        title_cy="Ymweliadau ward",
        purpose="See the wards",
        purpose_cy="Gweld y wardiau",
        role_description="Visit twice a year",
        role_description_cy="Ymweld ddwywaith y flwyddyn",
    )

    response = public().get(f"/api/opportunities/{opportunity.short_code}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["title_cy"]) == ("Ward visits", "Ymweliadau ward")
    assert (body["purpose"], body["purpose_cy"]) == ("See the wards", "Gweld y wardiau")
    assert body["role_description_cy"] == "Ymweld ddwywaith y flwyddyn"
    assert body["is_open"] is True
    assert body["contact"] == {"name": "Ceri Coordinator", "email": "coord-a@example.org", "phone": ""}
    # Staff-only details stay out of the public view.
    assert "id" not in body
    assert "created_at" not in body


def test_drafts_and_archived_opportunities_are_not_found(org_a: Organisation, coordinator_a: User) -> None:
    draft = make_opportunity(org_a, coordinator_a, status="draft", title="Secret draft")
    archived = make_opportunity(org_a, coordinator_a, status="archived")
    closed = make_opportunity(org_a, coordinator_a, status="closed")

    response = public().get(f"/api/opportunities/{draft.short_code}")
    assert_error(response, 404, "not_found")
    assert "Secret draft" not in response.content.decode()
    assert_error(public().get(f"/api/opportunities/{archived.short_code}"), 404, "not_found")
    assert_error(public().get("/api/opportunities/nosuch"), 404, "not_found")
    # A closed opportunity stays readable, so links on old leaflets still say what it was.
    body = public().get(f"/api/opportunities/{closed.short_code}").json()
    assert body["status"] == "closed"
    assert body["is_open"] is False


def test_a_short_code_of_digits_is_read_as_a_short_code(org_a: Organisation, coordinator_a: User) -> None:
    # Short codes can be all digits: reading one must not be taken for staff changing an opportunity by id.
    opportunity = make_opportunity(org_a, coordinator_a, short_code="234567", title="Digits")

    response = public().get("/api/opportunities/234567")

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Digits"
    assert opportunity.pk != 234567


# ---- Staff: opportunities ---------------------------------------------------------------


def test_coordinator_drafts_an_opportunity_with_the_levels_defaults(
    coordinator_api_a: ApiClient, org_a: Organisation, coordinator_a: User
) -> None:
    response = coordinator_api_a.post("/api/opportunities", new_opportunity(tags=["crisis", "interest:policy"]))

    assert response.status_code == 201, response.content
    body = response.json()
    opportunity = Opportunity.objects.get(pk=body["id"])
    assert opportunity.organisation == org_a
    assert opportunity.status == body["status"] == "draft"
    assert opportunity.contact == coordinator_a
    assert body["contact_id"] == coordinator_a.pk
    assert opportunity.title_cy == "Panel taflen argyfwng"
    # Level 4's defaults: an expression of interest and a time commitment.
    assert body["application_process"] == "expression_of_interest"
    assert body["time_commitment"]
    assert sorted(t["slug"] for t in body["tags"]) == ["crisis", "policy"]
    assert not public().get("/api/opportunities").json()["items"]


def test_create_with_a_past_closing_date_and_no_places_is_refused(
    coordinator_api_a: ApiClient,
) -> None:
    response = coordinator_api_a.post(
        "/api/opportunities", new_opportunity(closes_on=(TODAY - timedelta(days=1)).isoformat(), places=0)
    )

    body = assert_error(response, 422, "invalid")
    assert body["fields"]["closes_on"] == ["The closing date must be today or later."]
    assert body["fields"]["places"] == ["An opportunity needs at least one place."]
    assert not Opportunity.objects.exists()


def test_create_names_missing_and_unknown_fields(coordinator_api_a: ApiClient) -> None:
    body = new_opportunity(level=9, colour="blue")
    del body["title"]

    response = coordinator_api_a.post("/api/opportunities", body)

    fields = assert_error(response, 422, "invalid")["fields"]
    assert fields["title"] == ["This is required."]
    assert set(fields) == {"title", "level", "colour"}
    assert not Opportunity.objects.exists()


def test_contact_and_group_must_be_the_tokens_organisations(
    coordinator_api_a: ApiClient, org_b: Organisation, coordinator_b: User, member_a: Person
) -> None:
    group_b = Group.objects.create(organisation=org_b, name="B's board")
    assert member_a.user is not None

    staff_elsewhere = coordinator_api_a.post("/api/opportunities", new_opportunity(contact=coordinator_b.pk))
    a_member = coordinator_api_a.post("/api/opportunities", new_opportunity(contact=member_a.user.pk))
    other_group = coordinator_api_a.post("/api/opportunities", new_opportunity(group=group_b.pk))

    assert "contact" in assert_error(staff_elsewhere, 422, "invalid")["fields"]
    assert "contact" in assert_error(a_member, 422, "invalid")["fields"]
    assert "group" in assert_error(other_group, 422, "invalid")["fields"]
    assert not Opportunity.objects.exists()


def test_coordinator_names_another_staff_member_as_contact_and_a_group(
    coordinator_api_a: ApiClient, org_a: Organisation
) -> None:
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    group = Group.objects.create(organisation=org_a, name="Partnership board")

    response = coordinator_api_a.post("/api/opportunities", new_opportunity(contact=supervisor.pk, group=group.pk))

    assert response.status_code == 201, response.content
    opportunity = Opportunity.objects.get()
    assert (opportunity.contact, opportunity.group) == (supervisor, group)


def test_only_coordinators_and_admins_create(org_a: Organisation, member_a: Person) -> None:
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    admin = make_staff(org_a, Role.ADMIN)

    assert_error(
        api_as(supervisor, org_a, Role.SUPERVISOR).post("/api/opportunities", new_opportunity()), 403, "forbidden"
    )
    assert_error(member_api(member_a, org_a).post("/api/opportunities", new_opportunity()), 403, "forbidden")
    assert_error(public().post("/api/opportunities", new_opportunity()), 401, "not_authenticated")
    assert not Opportunity.objects.exists()
    assert api_as(admin, org_a, Role.ADMIN).post("/api/opportunities", new_opportunity()).status_code == 201


def test_patch_changes_what_is_sent_and_keeps_the_rest(
    coordinator_api_a: ApiClient, org_a: Organisation, coordinator_a: User
) -> None:
    opportunity = make_opportunity(org_a, coordinator_a, title="Old title", venue="Town hall", places=2)
    # An in-person opportunity must say where it happens.
    refused = coordinator_api_a.patch(f"/api/opportunities/{opportunity.pk}", {"venue": None})
    assert_error(refused, 422, "invalid")
    assert "venue" in refused.json()["fields"]
    opportunity.location = "online"
    opportunity.save()

    response = coordinator_api_a.patch(
        f"/api/opportunities/{opportunity.pk}", {"title": "New title", "title_cy": "Teitl newydd", "venue": None}
    )

    assert response.status_code == 200, response.content
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.title_cy, opportunity.venue) == ("New title", "Teitl newydd", "")
    assert opportunity.places == 2
    assert response.json()["title"] == "New title"


def test_changing_the_level_after_responses_needs_a_reason(
    coordinator_api_a: ApiClient, org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    opportunity = make_opportunity(org_a, coordinator_a, level=4)
    received(opportunity, member_a)
    path = f"/api/opportunities/{opportunity.pk}"

    body = assert_error(coordinator_api_a.patch(path, {"level": 5}), 422, "invalid")
    assert "level_change_reason" in body["fields"]
    opportunity.refresh_from_db()
    assert opportunity.level == 4

    response = coordinator_api_a.patch(path, {"level": 5, "level_change_reason": "It became a regular group"})
    assert response.status_code == 200, response.content
    opportunity.refresh_from_db()
    assert opportunity.level == 5


def test_a_level_sent_as_null_is_refused_on_its_field(
    coordinator_api_a: ApiClient, org_a: Organisation, coordinator_a: User
) -> None:
    """Every opportunity has a level: null is a field error, not a server error."""
    opportunity = make_opportunity(org_a, coordinator_a, level=4)

    body = assert_error(
        coordinator_api_a.patch(f"/api/opportunities/{opportunity.pk}", {"level": None}), 422, "invalid"
    )

    assert body["fields"]["level"] == ["Choose a level on the engagement pathway."]
    opportunity.refresh_from_db()
    assert opportunity.level == 4


def test_publish_close_and_archive(coordinator_api_a: ApiClient, org_a: Organisation, coordinator_a: User) -> None:
    opportunity = make_opportunity(org_a, coordinator_a, status="draft", title="Soon public")
    path = f"/api/opportunities/{opportunity.pk}/status"

    response = coordinator_api_a.post(path, {"status": "published"})
    assert response.status_code == 200, response.content
    assert response.json()["published_at"]
    assert titles(public().get("/api/opportunities")) == ["Soon public"]

    assert coordinator_api_a.post(path, {"status": "archived"}).json()["status"] == "archived"
    assert_error(coordinator_api_a.post(path, {"status": "published"}), 422, "invalid")
    assert "status" in assert_error(coordinator_api_a.post(path, {"status": "draft"}), 422, "invalid")["fields"]
    opportunity.refresh_from_db()
    assert opportunity.status == "archived"


def test_staff_list_is_the_tokens_organisations_in_any_state(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    make_opportunity(org_a, coordinator_a, title="A draft", status="draft")
    make_opportunity(org_a, coordinator_a, title="A archived", status="archived")
    make_opportunity(org_b, coordinator_b, title="B open")
    decision_maker = make_staff(org_a, Role.DECISION_MAKER)
    client = api_as(decision_maker, org_a, Role.DECISION_MAKER)

    assert sorted(titles(client.get("/api/staff/opportunities"))) == ["A archived", "A draft"]
    assert titles(client.get("/api/staff/opportunities", {"status": "draft"})) == ["A draft"]


def test_another_organisations_opportunity_is_not_found(
    coordinator_api_a: ApiClient, org_b: Organisation, coordinator_b: User
) -> None:
    theirs = make_opportunity(org_b, coordinator_b, status="draft", title="B's plan")

    assert_error(coordinator_api_a.patch(f"/api/opportunities/{theirs.pk}", {"title": "Mine"}), 404, "not_found")
    assert_error(
        coordinator_api_a.post(f"/api/opportunities/{theirs.pk}/status", {"status": "published"}), 404, "not_found"
    )
    assert_error(coordinator_api_a.get(f"/api/staff/opportunities/{theirs.pk}/applications"), 404, "not_found")
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("B's plan", "draft")


# ---- Staff: responses ---------------------------------------------------------------------


def test_staff_read_responses_without_what_people_wrote(org_a: Organisation, coordinator_a: User) -> None:
    opportunity = make_opportunity(org_a, coordinator_a)
    alaw = make_member(org_a, full_name="Alaw Applicant", preferred_name="Alaw")
    bryn = make_member(org_a, full_name="Bryn Applicant")
    drafting = make_member(org_a, full_name="Dafydd Drafting")
    assert alaw.user is not None and drafting.user is not None
    services.respond(
        actor=alaw.user, person=alaw, opportunity=opportunity, why="Reasons", support_needed="About my health"
    )
    waiting = received(opportunity, bryn)
    services.move_application(actor=coordinator_a, application=waiting, status="waiting_list")
    services.respond(actor=drafting.user, person=drafting, opportunity=opportunity, why="Not yet", submit=False)
    supervisor = make_staff(org_a, Role.SUPERVISOR)

    response = api_as(supervisor, org_a, Role.SUPERVISOR).get(f"/api/staff/opportunities/{opportunity.pk}/applications")

    assert response.status_code == 200, response.content
    # A draft is not sent, so not shown.
    items = {i["person"]["full_name"]: i for i in response.json()["items"]}
    assert sorted(items) == ["Alaw Applicant", "Bryn Applicant"]
    assert (items["Bryn Applicant"]["status"], items["Bryn Applicant"]["waiting_position"]) == ("waiting_list", 1)
    alaw_item = items["Alaw Applicant"]
    assert alaw_item["person"] == {"id": alaw.pk, "full_name": "Alaw Applicant", "preferred_name": "Alaw"}
    assert (alaw_item["status"], alaw_item["waiting_position"]) == ("received", None)
    assert alaw_item["submitted_at"]
    assert set(alaw_item) == {
        "id",
        "opportunity_id",
        "person",
        "status",
        "status_reason",
        "waiting_position",
        "submitted_at",
        "decided_at",
    }
    assert "About my health" not in response.content.decode()


def test_moving_a_response_to_not_selected_needs_a_reason(
    coordinator_api_a: ApiClient, org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    application = received(make_opportunity(org_a, coordinator_a), member_a)
    path = f"/api/applications/{application.pk}/status"

    body = assert_error(coordinator_api_a.post(path, {"status": "not_selected"}), 422, "invalid")
    assert body["fields"]["status"] == ["Give a reason: the person can ask to see it."]
    application.refresh_from_db()
    assert application.status == "received"

    response = coordinator_api_a.post(path, {"status": "not_selected", "reason": "We needed someone from Powys"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "not_selected"
    application.refresh_from_db()
    assert (application.status, application.status_reason) == ("not_selected", "We needed someone from Powys")


def test_another_organisations_response_is_not_found(
    coordinator_api_a: ApiClient, org_b: Organisation, coordinator_b: User, member_b: Person
) -> None:
    application = received(make_opportunity(org_b, coordinator_b), member_b)

    response = coordinator_api_a.post(f"/api/applications/{application.pk}/status", {"status": "selected"})

    assert_error(response, 404, "not_found")
    application.refresh_from_db()
    assert application.status == "received"


def test_decision_makers_read_responses_but_do_not_move_them(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    opportunity = make_opportunity(org_a, coordinator_a)
    application = received(opportunity, member_a)
    client = api_as(make_staff(org_a, Role.DECISION_MAKER), org_a, Role.DECISION_MAKER)

    assert client.get(f"/api/staff/opportunities/{opportunity.pk}/applications").status_code == 200
    assert_error(client.post(f"/api/applications/{application.pk}/status", {"status": "selected"}), 403, "forbidden")
    application.refresh_from_db()
    assert application.status == "received"


# ---- Members' own responses -------------------------------------------------------------


def test_member_responds_once(org_a: Organisation, org_b: Organisation, coordinator_b: User, member_a: Person) -> None:
    # The board is every organisation's: a member responds for themselves, wherever the opportunity is,
    # agreeing to share their details with an organisation they do not share with yet.
    opportunity = make_opportunity(org_b, coordinator_b, title="Panel in B")
    client = member_api(member_a, org_a)
    path = f"/api/opportunities/{opportunity.short_code}/responses"

    response = client.post(path, {"why": "I use the service", "experience": "Ten years of it", "share_details": True})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "received"
    application = Application.objects.get()
    assert (application.person, application.why) == (member_a, "I use the service")

    again = assert_error(client.post(path, {"why": "Again"}), 422, "invalid")
    assert again["message"] == "You have already responded to this opportunity."
    assert Application.objects.get().why == "I use the service"

    mine = client.get("/api/me/applications").json()["items"]
    assert [(a["opportunity"]["title"], a["status"]) for a in mine] == [("Panel in B", "received")]


def test_a_draft_is_kept_then_sent(
    coordinator_api_a: ApiClient, org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    opportunity = make_opportunity(org_a, coordinator_a)
    client = member_api(member_a, org_a)
    path = f"/api/opportunities/{opportunity.short_code}/responses"

    draft = client.post(path, {"why": "Half a thought", "submit": False})
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == "draft"
    # Not sent yet, so staff cannot act on it.
    move = coordinator_api_a.post(
        f"/api/applications/{draft.json()['id']}/status", {"status": "withdrawn", "reason": "x"}
    )
    assert_error(move, 404, "not_found")

    sent = client.post(path, {"why": "A whole thought"})
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "received"
    assert Application.objects.get().why == "A whole thought"


def test_responding_after_the_closing_date_is_refused(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    past = make_opportunity(org_a, coordinator_a, closes_on=TODAY - timedelta(days=1))
    closed = make_opportunity(org_a, coordinator_a, status="closed")
    client = member_api(member_a, org_a)

    body = assert_error(client.post(f"/api/opportunities/{past.short_code}/responses", {"why": "Late"}), 422, "invalid")
    assert "closed" in body["message"]
    body = assert_error(client.post(f"/api/opportunities/{closed.short_code}/responses", {"why": "x"}), 422, "invalid")
    assert body["message"] == "This opportunity is not open."
    assert not Application.objects.exists()


def test_a_draft_opportunity_cannot_be_responded_to(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    draft = make_opportunity(org_a, coordinator_a, status="draft")

    response = member_api(member_a, org_a).post(f"/api/opportunities/{draft.short_code}/responses", {"why": "x"})

    assert_error(response, 404, "not_found")
    assert not Application.objects.exists()


def test_referees_problems_are_named_as_the_client_sent_them(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    opportunity = make_opportunity(org_a, coordinator_a, level=6, application_process="application_form")
    client = member_api(member_a, org_a)
    path = f"/api/opportunities/{opportunity.short_code}/responses"

    none_given = assert_error(client.post(path, {"why": "I lead"}), 422, "invalid")
    assert list(none_given["fields"]) == ["references"]
    unreachable = client.post(path, {"why": "I lead", "references": [{"name": "Mair", "relationship": "Tutor"}]})
    assert list(assert_error(unreachable, 422, "invalid")["fields"]) == ["references.0.email"]
    bad_email = client.post(path, {"why": "I lead", "references": [{"name": "Mair", "email": "not-an-address"}]})
    assert list(assert_error(bad_email, 422, "invalid")["fields"]) == ["references.0.email"]
    assert not Application.objects.exists()

    response = client.post(
        path, {"why": "I lead", "references": [{"name": "Mair", "relationship": "Tutor", "email": "mair@example.org"}]}
    )
    assert response.status_code == 201, response.content
    assert Application.objects.get().references.get().email == "mair@example.org"


def test_member_withdraws_their_own_response_only(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    opportunity = make_opportunity(org_a, coordinator_a)
    mine = received(opportunity, member_a)
    someone_else = received(opportunity, make_member(org_a))
    client = member_api(member_a, org_a)

    assert_error(client.post(f"/api/me/applications/{someone_else.pk}/withdraw", {}), 404, "not_found")
    response = client.post(f"/api/me/applications/{mine.pk}/withdraw", {"reason": "Moving away"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    mine.refresh_from_db()
    someone_else.refresh_from_db()
    assert (mine.status, mine.status_reason) == ("withdrawn", "Moving away")
    assert someone_else.status == "received"


def test_withdrawing_needs_no_body(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    application = received(make_opportunity(org_a, coordinator_a), member_a)

    client = member_api(member_a, org_a)

    # An empty body, as from `curl -X POST`.
    response = client.client.generic("POST", f"/api/me/applications/{application.pk}/withdraw", headers=client.headers)

    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_member_tokens_cannot_use_staff_operations(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    opportunity = make_opportunity(org_a, coordinator_a, status="draft")
    application = received(make_opportunity(org_a, coordinator_a), member_a)
    client = member_api(member_a, org_a)

    for response in (
        client.get("/api/staff/opportunities"),
        client.patch(f"/api/opportunities/{opportunity.pk}", {"title": "Mine now"}),
        client.post(f"/api/opportunities/{opportunity.pk}/status", {"status": "published"}),
        client.get(f"/api/staff/opportunities/{opportunity.pk}/applications"),
        client.post(f"/api/applications/{application.pk}/status", {"status": "selected"}),
        client.get("/api/staff/appointments"),
    ):
        assert_error(response, 403, "forbidden")
    opportunity.refresh_from_db()
    application.refresh_from_db()
    assert opportunity.status == "draft"
    assert opportunity.title != "Mine now"
    assert application.status == "received"


def test_staff_tokens_cannot_respond_for_themselves(
    coordinator_api_a: ApiClient, org_a: Organisation, coordinator_a: User
) -> None:
    opportunity = make_opportunity(org_a, coordinator_a)

    assert_error(coordinator_api_a.get("/api/me/applications"), 403, "forbidden")
    assert_error(
        coordinator_api_a.post(f"/api/opportunities/{opportunity.short_code}/responses", {"why": "x"}), 403, "forbidden"
    )
    assert not Application.objects.exists()


# ---- Appointments ---------------------------------------------------------------------------


@pytest.fixture
def dbs_seat(org_a: Organisation, coordinator_a: User, member_a: Person) -> dict[str, Any]:
    group = Group.objects.create(organisation=org_a, name="Partnership board", makes_decisions=True)
    opportunity = make_opportunity(org_a, coordinator_a, requires_dbs=True, group=group)
    services.move_application(actor=coordinator_a, application=received(opportunity, member_a), status="selected")
    return {
        "person": member_a.pk,
        "group": group.pk,
        "opportunity": opportunity.pk,
        "seat": "chair",
        "term_start": TODAY.isoformat(),
        "planned_end": (TODAY + timedelta(days=3 * 365)).isoformat(),
    }


def test_appointing_to_a_seat_that_needs_a_dbs_check(
    coordinator_api_a: ApiClient, org_a: Organisation, member_a: Person, dbs_seat: dict[str, Any]
) -> None:
    refused = coordinator_api_a.post("/api/staff/appointments", dbs_seat)

    body = assert_error(refused, 422, "invalid")
    assert body["fields"]["person"] == ["This seat needs a DBS check, and none is recorded."]
    assert not Appointment.objects.exists()

    DbsCheck.objects.create(person=member_a, organisation=org_a, status="clear", checked_on=TODAY - timedelta(days=30))
    response = coordinator_api_a.post("/api/staff/appointments", dbs_seat)

    assert response.status_code == 201, response.content
    appointment = Appointment.objects.get()
    assert (appointment.person, appointment.seat) == (member_a, "chair")
    assert response.json()["person"]["full_name"] == "Alaw Member"
    assert response.json()["group"]["name"] == "Partnership board"


def test_appointments_use_only_the_tokens_organisations_people_groups_and_opportunities(
    coordinator_api_a: ApiClient,
    org_a: Organisation,
    org_b: Organisation,
    coordinator_b: User,
    member_b: Person,
    dbs_seat: dict[str, Any],
) -> None:
    group_b = Group.objects.create(organisation=org_b, name="B's board")
    opportunity_b = make_opportunity(org_b, coordinator_b)
    unshared = PersonFactory()
    someone = "Choose someone who shares their details with your organisation."

    for changes, field, message in (
        ({"person": member_b.pk}, "person", someone),
        ({"person": unshared.pk}, "person", someone),
        ({"group": group_b.pk, "opportunity": None}, "group", "Choose one of your organisation's groups."),
        ({"opportunity": opportunity_b.pk}, "opportunity", "Choose one of your organisation's opportunities."),
        ({"deputy": member_b.pk}, "deputy", someone),
        ({"buddy": unshared.pk}, "buddy", someone),
    ):
        response = coordinator_api_a.post("/api/staff/appointments", {**dbs_seat, **changes})
        assert assert_error(response, 422, "invalid")["fields"].get(field) == [message], (changes, response.content)
    assert not Appointment.objects.exists()


def test_current_appointments_of_the_tokens_organisation(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    board_a = Group.objects.create(organisation=org_a, name="Board A")
    board_b = Group.objects.create(organisation=org_b, name="Board B")
    sitting = make_member(org_a, full_name="Sitting Member")
    left = make_member(org_a, full_name="Former Member")
    elsewhere = make_member(org_b, full_name="Member in B")
    term = {"term_start": TODAY - timedelta(days=100), "planned_end": TODAY + timedelta(days=265)}
    services.appoint(actor=coordinator_a, group=board_a, person=sitting, seat="deputy", review_on=TODAY, **term)
    ended = services.appoint(actor=coordinator_a, group=board_a, person=left, **term)
    group_services.end_appointment(actor=coordinator_a, appointment=ended, ended_on=TODAY)
    services.appoint(actor=coordinator_b, group=board_b, person=elsewhere, **term)
    supervisor = make_staff(org_a, Role.SUPERVISOR)

    response = api_as(supervisor, org_a, Role.SUPERVISOR).get("/api/staff/appointments")

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1
    (item,) = response.json()["items"]
    assert item["person"] == {"id": sitting.pk, "full_name": "Sitting Member", "preferred_name": ""}
    assert item["group"]["name"] == "Board A"
    assert (item["seat"], item["term_start"], item["planned_end"], item["review_on"]) == (
        "deputy",
        term["term_start"].isoformat(),
        term["planned_end"].isoformat(),
        TODAY.isoformat(),
    )


# ---- The OpenAPI document -----------------------------------------------------------------


def test_openapi_marks_only_the_board_as_public() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]

    assert not paths["/api/opportunities"]["get"].get("security")
    assert not paths["/api/opportunities/{opportunity}"]["get"].get("security")
    assert paths["/api/opportunities"]["post"]["security"]
    assert paths["/api/opportunities/{opportunity}"]["patch"]["security"]
    assert paths["/api/staff/appointments"]["get"]["security"]
    assert paths["/api/me/applications"]["get"]["security"]
