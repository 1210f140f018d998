"""The register of interests beyond a member's own page: changing a declaration, the organisation's
register, a coordinator recording a member's declaration given by phone, the yearly review, the API
and the command line."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, make_staff, member_client, staff_client
from withus.accounts.models import Organisation, Role, User
from withus.concerns.interests import selectors, services
from withus.concerns.interests.models import Interest
from withus.people.models import Channel, OutgoingMessage, Person

pytestmark = pytest.mark.django_db


def _declare(member: Person, body: str = "Afon Health Board", **fields: object) -> Interest:
    assert member.user is not None
    return services.declare(actor=member.user, person=member, kind="employment", body=body, **fields)  # type: ignore[arg-type]


# ---- Changing one on the web ----------------------------------------------------------------------


def test_a_member_changes_a_declaration_on_the_web_and_the_version_before_is_kept(member_a: Person) -> None:
    first = _declare(member_a)
    client = member_client(member_a)
    page = client.get("/me/interests/").content.decode()
    assert f"/me/interests/{first.pk}/change/" in page
    bad = client.post(f"/me/interests/{first.pk}/change/", {"kind": "role", "body": " "})
    assert bad.status_code == 400 and "Say which body or person" in bad.content.decode()
    assert Interest.objects.count() == 1
    done = client.post(
        f"/me/interests/{first.pk}/change/", {"kind": "role", "body": "Afon Health Board", "description": "Governor"}
    )
    assert done.status_code == 302
    (now,) = selectors.current(selectors.held_by(person=member_a))
    assert (now.kind, now.description, now.first_id) == ("role", "Governor", first.pk)
    assert Interest.objects.get(pk=first.pk).superseded_at is not None
    # The replaced version cannot be changed again, nor someone else's.
    assert client.post(f"/me/interests/{first.pk}/change/", {"kind": "role", "body": "x"}).status_code == 404
    other = _declare(make_member(), "Other body")
    assert client.get(f"/me/interests/{other.pk}/change/").status_code == 404


def test_staff_change_their_own_declaration(org_a: Organisation, coordinator_a: User) -> None:
    mine = services.declare(actor=coordinator_a, user=coordinator_a, kind="payment", body="Pharma Ltd")
    client = staff_client(coordinator_a)
    response = client.post(f"/staff/interests/{mine.pk}/change/", {"kind": "payment", "body": "Pharma Cyf"})
    assert response.status_code == 302
    assert [i.body for i in selectors.current(selectors.held_by(user=coordinator_a))] == ["Pharma Cyf"]


# ---- The register and declarations by phone ----------------------------------------------------------


def test_the_register_shows_members_and_staff_of_the_organisation_only_and_searches(
    org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    ours = make_member(org_a, full_name="Alaw Member")
    _declare(ours, "Afon Health Board")
    _declare(make_member(org_b, full_name="Bryn Elsewhere"), "Elsewhere Trust")
    services.declare(actor=coordinator_a, user=coordinator_a, kind="role", body="Mind Cymru")
    client = staff_client(coordinator_a)
    page = client.get("/staff/interests/register/").content.decode()
    assert "Afon Health Board" in page and "Mind Cymru" in page and "Alaw Member" in page
    assert "Elsewhere Trust" not in page and "Bryn Elsewhere" not in page
    assert f"/staff/people/{ours.pk}/interests/" in page
    found = client.get("/staff/interests/register/", {"q": "afon"}).content.decode()
    assert "Afon Health Board" in found and "Mind Cymru" not in found
    assert client.get("/staff/interests/register/", {"q": "Alaw"}).content.decode().count("Afon Health Board") == 1
    member = member_client(ours)
    assert member.get("/staff/interests/register/").status_code in (302, 403)


def test_the_register_costs_the_same_queries_however_many(org_a: Organisation, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/interests/register/").status_code == 200
        return len(queries)

    _declare(make_member(org_a))
    few = cost()
    for n in range(8):
        _declare(make_member(org_a), f"Body {n}")
    assert cost() == few


def test_a_coordinator_records_a_declaration_given_by_phone(
    org_a: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    member = make_member(org_a, full_name="Alaw Member")
    client = staff_client(coordinator_a)
    url = f"/staff/people/{member.pk}/interests/"
    page = client.get(url)
    assert page.status_code == 200 and "Alaw Member" in page.content.decode()
    missing = client.post(url, {"action": "declare", "kind": "employment", "body": "Afon Health Board"})
    assert missing.status_code == 400 and "Say how the member declared it" in missing.content.decode()
    assert 'value="Afon Health Board"' in missing.content.decode()
    assert not Interest.objects.exists()
    done = client.post(url, {"action": "declare", "kind": "employment", "body": "Afon Health Board", "how": "phone"})
    assert done.status_code == 302
    made = Interest.objects.get()
    assert (made.person, made.how, made.recorded_by) == (member, "phone", coordinator_a)
    change = client.post(
        f"{url}{made.pk}/change/", {"kind": "employment", "body": "Afon Health Board", "description": "Nurse"}
    )
    assert change.status_code == 302
    (now,) = selectors.current(selectors.held_by(person=member))
    assert now.description == "Nurse" and now.how == "phone"
    assert client.post(url, {"action": "end", "interest": now.pk}).status_code == 302
    (ended,) = selectors.current(selectors.held_by(person=member))
    assert ended.ends_on == timezone.localdate()  # it counts until the end of its last day
    # Another organisation's coordinator finds nothing.
    assert staff_client(coordinator_b).get(url).status_code == 404


# ---- The yearly review ------------------------------------------------------------------------------


def test_the_yearly_review_asks_each_holder_once_by_their_channel(org_a: Organisation, coordinator_a: User) -> None:
    by_email = make_member(org_a, full_name="Ed Mail")
    by_post = make_member(
        org_a, full_name="Pat Post", preferred_channel=Channel.POST, address="1 Stryd", postcode="SA1 1AA"
    )
    old = timezone.localdate() - timedelta(days=400)
    for member, body in ((by_email, "Afon Health Board"), (by_email, "Mind Cymru"), (by_post, "Pharma Ltd")):
        Interest.objects.filter(pk=_declare(member, body).pk).update(reviewed_on=old)
    staff_interest = services.declare(actor=coordinator_a, user=coordinator_a, kind="role", body="Board")
    Interest.objects.filter(pk=staff_interest.pk).update(reviewed_on=old)
    _declare(make_member(org_a), "Recent Body")  # reviewed today: not asked
    mail.outbox.clear()
    assert services.remind_reviews() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([by_email.email, coordinator_a.email])
    to_member = next(m for m in mail.outbox if m.to == [by_email.email])
    assert (
        "Afon Health Board" in to_member.body and "Mind Cymru" in to_member.body and "/me/interests/" in to_member.body
    )
    letter = OutgoingMessage.objects.get(person=by_post, status=OutgoingMessage.Status.TO_PRINT)
    assert "Pharma Ltd" in letter.body and letter.organisation == org_a
    assert services.remind_reviews() == 0
    # Confirming starts a new year; a year on they are asked again.
    assert by_email.user is not None
    services.confirm(actor=by_email.user, person=by_email)
    assert services.remind_reviews(today=timezone.localdate() + timedelta(days=366)) >= 1


def test_the_review_reads_in_welsh_for_a_member_who_asked_for_welsh(org_a: Organisation) -> None:
    member = make_member(org_a, prefers_welsh=True)
    Interest.objects.filter(pk=_declare(member).pk).update(reviewed_on=date(2020, 1, 1))
    services.remind_reviews()
    (sent,) = mail.outbox
    assert "Afon Health Board" in sent.body
    assert "Once a year" not in sent.body and "Once a year" not in sent.subject


# ---- The API -------------------------------------------------------------------------------------------


def test_a_member_keeps_their_declarations_through_the_api(org_a: Organisation, member_a: Person) -> None:
    api = member_api(member_a, org_a)
    made = api.post("/api/me/interests", {"kind": "employment", "body": "Afon Health Board"})
    assert made.status_code == 201, made.content
    first = made.json()["id"]
    assert_error(api.post("/api/me/interests", {"kind": "employment", "body": ""}), 422, "invalid")
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert_error(api.post("/api/me/interests", {"kind": "role", "body": "X Body", "starts_on": future}), 422, "invalid")
    changed = api.client.put(
        f"/api/me/interests/{first}",
        '{"kind": "role", "body": "Afon Health Board", "description": "Governor"}',
        content_type="application/json",
        headers=api.headers,
    )
    assert changed.status_code == 200 and changed.json()["first_id"] == first
    new = changed.json()["id"]
    assert [i["id"] for i in api.get("/api/me/interests").json()["items"]] == [new]
    assert api.post(f"/api/me/interests/{first}/end", {}).status_code == 404  # replaced: not current
    assert api.post("/api/me/interests/confirm", {}).json() == {"reviewed": 1}
    ended = api.post(f"/api/me/interests/{new}/end", {})
    assert ended.status_code == 200 and ended.json()["ends_on"] == timezone.localdate().isoformat()


def test_staff_read_the_register_and_a_coordinator_records_for_a_member_through_the_api(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    member = make_member(org_a, full_name="Alaw Member")
    api = api_as(coordinator_a, org_a)
    body = {"kind": "employment", "body": "Afon Health Board"}
    assert_error(api.post(f"/api/interests/people/{member.pk}", body), 422, "invalid")  # no "how"
    made = api.post(f"/api/interests/people/{member.pk}", {**body, "how": "letter"})
    assert made.status_code == 201 and made.json()["how"] == "letter" and made.json()["person_id"] == member.pk
    own = api.post("/api/me/interests", {"kind": "role", "body": "Mind Cymru"})
    assert own.status_code == 201 and own.json()["staff"] is True
    register = api.get("/api/interests").json()
    assert register["count"] == 2
    assert [i["body"] for i in api.get("/api/interests", {"q": "afon"}).json()["items"]] == ["Afon Health Board"]
    assert [i["body"] for i in api.get(f"/api/interests/people/{member.pk}").json()] == ["Afon Health Board"]
    other = api_as(coordinator_b, org_b)
    assert other.get("/api/interests").json()["count"] == 0
    assert other.get(f"/api/interests/people/{member.pk}").status_code == 404
    assert other.post(f"/api/interests/people/{member.pk}", {**body, "how": "phone"}).status_code == 404
    supervisor = api_as(make_staff(org_a, Role.SUPERVISOR, "sup@example.org"), org_a, Role.SUPERVISOR)
    assert supervisor.get("/api/interests").json()["count"] == 2
    assert_error(supervisor.post(f"/api/interests/people/{member.pk}", {**body, "how": "phone"}), 403, "forbidden")
    assert_error(member_api(member, org_a).get("/api/interests"), 403, "forbidden")


# ---- The command line ------------------------------------------------------------------------------


def test_the_command_lists_the_register_and_runs_the_review(org_a: Organisation, coordinator_a: User) -> None:
    member = make_member(org_a, full_name="Alaw Member")
    Interest.objects.filter(pk=_declare(member).pk).update(reviewed_on=date(2020, 1, 1))
    out = StringIO()
    call_command("interests", "list", "--organisation", org_a.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("body\tdeclared_by") and lines[1].startswith("Afon Health Board\tAlaw Member\tno")
    out = StringIO()
    call_command("interests", "list", "--organisation", org_a.slug, "--as", coordinator_a.email, stdout=out)
    assert "Afon Health Board" in out.getvalue()
    out = StringIO()
    call_command("interests", "review", stdout=out)
    assert "Asked 1 people" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("interests", "list", "--organisation", "nowhere")
    with pytest.raises(CommandError):
        call_command("interests", "review", "--date", "tomorrow")
