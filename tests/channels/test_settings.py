"""The GOV.UK Notify settings: the admin's page and the API, which never show the key back, say in plain
words what Notify refused, and are the organisation's own admin's alone."""

from __future__ import annotations

import json

import pytest

from tests.api.helpers import api_as
from tests.channels.fake_notify import API_KEY, EMAIL_TEMPLATE, SECRET, TEXT_TEMPLATE, WRONG_KEY, FakeNotify
from tests.conftest import staff_client
from withus.accounts.models import Role
from withus.channels.models import NotifySettings

pytestmark = pytest.mark.django_db
PAGE = "/staff/organisation/notify/"
API = "/api/organisation/notify"


def form(**fields: object) -> dict[str, object]:
    values: dict[str, object] = {"enabled": "on", "text_template_id": TEXT_TEMPLATE, "email_template_id": ""}
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


def test_an_admin_sets_up_notify_and_the_key_is_never_shown_back(org_a, admin_a, fake_notify: FakeNotify):
    client = staff_client(admin_a)
    page = client.get(PAGE).content.decode()
    assert "((body))" in page and "((subject))" in page and "No API key is saved yet." in page

    response = client.post(PAGE, form(api_key=API_KEY, callback_token="a-long-callback-token"))
    assert response.status_code == 302
    saved = NotifySettings.objects.get(organisation=org_a)
    assert saved.enabled and saved.api_key == API_KEY and saved.text_template_id == TEXT_TEMPLATE

    page = client.get(PAGE).content.decode()
    assert SECRET not in page and API_KEY not in page and "a-long-callback-token" not in page
    assert f"ending {API_KEY[-4:]}" in page

    # Saving again without typing the key keeps it.
    assert client.post(PAGE, form(send_letters="on")).status_code == 302
    saved.refresh_from_db()
    assert saved.api_key == API_KEY and saved.send_letters


def test_a_wrong_key_is_shown_to_the_admin_in_plain_words(org_a, admin_a, fake_notify: FakeNotify):
    client = staff_client(admin_a)
    response = client.post(PAGE, form(api_key=WRONG_KEY))
    page = response.content.decode()
    assert response.status_code == 400
    assert "GOV.UK Notify did not accept the API key" in page
    assert TEXT_TEMPLATE in page  # what was typed is kept
    assert not NotifySettings.objects.filter(organisation=org_a).exists()

    response = client.post(PAGE, form(api_key="not a key"))
    assert "Enter the whole API key" in response.content.decode()


def test_a_missing_template_is_shown_to_the_admin(org_a, admin_a, fake_notify: FakeNotify):
    response = staff_client(admin_a).post(
        PAGE, form(api_key=API_KEY, text_template_id="00000000-0000-4000-8000-000000000000")
    )
    assert response.status_code == 400
    assert "GOV.UK Notify has no template with this ID" in response.content.decode()


def test_the_test_text_says_what_notify_answered(org_a, admin_a, notify_a, fake_notify: FakeNotify):
    client = staff_client(admin_a)
    response = client.post(f"{PAGE}test-text/", {"test-phone_number": "07700 900456"}, follow=True)
    assert "accepted the test text" in response.content.decode()
    assert fake_notify.of_type("sms")[0]["phone_number"] == "07700 900456"

    NotifySettings.objects.filter(pk=notify_a.pk).update(api_key=WRONG_KEY)
    response = client.post(f"{PAGE}test-text/", {"test-phone_number": "07700 900456"})
    assert response.status_code == 400
    assert "did not accept the API key" in response.content.decode()

    response = client.post(f"{PAGE}test-text/", {"test-phone_number": ""})
    assert "Enter the mobile number" in response.content.decode()


def test_only_admins_open_the_page(org_a, coordinator_a, admin_b, notify_a):
    assert staff_client(coordinator_a).get(PAGE).status_code == 403
    # Another organisation's admin sees and changes only their own organisation's settings.
    client = staff_client(admin_b)
    page = client.get(PAGE).content.decode()
    assert "No API key is saved yet." in page and API_KEY[-4:] not in page
    client.post(PAGE, form(enabled=None, text_template_id=""))
    notify_a.refresh_from_db()
    assert notify_a.enabled and notify_a.text_template_id == TEXT_TEMPLATE


def test_the_api_never_returns_the_key(org_a, admin_a, notify_a, fake_notify: FakeNotify):
    api = api_as(admin_a, org_a, Role.ADMIN)
    body = api.get(API).json()
    assert body["api_key_saved"] is True and body["api_key_ends_with"] == API_KEY[-4:]
    assert SECRET not in json.dumps(body) and "callback-token" not in json.dumps(body)

    change = {
        "enabled": True,
        "text_template_id": TEXT_TEMPLATE,
        "email_template_id": EMAIL_TEMPLATE,
        "send_email": True,
    }
    response = api.client.put(API, json.dumps(change), content_type="application/json", headers=api.headers)
    assert response.status_code == 200, response.content
    assert response.json()["send_email"] is True and SECRET not in response.content.decode()
    notify_a.refresh_from_db()
    assert notify_a.api_key == API_KEY and notify_a.send_email

    wrong = {**change, "api_key": WRONG_KEY}
    response = api.client.put(API, json.dumps(wrong), content_type="application/json", headers=api.headers)
    assert response.status_code == 422
    assert "did not accept the API key" in response.content.decode()


def test_the_api_is_for_the_organisations_admins_only(org_a, org_b, coordinator_a, admin_b, notify_a):
    assert api_as(coordinator_a, org_a).get(API).status_code == 403
    body = api_as(admin_b, org_b, Role.ADMIN).get(API).json()
    assert body["api_key_saved"] is False and body["text_template_id"] == ""
