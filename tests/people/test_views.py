from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.people.factories import PersonFactory, share
from withus.accounts.models import Role, User
from withus.people.models import AssistedAction, ConsentRecord, Person, WellbeingPlan

pytestmark = pytest.mark.django_db


# ---- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/me/", "/staff/people/", "/staff/people/new/", "/staff/organisation/"])
def test_anonymous_visitor_gets_the_sign_in_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_member_cannot_reach_staff_pages(member_a, member_b):
    client = member_client(member_a)
    for url in ["/staff/people/", "/staff/people/new/", f"/staff/people/{member_b.pk}/", "/staff/organisation/"]:
        assert client.get(url).status_code == 403, url


def test_member_sees_only_their_own_details(member_a, member_b):
    client = member_client(member_a)
    response = client.get("/me/")
    assert member_a.full_name in response.content.decode()
    assert member_b.full_name not in response.content.decode()
    # There is no URL that takes another member's id on the member side.
    assert client.get(f"/staff/people/{member_b.pk}/").status_code == 403


def test_coordinator_cannot_see_a_person_who_shares_only_with_another_organisation(
    org_a, coordinator_a, member_a, member_b
):
    client = staff_client(coordinator_a)
    listing = client.get("/staff/people/").content.decode()
    assert member_a.full_name in listing
    assert member_b.full_name not in listing
    assert client.get(f"/staff/people/{member_b.pk}/").status_code == 404
    assert client.get(f"/staff/people/{member_b.pk}/dbs/").status_code == 404


def test_forged_organisation_in_session_switch_is_ignored(org_a, org_b, coordinator_a, member_b):
    client = staff_client(coordinator_a)
    response = client.post("/staff/organisation/switch/", {"organisation": org_b.pk}, follow=True)
    assert "You do not have a staff role in that organisation." in response.content.decode()
    session = client.session
    session["withus_organisation_id"] = org_b.pk  # a forged value in the session is ignored too
    session.save()
    assert member_b.full_name not in client.get("/staff/people/").content.decode()


def test_staff_without_mfa_are_sent_to_set_it_up(org_a):
    user = User.objects.create_user(email="nomfa@example.org", password="a-good-long-password")
    from withus.accounts.models import Membership

    Membership.objects.create(user=user, organisation=org_a, role=Role.COORDINATOR)
    client = Client()
    client.force_login(user)
    response = client.get("/staff/people/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_members_private_wellbeing_plan_is_hidden_from_coordinators(org_a, coordinator_a, member_a):
    WellbeingPlan.objects.create(person=member_a, what_helps="Private words", visible_to="only_me")
    share_act = ConsentRecord.objects.create(person=member_a, purpose="act_on_behalf", organisation=org_a, how="phone")
    client = staff_client(coordinator_a)
    page = client.get(f"/staff/people/{member_a.pk}/").content.decode()
    assert "Private words" not in page
    assert "keeps this private" in page
    assert client.get(f"/staff/people/{member_a.pk}/details/wellbeing/").status_code == 403
    assert client.get(f"/staff/people/{member_a.pk}/details/equality/").status_code == 403
    plan = WellbeingPlan.objects.get(person=member_a)
    plan.visible_to = "coordinators"
    plan.save()
    assert "Private words" in client.get(f"/staff/people/{member_a.pk}/").content.decode()
    assert share_act.pk


# ---- Member sign-up and profile -------------------------------------------------------------


def signup_data(org, **overrides):
    data = {
        "full_name": "Elin Evans",
        "email": "elin@example.org",
        "password1": "a-very-good-password-42",
        "perspective": "service_user",
        "organisations": [org.pk],
        "keep_details": "on",
    }
    data.update(overrides)
    return data


def test_member_signs_up_and_is_asked_to_verify_their_email(client, org_a):
    response = client.post(reverse("account_signup"), signup_data(org_a))
    assert response.status_code == 302
    user = User.objects.get(email="elin@example.org")
    person = Person.objects.get(user=user)
    assert person.full_name == "Elin Evans"
    assert Person.objects.sharing_with(org_a).filter(pk=person.pk).exists()
    assert len(mail.outbox) == 1
    assert "elin@example.org" in mail.outbox[0].to


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"keep_details": ""}, "keep_details", "Tick the box to agree"),
        ({"email": "not-an-email"}, "email", ""),
        ({"full_name": "x" * 151}, "full_name", ""),
        ({"organisations": []}, "organisations", "Choose at least one organisation."),
        ({"organisations": [999999]}, "organisations", ""),
    ],
)
def test_bad_signup_shows_errors_keeps_input_and_writes_nothing(client, org_a, overrides, field, message):
    data = signup_data(org_a, **overrides)
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page
    assert message in page
    if field != "full_name":
        assert 'value="Elin Evans"' in page
    assert not User.objects.exists()
    assert not Person.objects.exists()


def test_duplicate_email_is_told_privately_by_email(client, org_a):
    # Saying on screen that an address is registered would tell anyone that its owner
    # is involved with mental health services, so the owner is told by e-mail instead.
    make_member(org_a)
    existing = User.objects.first()
    response = client.post(reverse("account_signup"), signup_data(org_a, email=existing.email))
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert Person.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [existing.email]
    assert "already" in mail.outbox[0].body


def test_profile_steps_save_and_continue_and_save_for_later(member_a):
    client = member_client(member_a)
    response = client.post(
        "/me/details/about/", {"full_name": "Alaw Jones", "preferred_name": "Al", "save_continue": "1"}
    )
    assert response["Location"] == "/me/details/experience/"
    response = client.post(
        "/me/details/experience/", {"perspective": "both", "experience_timing": "past", "save_later": "1"}
    )
    assert response["Location"] == "/me/"
    member_a.refresh_from_db()
    assert member_a.preferred_name == "Al"
    assert member_a.perspective == "both"
    assert member_a.profile_step == 2
    home = client.get("/").content.decode()
    assert "Carry on: Skills, interests and when you are free" in home


def test_bad_profile_input_keeps_what_was_typed_and_saves_nothing(member_a):
    client = member_client(member_a)
    response = client.post("/me/details/about/", {"full_name": "", "pronouns": "they/them"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter your full name." in page
    assert 'value="they/them"' in page
    member_a.refresh_from_db()
    assert member_a.pronouns == ""


def test_choosing_post_without_an_address_is_explained(member_a):
    client = member_client(member_a)
    response = client.post("/me/details/contact/", {"preferred_channel": "post"})
    assert "Add a postal address" in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.preferred_channel == "email"


def test_wellbeing_and_equality_steps(member_a):
    client = member_client(member_a)
    client.post(
        "/me/details/wellbeing/",
        {"what_helps": "Text first", "who_to_contact": "", "visible_to": "only_me", "save_continue": "1"},
    )
    assert WellbeingPlan.objects.get(person=member_a).what_helps == "Text first"
    response = client.post("/me/details/equality/", {"ethnicity": "prefer_not_to_say", "save_continue": "1"})
    assert response.status_code == 302
    page = client.get("/me/").content.decode()
    assert "Prefer not to say" in page
    assert "Text first" in page


def test_member_downloads_their_data(member_a):
    response = member_client(member_a).get("/me/download/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["profile"]["full_name"] == member_a.full_name


def test_member_steps_out_with_a_past_date_gets_an_error(member_a):
    client = member_client(member_a)
    response = client.post("/me/step-out/", {"until": (date.today() - timedelta(days=1)).isoformat()})
    assert "must be in the future" in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.status == "active"
    client.post("/me/step-out/", {"until": ""})
    member_a.refresh_from_db()
    assert member_a.status == "stepped_out"


def test_member_leaves_and_is_offered_an_exit_interview(member_a):
    client = member_client(member_a)
    response = client.post("/me/leave/")
    assert "/me/exit-interview/" in response["Location"]
    response = client.post(response["Location"], {"reasons": "Need a rest", "wants_conversation": "on"})
    assert response.status_code == 302
    assert member_a.exit_interviews.get().reasons == "Need a rest"


def test_member_withdraws_sharing(org_a, member_a):
    consent = member_a.consents.get(purpose="share_with_organisation")
    member_client(member_a).post(f"/me/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_member_cannot_withdraw_someone_elses_consent(member_a, member_b):
    consent = member_b.consents.get(purpose="share_with_organisation")
    response = member_client(member_a).post(f"/me/consents/{consent.pk}/withdraw/")
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


# ---- Coordinator --------------------------------------------------------------------------


ASSISTED = {
    "full_name": "Huw Thomas",
    "perspective": "carer",
    "preferred_channel": "post",
    "address": "2 Heol y Bont",
    "how": "in_person",
    "keep_details": "on",
    "act_on_behalf": "on",
    "does_not_use_computers": "on",
}


def test_coordinator_registers_someone_and_acts_for_them(org_a, coordinator_a):
    client = staff_client(coordinator_a)
    response = client.post("/staff/people/new/", ASSISTED)
    person = Person.objects.get(full_name="Huw Thomas")
    assert response["Location"] == f"/staff/people/{person.pk}/"
    response = client.post(
        f"/staff/people/{person.pk}/details/needs/", {"needs_step_free": "on", "dietary_needs": "Vegetarian"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.needs_step_free and person.dietary_needs == "Vegetarian"
    assert AssistedAction.objects.filter(person=person).count() == 2
    page = client.get(f"/staff/people/{person.pk}/").content.decode()
    assert "Done on their behalf" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"act_on_behalf": ""}, "Record that the person agrees to you acting for them."),
        ({"keep_details": ""}, "Record that the person agrees to us keeping their details."),
        ({"address": ""}, "Enter a postal address"),
        ({"how": "online"}, "Select a valid choice"),
        ({"email": "bad@"}, "valid email"),
    ],
)
def test_bad_assisted_registration_keeps_input_and_writes_nothing(org_a, coordinator_a, overrides, message):
    data = {**ASSISTED, **overrides}
    response = staff_client(coordinator_a).post("/staff/people/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert 'value="Huw Thomas"' in page
    assert not Person.objects.exists()


def test_coordinator_cannot_edit_without_consent_to_act(org_a, coordinator_a, member_a):
    client = staff_client(coordinator_a)
    assert client.get(f"/staff/people/{member_a.pk}/details/about/").status_code == 403
    client.post(f"/staff/people/{member_a.pk}/consent/", {"purpose": "act_on_behalf", "how": "phone"})
    assert client.get(f"/staff/people/{member_a.pk}/details/about/").status_code == 200


def test_supervisor_can_see_people_but_not_register_or_act(org_a, member_a):
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    client = staff_client(supervisor)
    assert client.get("/staff/people/").status_code == 200
    assert client.get("/staff/people/new/").status_code == 403


def test_budget_holder_cannot_see_the_register(org_a, member_a):
    client = staff_client(make_staff(org_a, Role.BUDGET_HOLDER))
    assert client.get("/staff/people/").status_code == 403


def test_dbs_check_in_the_future_is_refused_on_the_page(org_a, coordinator_a, member_a):
    client = staff_client(coordinator_a)
    future = (date.today() + timedelta(days=10)).isoformat()
    response = client.post(f"/staff/people/{member_a.pk}/dbs/", {"status": "clear", "checked_on": future})
    assert "must be today or in the past" in response.content.decode()
    assert not member_a.dbs_checks.exists()
    client.post(
        f"/staff/people/{member_a.pk}/dbs/", {"status": "clear", "level": "enhanced", "checked_on": "2025-01-10"}
    )
    assert member_a.dbs_checks.get().checked_on == date(2025, 1, 10)


def test_people_list_search_and_filters(org_a, coordinator_a):
    carer = PersonFactory(full_name="Carys Carer", perspective="carer", prefers_welsh=True, local_authority="gwynedd")
    user_ = PersonFactory(full_name="Sion Service", perspective="service_user", needs_step_free=True)
    for p in (carer, user_):
        share(p, org_a)
    client = staff_client(coordinator_a)

    def names(query):
        page = client.get("/staff/people/?" + query).content.decode()
        return {n for n in ("Carys Carer", "Sion Service") if n in page}

    assert names("") == {"Carys Carer", "Sion Service"}
    assert names("q=carys") == {"Carys Carer"}
    assert names("perspective=carer") == {"Carys Carer"}
    assert names("need=step_free") == {"Sion Service"}
    assert names("need=welsh&local_authority=gwynedd") == {"Carys Carer"}
    assert names("status=left") == set()


def test_people_list_queries_do_not_grow_with_people(org_a, coordinator_a, django_assert_max_num_queries):
    from withus.people.models import Tag

    tags = list(Tag.objects.all()[:3])
    client = staff_client(coordinator_a)

    def add(n):
        for _ in range(n):
            p = PersonFactory()
            p.tags.set(tags)
            share(p, org_a)

    add(3)
    client.get("/staff/people/")  # warm caches (session, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/staff/people/")
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/staff/people/")
    assert response.status_code == 200


def test_sharing_offers_only_organisations_not_yet_shared_with(member_a, org_a, org_b):
    client = member_client(member_a)
    page = client.get("/me/share/").content.decode()
    assert f'value="{org_b.pk}"' in page and f'value="{org_a.pk}"' not in page
    response = client.post("/me/share/", {"organisation": org_a.pk})
    assert "Choose an organisation from the list." in response.content.decode()
    client.post("/me/share/", {"organisation": org_b.pk})
    assert (
        "You already share your details with every organisation on WithUs." in client.get("/me/share/").content.decode()
    )
