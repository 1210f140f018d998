"""Public pages are one shared copy for visitors without a session, and a change shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_member, member_client
from tests.opportunities.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache, caches

    cache.clear()
    caches["public-pages"].clear()


def test_the_board_is_kept_and_a_published_change_shows_at_once(org_a) -> None:
    opportunity = OpportunityFactory(organisation=org_a, title="Crisis care panel")
    visitor = Client()
    assert "Crisis care panel" in visitor.get("/opportunities/").content.decode()
    with CaptureQueriesContext(connection) as kept:
        again = visitor.get("/opportunities/")
    assert "Crisis care panel" in again.content.decode()
    assert len(kept.captured_queries) == 1  # the shared version number

    opportunity.title = "Carers' panel"
    opportunity.save()
    assert "Carers&#x27; panel" in Client().get("/opportunities/").content.decode()


def test_each_language_and_query_is_kept_apart(org_a) -> None:
    OpportunityFactory(organisation=org_a, title="Crisis care panel")
    english = Client().get("/opportunities/").content.decode()
    welsh = Client(headers={"accept-language": "cy"}).get("/opportunities/", HTTP_ACCEPT_LANGUAGE="cy")
    assert 'lang="cy"' in welsh.content.decode() and 'lang="en"' in english
    assert "Crisis" not in Client().get("/opportunities/?q=housing").content.decode().split("<main")[1]


def test_someone_signed_in_gets_their_own_page(org_a) -> None:
    opportunity = OpportunityFactory(organisation=org_a, title="Crisis care panel")
    Client().get(f"/opportunities/{opportunity.short_code}/")  # kept for visitors
    member = make_member(org_a)
    page = member_client(member).get(f"/opportunities/{opportunity.short_code}/").content.decode()
    assert "Sign out" in page


def test_the_language_can_be_changed_from_a_kept_page(org_a) -> None:
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/opportunities/")
    response = visitor.post("/i18n/setlang/", {"language": "cy", "next": "/opportunities/"})
    assert response.status_code == 302
    assert response.cookies["withus_language"].value == "cy"


def test_a_visitor_with_a_message_waiting_gets_a_page_made_for_them(org_a) -> None:
    OpportunityFactory(organisation=org_a, title="Crisis care panel")
    Client().get("/opportunities/")  # kept
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    with CaptureQueriesContext(connection) as made:
        visitor.get("/opportunities/")
    assert len(made.captured_queries) > 1
