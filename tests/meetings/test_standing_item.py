"""The standing agenda item on involvement is in each reader's language, whoever planned the session."""

from __future__ import annotations

import html
import importlib

import pytest
from django.apps import apps
from django.utils import translation

from tests.conftest import staff_client
from tests.meetings.test_services import plan
from withus.meetings import calendar
from withus.meetings.models import AgendaItem

pytestmark = pytest.mark.django_db

ENGLISH = "Involvement: what people with lived experience said, and what is being done about it"
WELSH = "Cyfranogiad: beth ddywedodd pobl sydd â phrofiad bywyd, a beth sy'n cael ei wneud am hynny"


@pytest.mark.parametrize("planned_in", ["en", "cy"])
def test_the_standing_item_reads_in_the_readers_language(org_a, coordinator_a, planned_in):
    with translation.override(planned_in):
        session = plan(org_a, coordinator_a)
    item = session.agenda.get(about_involvement=True)
    assert (item.title, item.title_cy) == (ENGLISH, WELSH)

    client = staff_client(coordinator_a)
    assert ENGLISH in html.unescape(client.get(f"/staff/sessions/{session.pk}/").content.decode())
    client.cookies["withus_language"] = "cy"
    page = html.unescape(client.get(f"/staff/sessions/{session.pk}/").content.decode())
    assert WELSH in page and ENGLISH not in page
    assert "Welcome" in page  # what the coordinator typed is shown as typed


def test_the_calendar_and_the_api_carry_it_in_both_languages(org_a, coordinator_a):
    from tests.api.helpers import api_as

    session = plan(org_a, coordinator_a)
    with translation.override("cy"):
        assert WELSH in calendar.session_description(session)
    with translation.override("en"):
        assert ENGLISH in calendar.session_description(session)
    body = api_as(coordinator_a, org_a).get(f"/api/sessions/{session.pk}").json()
    standing = [item for item in body["agenda"] if item["about_involvement"]]
    assert [(i["title"], i["title_cy"]) for i in standing] == [(ENGLISH, WELSH)]


def test_items_planned_before_have_both_languages_after_the_migration(org_a, coordinator_a):
    session = plan(org_a, coordinator_a)
    AgendaItem.objects.filter(session=session, about_involvement=True).update(title=WELSH, title_cy="")
    typed = AgendaItem.objects.get(session=session, about_involvement=False)
    migration = importlib.import_module("withus.meetings.migrations.0004_standing_item_in_welsh")
    migration.both_languages(apps, None)
    item = AgendaItem.objects.get(session=session, about_involvement=True)
    assert (item.title, item.title_cy) == (ENGLISH, WELSH)
    typed.refresh_from_db()
    assert (typed.title, typed.title_cy) == ("Welcome", "")


def test_a_venue_reads_in_the_readers_language_with_its_notes(org_a, coordinator_a):
    from tests.meetings.factories import make_venue

    venue = make_venue(org_a, name="Riverside hall", name_cy="Neuadd Glan yr Afon", notes="Lift at the back.")
    venue.notes_cy = "Lifft yn y cefn."
    venue.save()
    session = plan(org_a, coordinator_a, venue=venue)
    with translation.override("cy"):
        assert str(venue) == "Neuadd Glan yr Afon" and venue.notes_shown == "Lifft yn y cefn."
        described = calendar.session_description(session)
        assert "Neuadd Glan yr Afon" in described and "Lifft yn y cefn." in described
    with translation.override("en"):
        assert "Riverside hall" in calendar.session_description(session)
    client = staff_client(coordinator_a)
    client.cookies["withus_language"] = "cy"
    page = html.unescape(client.get("/staff/sessions/venues/").content.decode())
    assert "Neuadd Glan yr Afon" in page and 'name="name_cy"' in page and 'name="notes_cy"' in page
