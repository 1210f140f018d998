"""Time the benefits guard per person on the national data, one person at a time and batched.

    WITHUS_VAR_DIR=/tmp/nat .venv/bin/python benchmarks/guard.py [--people 2000] [--page 25]
    DATABASE_URL=postgres://USER@HOST:PORT/withus_nat .venv/bin/python benchmarks/guard.py

Reads a database that ``benchmarks/national.py`` has filled (it changes nothing). Takes
``--people`` of the people with a benefit declaration shared with the bench organisation,
and the claims waiting for approval, and times:

- **one at a time**: ``guard(person, viewer_organisation=...)`` for each person, and
  ``guard_before_approval([claim], ...)`` for each claim, as a page showing one would;
- **batched**: ``guard_people`` and ``guard_before_approval`` for a page of ``--page``
  at a time (the approvals page shows 25), and for all of them in one call.

It prints, per way, the median and 95th percentile of the time per person (or claim)
in milliseconds, and the queries per call. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national import setup_django


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def timed(calls: Sequence[tuple[int, Callable[[], Any]]]) -> tuple[list[float], int]:
    """Per-item milliseconds for each call (its time over the items it covers), and the queries of the last call."""
    from django.db import connection

    per_item = []
    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    for items, call in calls:
        queries = 0
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            call()
            elapsed = (time.perf_counter() - started) * 1000
        per_item.append(elapsed / items)
    return per_item, queries


def pages(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000, help="how many declared people (and waiting claims)")
    parser.add_argument("--page", type=int, default=25, help="how many the batched selector reads in one call")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the whole set (the first warms up)")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from withus.accounts.models import Organisation
    from withus.people.models import Person
    from withus.rewards.finance import selectors as finance_selectors
    from withus.rewards.guard import selectors
    from withus.rewards.models import BenefitDeclaration

    org = Organisation.objects.get(slug="bench")
    declared = (
        BenefitDeclaration.objects.filter(ended_at__isnull=True, share_with=org)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    ids = list(declared[: args.people])
    people = list(Person.objects.filter(pk__in=ids).order_by("pk"))
    claims = list(finance_selectors.waiting_for_approval(org)[: args.people])
    if not people or not claims:
        raise SystemExit("No declared people or waiting claims: build the data with benchmarks/national.py first.")

    ways: list[tuple[str, list[tuple[int, Callable[[], Any]]]]] = [
        (
            "guard, one person at a time",
            [(1, lambda p=p: selectors.guard(p, viewer_organisation=org)) for p in people],
        ),
        (
            f"guard_people, {args.page} a call",
            [
                (len(page), lambda page=page: selectors.guard_people(page, viewer_organisation=org))
                for page in pages(ids, args.page)
            ],
        ),
        (
            f"guard_people, all {len(ids)} in one call",
            [(len(ids), lambda: selectors.guard_people(ids, viewer_organisation=org))],
        ),
        (
            "claim's guard, one at a time",
            [(1, lambda c=c: finance_selectors.guard_before_approval([c], org)) for c in claims],
        ),
        (
            f"claims' guard, {args.page} a call",
            [
                (len(page), lambda page=page: finance_selectors.guard_before_approval(page, org))
                for page in pages(claims, args.page)
            ],
        ),
        (
            f"claims' guard, all {len(claims)} in one call",
            [(len(claims), lambda: finance_selectors.guard_before_approval(claims, org))],
        ),
    ]
    print(f"{'way':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}   (per person or claim)")
    for name, calls in ways:
        per_item: list[float] = []
        queries = 0
        for round_ in range(max(2, args.repeat)):
            found, queries = timed(calls)
            if round_:  # the first round warms caches (translations, the database's pages)
                per_item.extend(found)
        print(f"{name:40} {statistics.median(per_item):10.3f} {p95(per_item):8.3f} {queries:8d}")
    print(f"({len(people)} people, {len(claims)} waiting claims, database={connection.vendor})")


if __name__ == "__main__":
    main()
