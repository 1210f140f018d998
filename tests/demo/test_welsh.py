"""A Welsh reader of the demo sees its content in Welsh: opportunities, groups, sessions and agendas."""

from __future__ import annotations

import html
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from withus.accounts.selectors import is_staff_anywhere
from withus.meetings.models import AgendaItem, Invitation, Session, Venue
from withus.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db(transaction=True)

OPPORTUNITY_TEXTS = ["title", "purpose", "intended_outcomes", "influence", "time_commitment"]


def welsh_client() -> Client:
    client = Client()
    client.cookies["withus_language"] = "cy"
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def test_the_demos_opportunities_and_sessions_are_in_welsh_for_a_welsh_reader():
    call_command("demo", "--quiet", stdout=StringIO())
    client = welsh_client()
    board = page(client, "/opportunities/")
    opportunities = list(Opportunity.objects.filter(short_code__startswith="dm-"))
    assert len(opportunities) == 5
    for opportunity in opportunities:
        for field in OPPORTUNITY_TEXTS:
            assert getattr(opportunity, f"{field}_cy"), (opportunity.short_code, field)
        assert opportunity.title_cy in board and opportunity.title not in board
        detail = page(client, f"/opportunities/{opportunity.short_code}/")
        for field in OPPORTUNITY_TEXTS:
            assert getattr(opportunity, f"{field}_cy") in detail, (opportunity.short_code, field)
            assert getattr(opportunity, field) not in detail, (opportunity.short_code, field)
        if opportunity.group is not None:
            assert opportunity.group.name not in detail

    sessions = list(Session.objects.filter(organisation__slug="afon-health-board"))
    assert sessions and all(s.title_cy for s in sessions)
    assert all(item.title_cy for item in AgendaItem.objects.filter(session__in=sessions))
    invited = [
        i.person.user
        for i in Invitation.objects.filter(session__in=sessions, person__user__isnull=False)
        if not is_staff_anywhere(i.person.user)
    ]
    assert invited
    client.force_login(invited[0])
    mine = page(client, "/me/sessions/")
    for session in sessions:
        assert session.title_cy in mine and session.title not in mine
    venue = sessions[0].venue
    assert venue is not None and venue.name_cy in mine and venue.name not in mine


def test_running_the_demo_again_gives_an_older_demo_its_welsh():
    call_command("demo", "--quiet", stdout=StringIO())
    Opportunity.objects.update(intended_outcomes_cy="", influence_cy="", time_commitment_cy="")
    Session.objects.update(title_cy="")
    AgendaItem.objects.update(title_cy="")
    Venue.objects.update(name_cy="", notes_cy="")
    call_command("demo", "--quiet", stdout=StringIO())
    assert not Venue.objects.filter(name_cy="").exists()
    assert not Opportunity.objects.filter(influence_cy="").exists()
    assert not Session.objects.filter(title_cy="").exists()
    assert not AgendaItem.objects.filter(title_cy="").exists()
