"""Build a national installation's worth of data, in bulk, for the benchmarks.

    .venv/bin/python benchmarks/national.py --scale 1        # into var/ (SQLite) or DATABASE_URL
    WITHUS_VAR_DIR=/tmp/nat .venv/bin/python benchmarks/national.py --scale 0.1

At ``--scale 1`` (the national scale of the "Scale" issue): 100,000 people, 3,000
opportunities, 10,000 sessions, 1,000,000 attendance rows and 1,000,000 fee and expense
lines, with the consents, tags, groups, appointments, budgets, payment batches and
benefit declarations that make the pages do real work. Rows go in with ``bulk_create``
in chunks (never the services one by one), so memory stays flat and it takes minutes.
The data is the same for the same ``--seed``. The database must be empty (migrated).

Staff who sign in to it (password ``bench-password-1``, two-step secret ``BENCH_TOTP``):
``bench-coordinator@example.org`` (coordinator and budget holder), ``bench-finance@example.org``
(finance); members are ``member-N@bench.invalid``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

NATIONAL = {
    "people": 100_000,
    "opportunities": 3_000,
    "sessions": 10_000,
    "attendance": 1_000_000,
    "lines": 1_000_000,
}
PASSWORD = "bench-password-1"
BENCH_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CHUNK = 5_000


def sizes(scale: float) -> dict[str, int]:
    return {name: max(1, int(count * scale)) for name, count in NATIONAL.items()}


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withus.settings")
    import django

    django.setup()


def chunks(total: int, make: Callable[[int], Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for i in range(total):
        batch.append(make(i))
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(model: Any, rows: Iterator[dict[str, Any]]) -> int:
    """Insert rows (field name -> value) straight into ``model``'s table, a chunk at a time.

    For the two tables of a million rows: no model instances, every other column its
    default, each value prepared for the database by its own field.
    """
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields]
    index = {f.attname: i for i, f in enumerate(fields)}
    prepare = {f.attname: _preparer(f, connection) for f in fields}
    count = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            values = list(defaults)
            for name, value in row.items():
                values[index[name]] = prepare[name](value)
            batch.append(tuple(values))
            if len(batch) == CHUNK:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _preparer(field: Any, connection: Any) -> Callable[[Any], Any]:
    """How a value of ``field`` goes to the database, without the field's per-value machinery."""
    from django.db import models

    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else connection.ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else connection.ops.adapt_datefield_value(v)
    if isinstance(field, models.DecimalField):
        return lambda v: connection.ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    return lambda v: v


def build(scale: float, seed: int = 1, *, log: Callable[[str], None] = print, run: int = 0) -> dict[str, int]:
    """Fill the migrated database; returns how many rows of each kind went in.

    Called again with another ``run``, it adds as much again to the same organisation
    (the query-count tests grow the data tenfold this way).
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from withus.accounts.models import Membership, Organisation, User
    from withus.groups.models import Appointment, Group
    from withus.meetings.models import Attendance, Invitation, Session, Venue
    from withus.opportunities.models import Application, Opportunity
    from withus.people.models import ConsentRecord, Person, Tag
    from withus.rewards.models import Budget, IncomeLine, PaymentBatch

    n = sizes(scale)
    rng = random.Random(seed)
    started = time.perf_counter()

    def step(what: str) -> None:
        log(f"{time.perf_counter() - started:7.1f}s  {what}")

    password = make_password(PASSWORD)
    with transaction.atomic():
        org, made = Organisation.objects.get_or_create(slug="bench", defaults={"name": "Bench Health Board"})
        Organisation.objects.get_or_create(slug="bench-forum", defaults={"name": "Bench Carers Forum"})
        coordinator, _new = User.objects.get_or_create(
            email="bench-coordinator@example.org", defaults={"password": password}
        )
        finance, _new = User.objects.get_or_create(email="bench-finance@example.org", defaults={"password": password})
        if made:
            for user, roles in ((coordinator, ["coordinator", "budget_holder"]), (finance, ["admin"])):
                EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
                for role in roles:
                    Membership.objects.create(user=user, organisation=org, role=role)
                TOTP.activate(user, BENCH_TOTP)
    step("organisations and staff")

    # Members: one in ten signs in (has an account); everyone shares with the board.
    tags = list(Tag.objects.all())
    areas = ["cardiff", "swansea", "newport", "gwynedd", "powys", "wrexham"]
    first_person = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    accounts = max(1, n["people"] // 10)
    for batch in chunks(
        accounts, lambda i: User(email=f"member-{run}-{i}@bench.invalid", password=password, is_active=True)
    ):
        User.objects.bulk_create(batch)
    users = list(
        User.objects.filter(email__startswith=f"member-{run}-", email__endswith="@bench.invalid")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for batch in chunks(
        n["people"],
        lambda i: Person(
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
            email=f"member-{run}-{i}@bench.invalid",
            user_id=users[i] if i < accounts else None,
            perspective=rng.choice(["service_user", "carer", "both"]),
            needs_step_free=rng.random() < 0.2,
            local_authority=rng.choice(areas),
            status="active" if rng.random() < 0.9 else "stepped_out",
        ),
    ):
        Person.objects.bulk_create(batch)
    people = list(Person.objects.filter(pk__gt=first_person).order_by("pk").values_list("pk", flat=True))
    for batch in chunks(accounts, lambda i: Membership(user_id=users[i], organisation_id=org.pk, role="member")):
        Membership.objects.bulk_create(batch)
    for batch in chunks(
        len(people),
        lambda i: ConsentRecord(person_id=people[i], purpose="share_with_organisation", organisation_id=org.pk),
    ):
        ConsentRecord.objects.bulk_create(batch)
    through = Person.tags.through
    if tags:
        for batch in chunks(
            len(people) * 4, lambda i: through(person_id=people[i // 4], tag_id=tags[(i * 7 + i // 4) % len(tags)].pk)
        ):
            through.objects.bulk_create(batch, ignore_conflicts=True)
    step(f"{len(people)} people, {accounts} accounts, consents and tags")

    today = timezone.localdate()
    for batch in chunks(
        n["opportunities"],
        lambda i: Opportunity(
            organisation_id=org.pk,
            contact_id=coordinator.pk,
            title=f"{rng.choice(TOPICS)} panel {i}",
            purpose="To hear from people who use the service.",
            level=rng.randint(1, 5),
            intended_outcomes="A better service",
            influence="The board decides with what we hear",
            application_process="none",
            time_commitment="Two hours",
            places=rng.randint(1, 8),
            where="operational",
            role_offered="representative",
            status="closed" if i % 3 == 2 else "published",
            closes_on=today + timedelta(days=rng.randint(-60, 90)),
            short_code=f"n{run}x{i:06d}",
            location=rng.choice(["online", "in_person", "both"]),
        ),
    ):
        Opportunity.objects.bulk_create(batch)
    opportunities = list(
        Opportunity.objects.filter(organisation=org, short_code__startswith=f"n{run}x").values_list("pk", flat=True)
    )
    for batch in chunks(
        min(len(people), len(opportunities) * 10),
        lambda i: Application(opportunity_id=opportunities[i % len(opportunities)], person_id=people[i]),
    ):
        Application.objects.bulk_create(batch, ignore_conflicts=True)
    step(f"{len(opportunities)} opportunities with applications")

    venue, _new = Venue.objects.get_or_create(
        organisation=org,
        name="Hall",
        defaults={
            "address": "1 Road",
            "step_free": "yes",
            "public_transport": "yes",
            "parking": "yes",
            "hearing_loop": "yes",
        },
    )
    now = timezone.now()
    first = now - timedelta(days=n["sessions"] // 4)
    for batch in chunks(
        n["sessions"],
        lambda i: Session(
            organisation_id=org.pk,
            title=f"{rng.choice(TOPICS)} meeting {i}",
            starts_at=first + timedelta(hours=6 * i),
            ends_at=first + timedelta(hours=6 * i + 2),
            venue_id=venue.pk,
            contact_id=coordinator.pk,
            check_in_code=f"C{run}x{i:05d}",
        ),
    ):
        Session.objects.bulk_create(batch)
    sessions = list(
        Session.objects.filter(organisation=org, check_in_code__startswith=f"C{run}x")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    per_session = max(1, n["attendance"] // len(sessions))

    def attendance() -> Iterator[dict[str, Any]]:
        for session in sessions:
            # Distinct people within a session: a stride through the register from the session's own start.
            start = session * 7919
            for k in range(min(per_session, len(people))):
                person = people[(start + k) % len(people)]
                yield {"session_id": session, "person_id": person, "status": "attended", "minutes_present": 120}

    with transaction.atomic():
        insert(Attendance, attendance())
    upcoming = list(Session.objects.filter(pk__in=sessions, starts_at__gt=now).order_by("starts_at")[:20])
    for session in upcoming:
        Invitation.objects.bulk_create(
            [Invitation(session=session, person_id=p) for p in rng.sample(people, min(40, len(people)))],
            ignore_conflicts=True,
        )
    step(f"{len(sessions)} sessions, {Attendance.objects.count()} attendance rows")

    groups = [Group.objects.get_or_create(organisation=org, name=f"{topic} group")[0] for topic in TOPICS]
    for batch in chunks(
        min(len(people), 2_000 * max(1, int(scale * 10)) // 10),
        lambda i: Appointment(
            person_id=people[i],
            group_id=groups[i % len(groups)].pk,
            term_start=today - timedelta(days=700),
            planned_end=today + timedelta(days=(i % 120) - 10),
        ),
    ):
        Appointment.objects.bulk_create(batch)
    step("groups and appointments")

    budgets = [
        Budget.objects.get_or_create(
            organisation=org, name=f"Budget {i}", defaults={"allocation": Decimal("1000000.00"), "holder": coordinator}
        )[0]
        for i in range(10)
    ]
    per_batch = 5_000
    batch_count = max(1, n["lines"] // per_batch)
    known = set(PaymentBatch.objects.filter(organisation=org).values_list("pk", flat=True))
    PaymentBatch.objects.bulk_create(
        [
            PaymentBatch(
                organisation=org,
                method="bank_transfer",
                status="paid",
                created_by=finance,
                exported_at=now - timedelta(days=batch_count - b),
                paid_at=now - timedelta(days=batch_count - b),
                paid_by=finance,
            )
            for b in range(batch_count)
        ]
    )
    batches = [
        pk
        for pk in PaymentBatch.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True)
        if pk not in known
    ]
    day0 = today - timedelta(days=365 * 3)

    def line(i: int) -> dict[str, Any]:
        person = people[(i * 31) % len(people)]
        kind = "fee" if i % 3 else "expense"
        activity = day0 + timedelta(days=(i * 365 * 3) // max(1, n["lines"]))
        state = i % 100
        paid = state < 96
        status = "paid" if paid else ("approved" if state < 98 else "submitted")
        return {
            "person_id": person,
            "organisation_id": org.pk,
            "kind": kind,
            "description": "Meeting time 2 h" if kind == "fee" else "Bus fare",
            "amount": Decimal("30.00") if kind == "fee" else Decimal("4.60"),
            "hours": Decimal("2.00") if kind == "fee" else Decimal("0.00"),
            "activity_date": activity,
            "status": status,
            "method": "bank_transfer",
            "budget_id": budgets[i % len(budgets)].pk,
            "expense_category": "" if kind == "fee" else "public_transport",
            "submitted_at": datetime.combine(activity, datetime.min.time(), tzinfo=now.tzinfo),
            "batch_id": batches[min(i // per_batch, len(batches) - 1)] if paid else None,
            "paid_at": datetime.combine(activity + timedelta(days=14), datetime.min.time(), tzinfo=now.tzinfo)
            if paid
            else None,
        }

    with transaction.atomic():
        insert(IncomeLine, (line(i) for i in range(n["lines"])))
    from django.db.models import Count, Sum

    for row in (
        IncomeLine.objects.filter(batch__in=batches).values("batch").annotate(n=Count("pk"), total=Sum("amount"))
    ):
        PaymentBatch.objects.filter(pk=row["batch"]).update(line_count=row["n"], line_total=row["total"])
    step(f"{n['lines']} fee and expense lines in {len(batches)} payment batches")

    from withus.rewards.models import BenefitDeclaration

    # One in ten, among them everyone whose claims wait for approval (the lines of index 98 in each 100).
    declared = people[8::10] or people[:1]
    for batch in chunks(
        len(declared),
        lambda i: BenefitDeclaration(
            person_id=declared[i], benefit="esa_permitted_work" if i % 2 else "universal_credit", assessment_day=5
        ),
    ):
        made = BenefitDeclaration.objects.bulk_create(batch)
        BenefitDeclaration.share_with.through.objects.bulk_create(
            [BenefitDeclaration.share_with.through(benefitdeclaration_id=d.pk, organisation_id=org.pk) for d in made]
        )
    step(f"{len(declared)} benefit declarations")
    return {**n, "accounts": accounts}


FIRST = ["Alaw", "Bedwyr", "Catrin", "Dafydd", "Elin", "Ffion", "Gareth", "Heledd", "Iwan", "Jac", "Lowri", "Morgan"]
LAST = ["Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths"]
TOPICS = ["Crisis care", "Carers", "Inpatient", "Community", "Recovery", "Youth", "Housing", "Employment"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale; 0.1 = a tenth of it")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    made = build(args.scale, args.seed)
    print(", ".join(f"{k}={v}" for k, v in made.items()))


if __name__ == "__main__":
    main()
