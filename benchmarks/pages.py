"""Time the busiest pages on a large register, in a throw-away SQLite database.

    .venv/bin/python benchmarks/pages.py [--people 2000] [--opportunities 300] [--sessions 200]

Builds an organisation with that many people (with tags), opportunities and
sessions, then requests each page 20 times through Django's test client and
prints the median and 95th percentile in milliseconds, with the number of
database queries (which the tests hold constant as data grows). Timings are
reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--opportunities", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="withus-bench-"))
    os.environ["WITHUS_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withus.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed(args)

    from withus.accounts.models import User

    coordinator = User.objects.get(email="bench-coordinator@example.org")
    staff = Client()
    staff.force_login(coordinator)
    session = staff.session
    session["withus_mfa_ok"] = True
    session.save()
    anonymous = Client()
    from withus.meetings.models import Session

    first_session = Session.objects.order_by("pk").first()
    pages = [
        ("public board", anonymous, "/opportunities/"),
        ("board search", anonymous, "/opportunities/?q=panel&location=online"),
        ("people list", staff, "/staff/people/"),
        ("people filtered", staff, "/staff/people/?perspective=carer&need=step_free"),
        ("opportunities (staff)", staff, "/staff/opportunities/"),
        ("dashboard", staff, "/staff/opportunities/dashboard/"),
        ("session page", staff, f"/staff/sessions/{first_session.pk}/"),
        ("RSS feed", anonymous, "/opportunities/feed.rss"),
        ("API people", None, "/api/people?limit=50"),
    ]
    from withus.accounts.models import Organisation
    from withus.accounts.services import issue_api_token

    _token, raw = issue_api_token(
        user=coordinator, organisation=Organisation.objects.get(slug="bench"), role="coordinator", name="bench"
    )
    print(f"{'page':24} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, client, url in pages:
        timings = []
        queries = 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if client is None else {}
                response = (client or anonymous).get(url, **headers)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured.captured_queries)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{name:24} {statistics.median(timings):10.1f} {p95:8.1f} {queries:8d}")
    print(
        f"(people={args.people}, opportunities={args.opportunities}, sessions={args.sessions}, "
        f"database={connection.vendor})"
    )


def seed(args: argparse.Namespace) -> None:
    import random
    from datetime import timedelta

    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from withus.accounts.models import Membership, Organisation, User
    from withus.meetings.models import Invitation, Session, Venue
    from withus.opportunities.models import Opportunity
    from withus.people.models import ConsentRecord, Person, Tag

    rng = random.Random(1)
    org = Organisation.objects.create(name="Bench Health Board", slug="bench")
    coordinator = User.objects.create_user(email="bench-coordinator@example.org", password="x" * 12)
    Membership.objects.create(user=coordinator, organisation=org, role="coordinator")
    TOTP.activate(coordinator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    tags = list(Tag.objects.all())
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Person {i}",
                perspective=rng.choice(["service_user", "carer", "both"]),
                needs_step_free=rng.random() < 0.2,
                local_authority="cardiff",
            )
            for i in range(args.people)
        ]
    )
    ConsentRecord.objects.bulk_create(
        [ConsentRecord(person=p, purpose="share_with_organisation", organisation=org) for p in people]
    )
    through = Person.tags.through
    through.objects.bulk_create([through(person_id=p.pk, tag_id=t.pk) for p in people for t in rng.sample(tags, 4)])
    today = timezone.localdate()
    Opportunity.objects.bulk_create(
        [
            Opportunity(
                organisation=org,
                contact=coordinator,
                title=f"Panel {i}",
                purpose="Purpose",
                level=4,
                intended_outcomes="Outcomes",
                influence="Influence",
                application_process="none",
                time_commitment="A day",
                places=2,
                where="operational",
                role_offered="representative",
                status="published",
                closes_on=today + timedelta(days=30),
                short_code=f"b{i:05d}",
                location=rng.choice(["online", "in_person", "both"]),
            )
            for i in range(args.opportunities)
        ]
    )
    venue = Venue.objects.create(
        organisation=org,
        name="Hall",
        address="1 Road",
        step_free="yes",
        public_transport="yes",
        parking="yes",
        hearing_loop="yes",
    )
    start = timezone.now() + timedelta(days=20)
    sessions = Session.objects.bulk_create(
        [
            Session(
                organisation=org,
                title=f"Meeting {i}",
                starts_at=start + timedelta(days=i),
                ends_at=start + timedelta(days=i, hours=2),
                venue=venue,
                contact=coordinator,
                check_in_code="X",
            )
            for i in range(args.sessions)
        ]
    )
    Invitation.objects.bulk_create([Invitation(session=sessions[0], person=p) for p in people[:40]])


if __name__ == "__main__":
    main()
