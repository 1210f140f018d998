"""Responding to an organisation's opportunity means sharing one's details with it, agreed first.

A member who shares only with organisation A is asked before a response reaches B (web and
API), their agreement is the same recorded consent as on the "share with another
organisation" page, and B's staff see nobody who does not share with B: not in the list of
responses, not in a draw, not by opening an application.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, member_client, staff_client
from tests.opportunities.factories import ApplicationFactory, make_opportunity
from tests.people.factories import share
from withus.accounts.models import Membership, Organisation, Role, User
from withus.opportunities import selectors, services
from withus.opportunities.models import Application, Opportunity
from withus.people import selectors as people_selectors
from withus.people import services as people_services
from withus.people.models import AssistedAction, ConsentRecord, Person

pytestmark = pytest.mark.django_db

SHARE = ConsentRecord.Purpose.SHARE_WITH_ORGANISATION


def sharing_consents(person: Person, organisation: Organisation) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(person=person, purpose=SHARE, organisation=organisation))


@pytest.fixture
def opportunity_b(org_b: Organisation, coordinator_b: User) -> Opportunity:
    return make_opportunity(org_b, coordinator_b, title="Carers forum in B", application_process="none")


# ---- The service ------------------------------------------------------------------------


def test_a_response_to_an_organisation_not_shared_with_is_not_sent(
    member_a: Person, org_b: Organisation, opportunity_b: Opportunity
) -> None:
    assert member_a.user is not None
    with pytest.raises(services.SharingNeeded) as refused:
        services.respond(actor=member_a.user, person=member_a, opportunity=opportunity_b)
    assert refused.value.organisation == org_b
    assert "share your details with Organisation B" in refused.value.message
    assert not Application.objects.exists()
    assert sharing_consents(member_a, org_b) == []


def test_agreeing_records_the_consent_and_sends_the_response(
    member_a: Person, org_a: Organisation, org_b: Organisation, opportunity_b: Opportunity
) -> None:
    assert member_a.user is not None
    application = services.respond(actor=member_a.user, person=member_a, opportunity=opportunity_b, share_details=True)
    assert application.status == Application.Status.RECEIVED
    (consent,) = sharing_consents(member_a, org_b)
    assert (consent.how, consent.recorded_by, consent.withdrawn_at) == (ConsentRecord.How.ONLINE, member_a.user, None)
    # The same record the "share with another organisation" page makes: B's membership comes with it.
    assert Membership.objects.filter(user=member_a.user, organisation=org_b, role=Role.MEMBER).exists()
    assert people_selectors.shares_with(member_a, org_b) and people_selectors.shares_with(member_a, org_a)
    assert list(selectors.applications_for(opportunity_b)) == [application]


def test_the_agreement_goes_through_the_share_with_another_organisation_service(
    monkeypatch: pytest.MonkeyPatch, member_a: Person, org_b: Organisation, opportunity_b: Opportunity
) -> None:
    calls: list[dict[str, Any]] = []
    real = people_services.share_details_with

    def spy(**kwargs: Any) -> ConsentRecord:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(people_services, "share_details_with", spy)
    assert member_a.user is not None
    services.respond(actor=member_a.user, person=member_a, opportunity=opportunity_b, share_details=True)
    assert [(c["person"], c["organisation"]) for c in calls] == [(member_a, org_b)]


def test_someone_who_shares_already_is_not_asked_and_nothing_new_is_recorded(
    member_b: Person, org_b: Organisation, opportunity_b: Opportunity
) -> None:
    assert member_b.user is not None
    before = sharing_consents(member_b, org_b)
    services.respond(actor=member_b.user, person=member_b, opportunity=opportunity_b)
    services.respond(
        actor=member_b.user,
        person=member_b,
        opportunity=make_opportunity(org_b, opportunity_b.contact),
        why="Yes",
        share_details=True,
    )
    assert sharing_consents(member_b, org_b) == before


def test_a_draft_needs_no_consent_and_is_not_seen_by_the_organisation(
    member_a: Person, org_b: Organisation, coordinator_b: User, coordinator_a: User
) -> None:
    opportunity = make_opportunity(org_b, coordinator_b)
    assert member_a.user is not None
    draft = services.respond(actor=member_a.user, person=member_a, opportunity=opportunity, why="", submit=False)
    assert draft.status == Application.Status.DRAFT
    assert sharing_consents(member_a, org_b) == []
    assert list(selectors.applications_for(opportunity)) == []


def test_a_response_with_mistakes_records_no_consent(
    member_a: Person, org_b: Organisation, coordinator_b: User
) -> None:
    opportunity = make_opportunity(org_b, coordinator_b, application_process="expression_of_interest")
    assert member_a.user is not None
    with pytest.raises(ValidationError) as error:
        services.respond(actor=member_a.user, person=member_a, opportunity=opportunity, why="", share_details=True)
    assert "why" in error.value.message_dict
    assert sharing_consents(member_a, org_b) == []
    assert not Application.objects.exists()


def test_a_coordinator_responding_for_someone_says_how_they_agreed_to_share(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, opportunity_b: Opportunity
) -> None:
    person = make_member(full_name="Gwen Assisted")
    share(person, org_a, act_on_behalf=True)
    with pytest.raises(services.SharingNeeded):
        services.respond(actor=coordinator_a, person=person, opportunity=opportunity_b, organisation=org_a)
    with pytest.raises(ValidationError) as error:
        services.respond(
            actor=coordinator_a, person=person, opportunity=opportunity_b, organisation=org_a, share_details=True
        )
    assert "how" in error.value.message_dict
    assert sharing_consents(person, org_b) == []

    services.respond(
        actor=coordinator_a,
        person=person,
        opportunity=opportunity_b,
        organisation=org_a,
        share_details=True,
        share_how=ConsentRecord.How.PHONE,
    )
    (consent,) = sharing_consents(person, org_b)
    assert (consent.how, consent.recorded_by) == (ConsentRecord.How.PHONE, coordinator_a)
    assert AssistedAction.objects.filter(person=person, actor=coordinator_a, detail=SHARE).exists()


# ---- What the organisation's staff see ----------------------------------------------------


def test_responses_from_people_who_do_not_share_are_left_out_of_the_list_and_the_draw(
    org_a: Organisation, org_b: Organisation, coordinator_b: User, member_a: Person, member_b: Person
) -> None:
    opportunity = make_opportunity(org_b, coordinator_b)
    hidden = ApplicationFactory(opportunity=opportunity, person=member_a)
    shown = ApplicationFactory(opportunity=opportunity, person=member_b)
    assert list(selectors.applications_for(opportunity)) == [shown]
    assert list(selectors.in_the_draw(opportunity)) == [shown]

    # Stopping sharing takes someone out of the list again.
    consent = ConsentRecord.objects.get(person=member_b, purpose=SHARE, organisation=org_b)
    assert member_b.user is not None
    people_services.withdraw_consent(consent=consent, actor=member_b.user)
    assert list(selectors.applications_for(opportunity)) == []
    assert hidden.status == shown.status == Application.Status.RECEIVED


def test_the_staff_page_names_only_people_who_share(
    org_b: Organisation, coordinator_b: User, member_a: Person, member_b: Person
) -> None:
    opportunity = make_opportunity(org_b, coordinator_b)
    hidden = ApplicationFactory(opportunity=opportunity, person=member_a)
    ApplicationFactory(opportunity=opportunity, person=member_b)
    client = staff_client(coordinator_b)

    page = client.get(f"/staff/opportunities/{opportunity.pk}/").content.decode()
    assert member_b.full_name in page
    assert member_a.full_name not in page
    assert f"/staff/applications/{hidden.pk}/" not in page
    assert client.get(f"/staff/applications/{hidden.pk}/").status_code == 404
    draw_page = client.get(f"/staff/opportunities/{opportunity.pk}/draw/").content.decode()
    assert member_b.full_name in draw_page and member_a.full_name not in draw_page


def test_the_list_of_opportunities_counts_only_responses_the_organisation_can_see(
    org_b: Organisation, coordinator_b: User, member_a: Person, member_b: Person
) -> None:
    opportunity = make_opportunity(org_b, coordinator_b, places=4)
    ApplicationFactory(opportunity=opportunity, person=member_a)
    ApplicationFactory(opportunity=opportunity, person=member_b)
    page = staff_client(coordinator_b).get("/staff/opportunities/").content.decode()
    assert ">1 / 4</td>" in page


def test_the_api_leaves_out_people_who_do_not_share(
    org_b: Organisation, coordinator_b: User, member_a: Person, member_b: Person
) -> None:
    opportunity = make_opportunity(org_b, coordinator_b)
    hidden = ApplicationFactory(opportunity=opportunity, person=member_a)
    shown = ApplicationFactory(opportunity=opportunity, person=member_b)
    staff = api_as(coordinator_b, org_b)

    listing = staff.get(f"/api/staff/opportunities/{opportunity.pk}/applications")
    assert listing.status_code == 200, listing.content
    assert [a["id"] for a in listing.json()["items"]] == [shown.pk]
    assert member_a.full_name not in listing.content.decode()
    moved = staff.post(f"/api/applications/{hidden.pk}/status", {"status": "shortlisted"})
    assert_error(moved, 404, "not_found")
    hidden.refresh_from_db()
    assert hidden.status == Application.Status.RECEIVED


# ---- The web journey ------------------------------------------------------------------------


def test_responding_to_another_organisation_asks_first(
    member_a: Person, org_b: Organisation, coordinator_b: User, opportunity_b: Opportunity
) -> None:
    client = member_client(member_a)
    respond_url = f"/opportunities/{opportunity_b.short_code}/respond/"
    share_url = f"/opportunities/{opportunity_b.short_code}/respond/share/"

    response = client.get(respond_url)
    assert response.status_code == 302 and response["Location"] == share_url
    page = client.get(share_url).content.decode()
    assert "Before you respond: share your details with Organisation B?" in page
    assert "At the moment you share your details with: Organisation A." in page
    assert "Yes, share my details with Organisation B and go on to respond" in page

    # Nothing chosen: asked again, plainly, with nothing recorded.
    unanswered = client.post(share_url, {})
    assert unanswered.status_code == 200
    assert "Choose yes to share your details with Organisation B, or no to stop here." in unanswered.content.decode()
    assert sharing_consents(member_a, org_b) == []

    agreed = client.post(share_url, {"share": "yes"})
    assert agreed.status_code == 302 and agreed["Location"] == respond_url
    (consent,) = sharing_consents(member_a, org_b)
    assert consent.how == ConsentRecord.How.ONLINE
    assert client.get(respond_url).status_code == 200
    sent = client.post(respond_url, {"send": ""})
    assert sent.status_code == 302
    application = Application.objects.get(opportunity=opportunity_b, person=member_a)
    assert application.status == Application.Status.RECEIVED

    # B's coordinator sees them in the list and can open the application.
    staff = staff_client(coordinator_b)
    assert member_a.full_name in staff.get(f"/staff/opportunities/{opportunity_b.pk}/").content.decode()
    opened = staff.get(f"/staff/applications/{application.pk}/")
    assert opened.status_code == 200
    assert member_a.full_name in opened.content.decode()


def test_declining_sends_nothing_and_says_what_that_means(
    member_a: Person, org_b: Organisation, opportunity_b: Opportunity
) -> None:
    client = member_client(member_a)
    share_url = f"/opportunities/{opportunity_b.short_code}/respond/share/"
    response = client.post(share_url, {"share": "no"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have not responded" in page
    assert "Nothing has been sent to Organisation B. They cannot see your details" in page
    assert "Your details are still shared only with: Organisation A." in page
    assert sharing_consents(member_a, org_b) == []
    assert not Application.objects.exists()
    # Asked again next time: declining is not remembered as a refusal.
    assert client.get(f"/opportunities/{opportunity_b.short_code}/respond/")["Location"] == share_url


def test_someone_who_already_shares_goes_straight_to_the_response(member_b: Person, opportunity_b: Opportunity) -> None:
    client = member_client(member_b)
    assert client.get(f"/opportunities/{opportunity_b.short_code}/respond/").status_code == 200
    share_page = client.get(f"/opportunities/{opportunity_b.short_code}/respond/share/")
    assert share_page["Location"] == f"/opportunities/{opportunity_b.short_code}/respond/"


def test_a_closed_opportunity_asks_nothing(member_a: Person, org_b: Organisation, coordinator_b: User) -> None:
    closed = make_opportunity(org_b, coordinator_b, status="closed")
    client = member_client(member_a)
    assert client.get(f"/opportunities/{closed.short_code}/respond/").status_code == 200
    assert client.get(f"/opportunities/{closed.short_code}/respond/share/").status_code == 302
    assert client.post(f"/opportunities/{closed.short_code}/respond/share/", {"share": "yes"}).status_code == 302
    assert sharing_consents(member_a, org_b) == []


def test_what_was_typed_is_kept_as_a_draft_when_sharing_stopped_meanwhile(
    member_a: Person, org_b: Organisation, coordinator_b: User
) -> None:
    # The form was shown while they shared with B; they stopped sharing in another tab, then pressed Send.
    opportunity = make_opportunity(org_b, coordinator_b)
    client = member_client(member_a)
    response = client.post(f"/opportunities/{opportunity.short_code}/respond/", {"why": "My own words", "send": ""})
    assert response["Location"] == f"/opportunities/{opportunity.short_code}/respond/share/"
    draft = Application.objects.get()
    assert (draft.status, draft.why) == (Application.Status.DRAFT, "My own words")
    declined = client.post(f"/opportunities/{opportunity.short_code}/respond/share/", {"share": "no"})
    assert "The response you saved stays a draft that only you can see." in declined.content.decode()


def test_the_share_page_is_in_welsh_for_welsh_readers(member_a: Person, opportunity_b: Opportunity) -> None:
    client = member_client(member_a)
    client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    page = client.get(f"/opportunities/{opportunity_b.short_code}/respond/share/").content.decode()
    assert '<html lang="cy"' in page
    assert "Cyn i chi ymateb: rhannu eich manylion gyda Organisation B?" in page
    assert "Before you respond" not in page
    assert "Organisation B" in page


# ---- The API ------------------------------------------------------------------------------------


def test_the_api_says_consent_is_needed_and_takes_it_when_given(
    member_a: Person, org_a: Organisation, org_b: Organisation, coordinator_b: User, opportunity_b: Opportunity
) -> None:
    client = member_api(member_a, org_a)
    path = f"/api/opportunities/{opportunity_b.short_code}/responses"

    body = assert_error(client.post(path, {}), 409, "sharing_needed")
    assert "share your details with Organisation B" in body["message"]
    assert "share_details" in body["fields"]
    assert not Application.objects.exists()
    assert sharing_consents(member_a, org_b) == []

    sent = client.post(path, {"share_details": True})
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "received"
    (consent,) = sharing_consents(member_a, org_b)
    assert consent.recorded_by == member_a.user

    listing = api_as(coordinator_b, org_b).get(f"/api/staff/opportunities/{opportunity_b.pk}/applications")
    assert [a["person"]["full_name"] for a in listing.json()["items"]] == [member_a.full_name]


def test_the_api_keeps_a_draft_without_consent(
    member_a: Person, org_a: Organisation, org_b: Organisation, opportunity_b: Opportunity
) -> None:
    response = member_api(member_a, org_a).post(
        f"/api/opportunities/{opportunity_b.short_code}/responses", {"submit": False}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    assert sharing_consents(member_a, org_b) == []


def test_the_openapi_document_describes_the_consent() -> None:
    document = Client().get("/api/openapi.json").json()
    operation = document["paths"]["/api/opportunities/{short_code}/responses"]["post"]
    assert "409" in operation["responses"]
    assert "sharing_needed" in operation["description"]
    share_details = document["components"]["schemas"]["ResponseIn"]["properties"]["share_details"]
    assert share_details["default"] is False
    assert "consent" in share_details["description"]
