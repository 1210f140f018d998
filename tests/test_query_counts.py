"""Every busy page costs the same few queries however much data there is (the "Scale" targets).

The national benchmark's own generator (``benchmarks/national.py``) fills the database,
then adds nine times as much again to the same organisation; each page must make the
same number of queries at both sizes, and at most 15.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import national
from tests.api.helpers import raw_token
from tests.conftest import take_second_step
from withus.accounts.models import Organisation, Role, User
from withus.meetings.models import Session
from withus.opportunities.models import Opportunity
from withus.people.models import Person

pytestmark = pytest.mark.django_db

MOST = 15
# What each page costs today: a change that adds a query to one of them fails here, and says which.
LIMITS = {
    "public board": 4,
    "board search": 4,
    "an opportunity": 5,  # with the courses it needs and when each next runs
    "RSS feed": 2,
    "people list": 9,
    "people search": 9,
    "dashboard": 13,  # with the support digest of the people the coordinator supports
    # with its briefing and meet-and-greet, who is offered them, standing declarations, and how each
    # invitation was delivered (one query for all of them)
    "session page": 14,
    "sessions list": 7,
    "approvals": 11,
    "finance batches": 7,
    "my payments": 10,
    "API people": 9,
    "API opportunities": 3,
    "API sessions": 7,
    "API claims to approve": 11,
    "API my payments": 7,
}
SMALL = 0.001  # 100 people, 1,000 attendance rows and 1,000 fee and expense lines


def staff(email: str) -> Client:
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    take_second_step(client, user)
    return client


def page_list() -> list[tuple[str, Callable[[], Any]]]:
    """(name, request) for every page the targets name: public, staff, member and API."""
    anonymous = Client()
    coordinator = staff("bench-coordinator@example.org")
    finance = staff("bench-finance@example.org")
    member_person = Person.objects.filter(user__isnull=False, income_lines__isnull=False).order_by("pk").first()
    assert member_person is not None and member_person.user is not None
    member = Client()
    member.force_login(member_person.user)
    org = Organisation.objects.get(slug="bench")
    token = raw_token(User.objects.get(email="bench-coordinator@example.org"), org, Role.COORDINATOR)
    bearer = {"Authorization": f"Bearer {token}"}
    member_token = raw_token(member_person.user, org, Role.MEMBER)
    member_bearer = {"Authorization": f"Bearer {member_token}"}
    opportunity = Opportunity.objects.filter(status="published").order_by("pk").first()
    session = Session.objects.order_by("pk").first()
    assert opportunity is not None and session is not None
    return [
        ("public board", lambda: anonymous.get("/opportunities/")),
        ("board search", lambda: anonymous.get("/opportunities/?q=panel")),
        ("an opportunity", lambda: anonymous.get(f"/opportunities/{opportunity.short_code}/")),
        ("RSS feed", lambda: anonymous.get("/opportunities/feed.rss")),
        ("people list", lambda: coordinator.get("/staff/people/")),
        ("people search", lambda: coordinator.get("/staff/people/?q=Jones&perspective=carer")),
        ("dashboard", lambda: coordinator.get("/staff/opportunities/dashboard/")),
        ("session page", lambda: coordinator.get(f"/staff/sessions/{session.pk}/")),
        ("sessions list", lambda: coordinator.get("/staff/sessions/")),
        ("approvals", lambda: coordinator.get("/staff/payments/approvals/")),
        ("finance batches", lambda: finance.get("/staff/payments/batches/")),
        ("my payments", lambda: member.get("/me/payments/")),
        ("API people", lambda: coordinator.get("/api/people?limit=50", headers=bearer)),
        ("API opportunities", lambda: anonymous.get("/api/opportunities?limit=50")),
        ("API sessions", lambda: coordinator.get("/api/sessions?limit=50", headers=bearer)),
        ("API claims to approve", lambda: coordinator.get("/api/staff/claims?limit=50", headers=bearer)),
        ("API my payments", lambda: member.get("/api/me/payments", headers=member_bearer)),
    ]


def counts() -> dict[str, int]:
    found = {}
    for name, request in page_list():
        request()  # the first request warms what is read once per process (content types, site)
        caches["public-pages"].clear()  # public pages are kept for visitors: count the work of making them
        with CaptureQueriesContext(connection) as captured:
            response = request()
        assert response.status_code == 200, (name, response.status_code, response.content[:300])
        found[name] = len(captured.captured_queries)
    return found


def test_every_busy_page_makes_the_same_few_queries_with_ten_times_the_data() -> None:
    national.build(SMALL, log=lambda _line: None)
    small = counts()
    national.build(SMALL * 9, log=lambda _line: None, run=1)
    large = counts()
    grew = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    too_many = {name: count for name, count in large.items() if count > min(MOST, LIMITS[name])}
    assert set(large) == set(LIMITS)
    assert grew == {} and too_many == {}
