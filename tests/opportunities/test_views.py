import html
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.opportunities.factories import make_opportunity
from withus.accounts.models import Role
from withus.groups.models import Group
from withus.opportunities.models import Application, Opportunity, Referral

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_public_board_lists_open_opportunities_of_every_organisation(
    client, org_a, org_b, coordinator_a, coordinator_b
):
    a = make_opportunity(org_a, coordinator_a, title="Crisis panel", local_authority="cardiff")
    b = make_opportunity(org_b, coordinator_b, title="Carers forum", location="online", reward="voucher")
    make_opportunity(org_a, coordinator_a, title="Secret draft", status="draft")
    make_opportunity(org_a, coordinator_a, title="Long gone", closes_on=TODAY - timedelta(days=1))
    page = client.get("/opportunities/").content.decode()
    assert a.title in page and b.title in page
    assert "Secret draft" not in page and "Long gone" not in page

    def titles(query):
        html = client.get("/opportunities/?" + query).content.decode()
        return {t for t in ("Crisis panel", "Carers forum") if t in html}

    assert titles("q=crisis") == {"Crisis panel"}
    assert titles("location=online") == {"Carers forum"}
    assert titles("reward=voucher") == {"Carers forum"}
    assert titles(f"organisation={org_a.pk}") == {"Crisis panel"}
    assert titles("local_authority=cardiff") == {"Crisis panel"}
    assert titles("level=4") == {"Crisis panel", "Carers forum"}
    assert titles("level=6") == set()


def test_board_shows_welsh_text_in_welsh(client, org_a, coordinator_a):
    make_opportunity(org_a, coordinator_a, title="Crisis panel", title_cy="Panel argyfwng")
    client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    assert "Panel argyfwng" in client.get("/opportunities/").content.decode()


def test_board_queries_do_not_grow(client, org_a, coordinator_a, django_assert_max_num_queries):
    for _ in range(3):
        make_opportunity(org_a, coordinator_a)
    with CaptureQueriesContext(connection) as few:
        client.get("/opportunities/")
    for _ in range(15):
        make_opportunity(org_a, coordinator_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/opportunities/")


def test_draft_and_archived_opportunities_are_not_public(client, org_a, coordinator_a):
    draft = make_opportunity(org_a, coordinator_a, status="draft")
    archived = make_opportunity(org_a, coordinator_a, status="archived")
    assert client.get(f"/opportunities/{draft.short_code}/").status_code == 404
    assert client.get(f"/opportunities/{archived.short_code}/").status_code == 404
    live = make_opportunity(org_a, coordinator_a)
    assert client.get(f"/o/{live.short_code}")["Location"] == f"/opportunities/{live.short_code}/"


def test_member_expresses_interest_and_sees_the_status(org_a, coordinator_a):
    member = make_member(org_a)
    o = make_opportunity(org_a, coordinator_a)
    client = member_client(member)
    response = client.post(f"/opportunities/{o.short_code}/respond/", {"why": "", "experience": "x"})
    assert "Tell us in a few words why you are interested." in response.content.decode()
    assert 'value="x"' not in response.content.decode()  # textarea keeps it as content instead
    assert "x</textarea>" in response.content.decode()
    assert not Application.objects.exists()
    client.post(f"/opportunities/{o.short_code}/respond/", {"why": "I know the service"})
    page = client.get("/me/applications/").content.decode()
    assert o.title in page and "Received" in page
    again = client.get(f"/opportunities/{o.short_code}/respond/", follow=True)
    assert "already responded" in again.content.decode()


def test_member_saves_a_draft_and_comes_back(org_a, coordinator_a):
    member = make_member(org_a)
    o = make_opportunity(org_a, coordinator_a, application_process="application_form", level=6)
    client = member_client(member)
    client.post(f"/opportunities/{o.short_code}/respond/", {"why": "Half written", "save_draft": "1"})
    assert Application.objects.get().status == "draft"
    page = client.get(f"/opportunities/{o.short_code}/respond/").content.decode()
    assert "Half written" in page


def test_reference_without_contact_details_is_explained(org_a, coordinator_a):
    member = make_member(org_a)
    o = make_opportunity(org_a, coordinator_a, application_process="application_form", level=6)
    response = member_client(member).post(
        f"/opportunities/{o.short_code}/respond/",
        {"why": "Because", "reference_0_name": "Ann", "reference_0_relationship": "Friend"},
    )
    assert "Give an e-mail address or a phone number for Ann." in response.content.decode()
    assert 'value="Ann"' in response.content.decode()
    assert not Application.objects.filter(status="received").exists()


def test_coordinator_creates_and_publishes_with_errors_kept(org_a, coordinator_a):
    client = staff_client(coordinator_a)
    data = {
        "title": "Recruitment panel",
        "purpose": "Choose a new ward manager",
        "intended_outcomes": "A good manager",
        "influence": "One voice on the panel",
        "view": "personal",
        "level": "4",
        "location": "in_person",
        "venue": "",
        "reward": "fee",
        "places": "0",
        "reserves": "0",
        "contact": coordinator_a.pk,
        "where": "operational",
        "role_offered": "expert_by_experience",
        "closes_on": (TODAY - timedelta(days=2)).isoformat(),
    }
    page = client.post("/staff/opportunities/new/", data).content.decode()
    assert "There is a problem" in page
    assert "The closing date must be today or later." in page
    assert "An opportunity needs at least one place." in page
    assert "Say where it happens" in page
    assert 'value="Recruitment panel"' in page
    assert not Opportunity.objects.exists()
    data.update(places="2", venue="Ty Afon, Cardiff", closes_on=(TODAY + timedelta(days=20)).isoformat())
    response = client.post("/staff/opportunities/new/", data)
    o = Opportunity.objects.get()
    assert response["Location"] == f"/staff/opportunities/{o.pk}/"
    client.post(f"/staff/opportunities/{o.pk}/status/", {"status": "published"})
    o.refresh_from_db()
    assert o.status == "published"


def test_staff_pages_are_for_their_own_organisation(org_a, org_b, coordinator_a, coordinator_b):
    o = make_opportunity(org_a, coordinator_a)
    member = make_member(org_a)
    a = Application.objects.create(opportunity=o, person=member, status="received")
    other = staff_client(coordinator_b)
    for url in [
        f"/staff/opportunities/{o.pk}/",
        f"/staff/opportunities/{o.pk}/edit/",
        f"/staff/applications/{a.pk}/",
        f"/staff/applications/{a.pk}/appoint/",
    ]:
        assert other.get(url).status_code == 404, url
    assert member_client(member).get(f"/staff/opportunities/{o.pk}/").status_code == 403
    assert member_client(member).get("/staff/opportunities/dashboard/").status_code == 403


def test_member_cannot_withdraw_someone_elses_application(org_a, coordinator_a):
    o = make_opportunity(org_a, coordinator_a)
    owner, other = make_member(org_a), make_member(org_a)
    a = Application.objects.create(opportunity=o, person=owner, status="received")
    assert member_client(other).post(f"/me/applications/{a.pk}/withdraw/").status_code == 404
    a.refresh_from_db()
    assert a.status == "received"


def test_selection_draw_and_appointment_pages(org_a, coordinator_a):
    group = Group.objects.create(organisation=org_a, name="Crisis board", makes_decisions=True)
    o = make_opportunity(org_a, coordinator_a, places=1, application_process="none", group=group)
    people = [make_member(org_a) for _ in range(3)]
    for p in people:
        Application.objects.create(opportunity=o, person=p, status="received", submitted_at=timezone.now())
    client = staff_client(coordinator_a)
    assert client.post(f"/staff/opportunities/{o.pk}/draw/", {"places": "5"}).status_code == 200
    response = client.post(f"/staff/opportunities/{o.pk}/draw/", {"places": "1", "strata_by": ["perspective"]})
    assert response.status_code == 302
    chosen = o.applications.get(status="selected")
    assert o.applications.filter(status="waiting_list").count() == 2
    response = client.post(
        f"/staff/applications/{chosen.pk}/appoint/",
        {
            "group": group.pk,
            "seat": "member",
            "term_start": TODAY.isoformat(),
            "planned_end": (TODAY + timedelta(days=3 * 365)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert chosen.person.appointments.get().group == group
    dashboard = client.get("/staff/opportunities/dashboard/").content.decode()
    assert "Crisis board" in dashboard


def test_dashboard_queries_do_not_grow(org_a, coordinator_a, django_assert_max_num_queries):
    from withus.groups.models import Appointment

    client = staff_client(coordinator_a)
    group = Group.objects.create(organisation=org_a, name="Board")

    def add(n):
        for _ in range(n):
            p = make_member(org_a)
            Appointment.objects.create(person=p, group=group, term_start=TODAY, planned_end=TODAY + timedelta(days=100))
            o = make_opportunity(org_a, coordinator_a)
            Application.objects.create(opportunity=o, person=p, status="selected", decided_at=timezone.now())

    add(2)
    client.get("/staff/opportunities/dashboard/")
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/opportunities/dashboard/")
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/staff/opportunities/dashboard/").status_code == 200


def test_referral_needs_consent_and_reaches_the_coordinator(client, org_a, coordinator_a):
    data = {
        "person_name": "Gwyn",
        "contact": "01632 960002",
        "preferred_channel": "phone",
        "referred_by_name": "Dr Rees",
        "referred_by_role": "GP",
        "consent_how": "in_person",
    }
    page = client.post(f"/opportunities/refer/{org_a.slug}/", data).content.decode()
    assert "Only refer someone who has agreed to it." in page and 'value="Gwyn"' in page
    client.post(f"/opportunities/refer/{org_a.slug}/", {**data, "consent_given": "on"})
    listing = staff_client(coordinator_a).get("/staff/opportunities/referrals/").content.decode()
    assert "Gwyn" in listing and "Dr Rees" in listing


REFERRAL = {
    "person_name": "Gwyn",
    "contact": "01632 960002",
    "preferred_channel": "phone",
    "referred_by_name": "Dr Rees",
    "referred_by_role": "GP",
    "consent_how": "in_person",
    "consent_given": "on",
}


def test_a_referral_from_a_robot_is_thanked_and_nothing_is_kept(client, org_a):
    page = client.get(f"/opportunities/refer/{org_a.slug}/").content.decode()
    assert 'name="website"' in page and 'tabindex="-1"' in page and 'aria-hidden="true"' in page
    response = client.post(f"/opportunities/refer/{org_a.slug}/", {**REFERRAL, "website": "http://spam.example"})
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_referrals_from_one_address_are_limited_and_nothing_typed_is_lost(org_a):
    cache.clear()
    client = Client(REMOTE_ADDR="203.0.113.5")
    for number in range(5):
        client.post(f"/opportunities/refer/{org_a.slug}/", {**REFERRAL, "person_name": f"Person {number}"})
    assert Referral.objects.count() == 5
    response = client.post(f"/opportunities/refer/{org_a.slug}/", {**REFERRAL, "person_name": "One too many"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many referrals" in page and 'value="One too many"' in page
    assert Referral.objects.count() == 5
    # Someone at another address is not held up.
    Client(REMOTE_ADDR="198.51.100.20").post(f"/opportunities/refer/{org_a.slug}/", REFERRAL)
    assert Referral.objects.count() == 6


def test_admin_changes_pathway_defaults(org_a):
    admin = make_staff(org_a, Role.ADMIN)
    client = staff_client(admin)
    client.post(
        "/staff/opportunities/pathway/",
        {"level": "3", "time_commitment": "A morning", "application_process": "none", "reward": "£25"},
    )
    assert "A morning" in client.get("/staff/opportunities/pathway/").content.decode()


def test_a_board_card_shows_what_a_person_decides_by(client, org_a, coordinator_a):
    make_opportunity(
        org_a,
        coordinator_a,
        title="Crisis panel",
        level=2,
        reward="fee",
        time_commitment="Two hours, once",
        location="in_person",
        venue="Canolfan y Dref",
        local_authority="cardiff",
        starts_on=TODAY + timedelta(days=40),
        closes_on=TODAY + timedelta(days=20),
    )
    make_opportunity(org_a, coordinator_a, title="Carers forum", level=6, reward="none", starts_on=None, closes_on=None)
    page = html.unescape(client.get("/opportunities/").content.decode())
    cards = re.findall(r'<li class="card">.*?</li>', page, re.S)
    crisis = next(c for c in cards if "Crisis panel" in c)
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", crisis, re.S))
    assert facts["Reward"] == "A fee for your time, and expenses"
    assert facts["Time needed"] == "Two hours, once"
    assert facts["Where"] == "In person: Canolfan y Dref (Cardiff)"
    assert facts["When"] == (TODAY + timedelta(days=40)).strftime("%-d %B %Y")
    assert facts["Closing date"] == (TODAY + timedelta(days=20)).strftime("%-d %B %Y")
    assert facts["Level"] == "Consulted: we ask your views"
    carers = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", next(c for c in cards if "Carers forum" in c), re.S))
    assert carers["Reward"] == "No payment (volunteering)"
    assert carers["When"] == "To be arranged" and carers["Closing date"] == "Open until filled"
    assert carers["Level"] == "Leading: you lead the work, and we support you"
