"""Error pages (403, 404, 500) are in the reader's language and in the site's layout, never a bare "403 Forbidden"."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from tests.conftest import make_member, member_client

pytestmark = pytest.mark.django_db

PAGES = {
    "en": {
        404: ("Page not found", "If you typed the web address, check it is correct."),
        403: ("You cannot open this page", "ask the coordinator or the administrator of your organisation"),
        500: ("Sorry, there is a problem with the service", "Please try again later."),
    },
    "cy": {
        404: ("Heb ddod o hyd i'r dudalen", "Os gwnaethoch deipio'r cyfeiriad gwe, gwiriwch ei fod yn gywir."),
        403: ("Does dim modd i chi agor y dudalen hon", "gofynnwch i gydlynydd neu weinyddwr eich sefydliad"),
        500: ("Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth", "Rhowch gynnig arall arni yn nes ymlaen."),
    },
}
FOOTER = {"en": "WithUs: nothing about us, without us.", "cy": "WithUs: dim byd amdanom ni, hebom ni."}
SKIP = {"en": "Skip to main content", "cy": "Neidio i'r prif gynnwys"}
BARE = ["Not Found", "Forbidden", "Server Error", "Bad Request"]


def in_language(client: Client, language: str) -> Client:
    client.cookies["withus_language"] = language
    return client


def check(response, language: str, status: int) -> str:
    assert response.status_code == status
    page = html.unescape(response.content.decode())
    heading, words = PAGES[language][status]
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page and f"<title>{heading} – WithUs</title>" in page
    assert words in page
    assert '<header class="header">' in page and FOOTER[language] in page and SKIP[language] in page
    for bare in BARE:
        assert bare not in page
    other = "cy" if language == "en" else "en"
    assert PAGES[other][status][0] not in page
    return page


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_page_that_is_not_there(client, language):
    page = check(in_language(client, language).get("/no-such-page/"), language, 404)
    assert 'class="header__nav"' in page  # the menu, as on every page


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_page_the_reader_may_not_open(org_a, language):
    member, other = make_member(org_a), make_member(org_a)
    client = in_language(member_client(member), language)
    page = check(client.get(f"/staff/people/{other.pk}/offer/"), language, 403)
    assert 'class="header__nav"' in page


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_server_error(settings, language):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    client = in_language(Client(raise_request_exception=False), language)
    check(client.get("/broken/"), language, 500)


def test_the_server_error_page_cannot_fail_itself(settings, monkeypatch):
    """Even when the template cannot be rendered, the answer is a page, not a second error."""
    from withus.core import errors

    def broken_template(name: str) -> None:
        raise RuntimeError("the templates are what broke")

    monkeypatch.setattr(errors.loader, "get_template", broken_template)
    settings.ROOT_URLCONF = "tests.core.error_urls"
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_form_sent_without_its_security_token():
    client = Client(enforce_csrf_checks=True)
    client.cookies["withus_language"] = "cy"
    response = client.post("/accounts/login/", {"login": "someone@example.org", "password": "x"})
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "<h1>Doedd dim modd anfon eich ffurflen</h1>" in page and FOOTER["cy"] in page
    assert "Forbidden" not in page and "CSRF" not in page
