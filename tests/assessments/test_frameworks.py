"""An organisation's own frameworks and its copies of shipped ones: the staff pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from tests.api.helpers import api_as, assert_error
from tests.assessments.helpers import four_pi
from tests.conftest import make_member, make_staff, member_client, staff_client
from withus.accounts.models import Organisation, Role, User
from withus.assessments import services
from withus.assessments.models import Framework, Item

pytestmark = pytest.mark.django_db

NEW = reverse("assessments:staff_framework_new")
LIST = reverse("assessments:staff_frameworks")


@pytest.fixture
def admin_a(org_a: Organisation) -> User:
    return make_staff(org_a, Role.ADMIN)


@pytest.fixture
def admin_b(org_b: Organisation) -> User:
    return make_staff(org_b, Role.ADMIN)


def _own(admin: User, organisation: Organisation, name: str = "Our charter") -> Framework:
    return services.create_framework(
        actor=admin,
        organisation=organisation,
        name=name,
        scale=[("No", "Na"), ("Yes", "Ie")],
        items=[("Pay", "C1", "We pay people on the day", "")],
    )


def _good(**changes: str) -> dict[str, str]:
    data = {
        "name": "Our members' charter",
        "name_cy": "Siarter ein haelodau",
        "description": "What members asked of us in 2025",
        "description_cy": "",
        "source": "Members' meeting, May 2025",
        "scale": "Not yet | Ddim eto\nPartly\nMet | Wedi'i gyflawni",
        "items": (
            "Pay | P1 | We pay people on the day | Rydym yn talu ar y diwrnod\n"
            "We never pay late\n"
            "Access | A1 | Papers a week ahead"
        ),
    }
    return {**data, **changes}


# ---- The frameworks page -----------------------------------------------------------------------


def test_an_admin_sees_every_framework_with_its_items_and_may_copy_and_create(
    org_a: Organisation, admin_a: User
) -> None:
    own = _own(admin_a, org_a)
    page = staff_client(admin_a).get(LIST).content.decode()
    assert "4PI National Involvement Standards" in page
    assert escape(four_pi().items.get(code="PR1").text) in page
    assert "We pay people on the day" in page and own.title in page
    assert reverse("assessments:staff_framework_copy", args=[four_pi().pk]) in page
    assert reverse("assessments:staff_framework_new") in page
    assert reverse("assessments:staff_item_wording", args=[own.items.get().pk]) in page
    assert reverse("assessments:staff_item_wording", args=[four_pi().items.get(code="PR1").pk]) not in page


def test_a_coordinator_reads_the_frameworks_and_changes_nothing(
    org_a: Organisation, admin_a: User, coordinator_a: User
) -> None:
    own = _own(admin_a, org_a)
    client = staff_client(coordinator_a)
    page = client.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert "We pay people on the day" in text
    assert reverse("assessments:staff_framework_copy", args=[four_pi().pk]) not in text
    assert reverse("assessments:staff_item_wording", args=[own.items.get().pk]) not in text
    assert client.get(NEW).status_code == 403
    assert client.post(reverse("assessments:staff_framework_copy", args=[four_pi().pk])).status_code == 403
    item = own.items.get()
    assert client.post(reverse("assessments:staff_item_wording", args=[item.pk]), {"text": "x"}).status_code == 403
    assert Framework.objects.filter(organisation=org_a).count() == 1
    item.refresh_from_db()
    assert item.text == "We pay people on the day"


def test_members_are_refused_the_frameworks_pages(org_a: Organisation, admin_a: User) -> None:
    item = _own(admin_a, org_a).items.get()
    client = member_client(make_member(org_a))
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _good()).status_code == 403
    assert client.post(reverse("assessments:staff_framework_copy", args=[four_pi().pk])).status_code == 403
    assert client.get(reverse("assessments:staff_item_wording", args=[item.pk])).status_code == 403
    assert Framework.objects.filter(organisation=org_a).count() == 1


def test_another_organisations_admin_finds_none_of_this_ones_frameworks(
    org_a: Organisation, admin_a: User, admin_b: User
) -> None:
    own = _own(admin_a, org_a)
    item = own.items.get()
    client = staff_client(admin_b)
    assert own.title not in client.get(LIST).content.decode()
    assert client.post(reverse("assessments:staff_framework_copy", args=[own.pk])).status_code == 404
    wording = reverse("assessments:staff_item_wording", args=[item.pk])
    assert client.get(wording).status_code == 404
    assert client.post(wording, {"text": "Taken over"}).status_code == 404
    item.refresh_from_db()
    assert item.text == "We pay people on the day"
    assert not Framework.objects.filter(organisation=admin_b.memberships.get().organisation).exists()


def test_the_frameworks_page_makes_the_same_queries_however_many_frameworks(org_a: Organisation, admin_a: User) -> None:
    client = staff_client(admin_a)
    client.get(LIST)  # the session and the organisation, read once
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for n in range(3):
        _own(admin_a, org_a, name=f"Charter {n}")
        services.copy_framework(actor=admin_a, organisation=org_a, framework=four_pi())
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST)
    assert "Charter 2" in page.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


# ---- Copy to edit ------------------------------------------------------------------------------


def test_an_admin_copies_a_shipped_framework_and_rewords_the_copy_only(org_a: Organisation, admin_a: User) -> None:
    client = staff_client(admin_a)
    original = four_pi()
    response = client.post(reverse("assessments:staff_framework_copy", args=[original.pk]))
    copy = Framework.objects.get(organisation=org_a)
    assert response.status_code == 302 and response.url == f"{LIST}#framework-{copy.pk}"
    assert copy.copied_from == original and copy.items.count() == original.items.count()
    page = client.get(LIST).content.decode()
    assert "Your organisation&#x27;s copy of 4PI" in page
    item = copy.items.get(code="PR1")
    url = reverse("assessments:staff_item_wording", args=[item.pk])
    assert escape(item.text) in client.get(url).content.decode()
    refused = client.post(url, {"text": "  ", "text_cy": "Ein geiriad"})
    assert refused.status_code == 200 and "Enter the item&#x27;s wording." in refused.content.decode()
    assert "Ein geiriad" in refused.content.decode()
    done = client.post(url, {"text": "Our own wording", "text_cy": "Ein geiriad ein hunain"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.text_cy) == ("Our own wording", "Ein geiriad ein hunain")
    assert original.items.get(code="PR1").text != "Our own wording"


def test_rewording_a_shipped_original_is_refused_with_a_clear_message(org_a: Organisation, admin_a: User) -> None:
    client = staff_client(admin_a)
    item = four_pi().items.get(code="PR1")
    before = (item.text, item.text_cy)
    url = reverse("assessments:staff_item_wording", args=[item.pk])
    page = client.get(url).content.decode()
    assert "A shipped framework cannot be changed: make your organisation&#x27;s copy first." in page
    assert reverse("assessments:staff_framework_copy", args=[four_pi().pk]) in page
    refused = client.post(url, {"text": "Changed for everyone", "text_cy": ""})
    assert refused.status_code == 200
    assert "A shipped framework cannot be changed" in refused.content.decode()
    item.refresh_from_db()
    assert (item.text, item.text_cy) == before


# ---- Creating the organisation's own -----------------------------------------------------------


def test_an_admin_creates_the_organisations_own_framework_from_lines(org_a: Organisation, admin_a: User) -> None:
    client = staff_client(admin_a)
    assert "One item a line" in client.get(NEW).content.decode()
    response = client.post(NEW, _good())
    framework = Framework.objects.get(organisation=org_a)
    assert response.status_code == 302 and response.url == f"{LIST}#framework-{framework.pk}"
    assert (framework.name, framework.name_cy, framework.source) == (
        "Our members' charter",
        "Siarter ein haelodau",
        "Members' meeting, May 2025",
    )
    assert framework.description == "What members asked of us in 2025"
    assert [(s.value, s.label, s.label_cy) for s in framework.steps.all()] == [
        (0, "Not yet", "Ddim eto"),
        (1, "Partly", ""),
        (2, "Met", "Wedi'i gyflawni"),
    ]
    assert [(i.standard, i.code, i.text, i.text_cy) for i in framework.items.all()] == [
        ("Pay", "P1", "We pay people on the day", "Rydym yn talu ar y diwrnod"),
        ("Pay", "1", "We never pay late", ""),
        ("Access", "A1", "Papers a week ahead", ""),
    ]
    # It is one of the frameworks an assessment may be opened on.
    assert escape(framework.title) in client.get(reverse("assessments:staff_open")).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter the framework&#x27;s name."),
        ({"scale": "Met"}, "scale", "Give the scale at least two steps"),
        ({"scale": "No | Na | extra\nYes"}, "scale", "Line 1 of the scale has too many parts"),
        ({"items": "Pay | P1 | One\nPay | P1 | Two"}, "items", "Give each item its own code: used more than once, P1."),
        ({"items": ""}, "items", "Give the framework at least one item"),
        ({"items": "Pay | P1 | One\nP2 | Two"}, "items", "Line 2 of the items has 2 parts"),
        ({"items": "Pay |  | One"}, "items", "Give each item a code"),
        ({"items": "Pay | " + "C" * 21 + " | One"}, "items", "Keep each item&#x27;s code to 20 characters"),
    ],
)
def test_bad_frameworks_are_refused_with_what_was_typed_kept(
    org_a: Organisation, admin_a: User, changes: dict[str, str], field: str, message: str
) -> None:
    data = _good(**changes)
    response = staff_client(admin_a).post(NEW, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "error-summary" in page and f'href="#id_{field}"' in page
    assert "Siarter ein haelodau" in page and "Members&#x27; meeting, May 2025" in page
    assert not Framework.objects.filter(organisation=org_a).exists()
    assert not Item.objects.filter(framework__organisation=org_a).exists()


def test_every_problem_with_a_framework_shows_at_once(org_a: Organisation, admin_a: User) -> None:
    response = staff_client(admin_a).post(NEW, _good(name="", scale="Only one", items=""))
    page = response.content.decode()
    assert "Enter the framework&#x27;s name." in page
    assert "Give the scale at least two steps" in page
    assert "Give the framework at least one item" in page
    assert not Framework.objects.filter(organisation=org_a).exists()


# ---- The API -----------------------------------------------------------------------------------


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Our charter",
        "name_cy": "Ein siarter",
        "source": "Members, 2025",
        "scale": [{"label": "No", "label_cy": "Na"}, {"label": "Yes"}],
        "items": [
            {"standard": "Pay", "code": "C1", "wording": "We pay on the day", "wording_cy": "Talu ar y diwrnod"},
            {"standard": "Pay", "code": "C2", "wording": "We never pay late"},
        ],
    }
    return {**body, **changes}


def test_an_admin_creates_copies_and_rewords_through_the_api(org_a: Organisation, admin_a: User) -> None:
    api = api_as(admin_a, org_a, Role.ADMIN)
    created = api.post("/api/frameworks", _body())
    assert created.status_code == 201, created.content
    own = created.json()
    assert own["shipped"] is False and own["copied_from"] is None
    assert [s["label"] for s in own["scale"]] == ["No", "Yes"]
    assert [i["code"] for i in own["items"]] == ["C1", "C2"]
    copied = api.post(f"/api/frameworks/{four_pi().pk}/copy", {})
    assert copied.status_code == 201, copied.content
    copy = copied.json()
    assert copy["copied_from"] == four_pi().pk and copy["shipped"] is False
    item = next(i for i in copy["items"] if i["code"] == "PR1")
    reworded = api.post(
        f"/api/frameworks/{copy['id']}/items/{item['id']}/wording",
        {"wording": "Our own wording", "wording_cy": "Ein geiriad"},
    )
    assert reworded.status_code == 200, reworded.content
    assert reworded.json() == {
        "id": item["id"],
        "framework_id": copy["id"],
        "code": "PR1",
        "wording": "Our own wording",
        "wording_cy": "Ein geiriad",
    }
    listed = {f["id"]: f for f in api.get("/api/frameworks", {"limit": 200}).json()["items"]}
    assert {own["id"], copy["id"], four_pi().pk} <= set(listed)
    assert four_pi().items.get(code="PR1").text != "Our own wording"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"scale": [{"label": "Met"}]}, "scale"),
        ({"items": [{"code": "C1", "wording": "One"}, {"code": "C1", "wording": "Two"}]}, "items"),
        ({"items": []}, "items"),
    ],
)
def test_bad_frameworks_through_the_api_are_refused_and_nothing_is_written(
    org_a: Organisation, admin_a: User, changes: dict[str, Any], field: str
) -> None:
    body = assert_error(api_as(admin_a, org_a, Role.ADMIN).post("/api/frameworks", _body(**changes)), 422, "invalid")
    assert field in body["fields"]
    assert not Framework.objects.filter(organisation=org_a).exists()


def test_rewording_a_shipped_original_through_the_api_is_refused(org_a: Organisation, admin_a: User) -> None:
    item = four_pi().items.get(code="PR1")
    before = item.text
    body = assert_error(
        api_as(admin_a, org_a, Role.ADMIN).post(
            f"/api/frameworks/{four_pi().pk}/items/{item.pk}/wording", {"wording": "Changed for everyone"}
        ),
        422,
        "invalid",
    )
    assert "shipped framework cannot be changed" in " ".join(body["fields"]["wording"])
    item.refresh_from_db()
    assert item.text == before


def test_only_admins_tokens_change_frameworks(org_a: Organisation, admin_a: User, coordinator_a: User) -> None:
    item = _own(admin_a, org_a).items.get()
    framework_id = item.framework_id
    member = make_member(org_a)
    assert member.user is not None
    for api in (api_as(coordinator_a, org_a), api_as(member.user, org_a, Role.MEMBER)):
        assert_error(api.post("/api/frameworks", _body()), 403, "forbidden")
        assert_error(api.post(f"/api/frameworks/{four_pi().pk}/copy", {}), 403, "forbidden")
        assert_error(
            api.post(f"/api/frameworks/{framework_id}/items/{item.pk}/wording", {"wording": "x"}), 403, "forbidden"
        )
    # A coordinator reads them, as before.
    assert api_as(coordinator_a, org_a).get("/api/frameworks", {"limit": 200}).status_code == 200
    assert Framework.objects.filter(organisation=org_a).count() == 1
    item.refresh_from_db()
    assert item.text == "We pay people on the day"


def test_another_organisations_frameworks_are_not_found_through_the_api(
    org_a: Organisation, org_b: Organisation, admin_a: User, admin_b: User
) -> None:
    own = _own(admin_a, org_a)
    item = own.items.get()
    api = api_as(admin_b, org_b, Role.ADMIN)
    assert own.pk not in {f["id"] for f in api.get("/api/frameworks", {"limit": 200}).json()["items"]}
    assert_error(api.post(f"/api/frameworks/{own.pk}/copy", {}), 404, "not_found")
    assert_error(api.post(f"/api/frameworks/{own.pk}/items/{item.pk}/wording", {"wording": "x"}), 404, "not_found")
    # An item named under a framework it is not part of is not found either.
    mine = _own(admin_b, org_b)
    assert_error(
        api.post(f"/api/frameworks/{mine.pk}/items/{four_pi().items.first().pk}/wording", {"wording": "x"}),  # type: ignore[union-attr]
        404,
        "not_found",
    )
    assert not Framework.objects.filter(organisation=org_b).exclude(pk=mine.pk).exists()
    item.refresh_from_db()
    assert item.text == "We pay people on the day"
