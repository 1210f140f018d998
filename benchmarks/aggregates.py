"""The annual report's aggregates, through their selectors, against hand-written SQL for the same figures.

    WITHUS_VAR_DIR=/tmp/nat .venv/bin/python benchmarks/aggregates.py [--repeat 7]
    DATABASE_URL=postgres://USER@HOST:PORT/withus_nat .venv/bin/python benchmarks/aggregates.py

Reads a database that ``benchmarks/national.py`` has filled (migrated first, so that the
indexes are there). Two figures, for the bench organisation:

- **attendance by pathway level** (``meetings.selectors.attendance_by_level``) over every
  session of the data;
- **fees paid by tax year** (``rewards.statements.selectors.fees_paid_by_tax_year``) over
  the tax years the data covers.

Each is timed against raw SQL written by hand for the same figures, interleaved, and the
figures are checked to agree. It prints the median of each in milliseconds and the
selector's time as a multiple of the SQL's (the target is at most 2). Sessions with no
opportunity are linked to one inside a transaction that is rolled back, so that every
pathway level has people. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national import setup_django

LEVELS_SQL = """
SELECT o.level, COUNT(*), COUNT(DISTINCT a.person_id)
FROM meetings_attendance a
JOIN meetings_session s ON s.id = a.session_id
LEFT JOIN opportunities_opportunity o ON o.id = s.opportunity_id
WHERE s.organisation_id = %s AND s.starts_at >= %s AND s.starts_at < %s AND a.status = 'attended'
GROUP BY o.level
"""

FEES_SQL = """
SELECT {columns}
FROM rewards_incomeline
WHERE organisation_id = %s AND status = 'paid' AND kind IN ('fee', 'voucher')
  AND ((paid_at >= %s AND paid_at < %s) OR (paid_at IS NULL AND activity_date >= %s AND activity_date <= %s))
"""

FEES_YEAR = (
    "COUNT(CASE WHEN (paid_at >= %s AND paid_at < %s) OR (paid_at IS NULL AND activity_date >= %s "
    "AND activity_date <= %s) THEN 1 END), SUM(CASE WHEN (paid_at >= %s AND paid_at < %s) OR (paid_at IS NULL "
    "AND activity_date >= %s AND activity_date <= %s) THEN amount END)"
)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from withus.accounts.models import Organisation
    from withus.meetings import selectors as meetings_selectors
    from withus.meetings.models import Session
    from withus.opportunities.models import Opportunity
    from withus.rewards import rules
    from withus.rewards.statements import selectors as statement_selectors

    call_command("migrate", verbosity=0)
    org = Organisation.objects.get(slug="bench")
    start = timezone.make_aware(datetime(2000, 1, 1))
    end = timezone.now() + timedelta(days=3650)
    first_year = rules.tax_year(timezone.localdate() - timedelta(days=365 * 4))[0].year
    last_year = rules.tax_year(timezone.localdate())[0].year

    def local_midnight(day: Any) -> datetime:
        return timezone.make_aware(datetime.combine(day, datetime.min.time()))

    def bounds(year: int) -> list[Any]:
        """A tax year's first and next-after instants and days, as this database stores them."""
        begins, ends = statement_selectors.tax_year_bounds(year)
        ops = connection.ops
        return [
            ops.adapt_datetimefield_value(local_midnight(begins)),
            ops.adapt_datetimefield_value(local_midnight(ends + timedelta(days=1))),
            ops.adapt_datefield_value(begins),
            ops.adapt_datefield_value(ends),
        ]

    def levels_sql() -> list[tuple[Any, int, int]]:
        with connection.cursor() as cursor:
            adapt = connection.ops.adapt_datetimefield_value
            cursor.execute(LEVELS_SQL, [org.pk, adapt(start), adapt(end)])
            rows = cursor.fetchall()
        return sorted(((r[0], r[1], r[2]) for r in rows), key=lambda r: (r[0] is None, r[0] or 0))

    def fees_sql() -> list[tuple[int, int, Decimal]]:
        years = list(range(first_year, last_year + 1))
        columns = ", ".join(FEES_YEAR for _year in years)
        params: list[Any] = [p for year in years for p in bounds(year) * 2]
        outer = bounds(first_year)[:1] + bounds(last_year)[1:2] + bounds(first_year)[2:3] + bounds(last_year)[3:4]
        with connection.cursor() as cursor:
            cursor.execute(FEES_SQL.format(columns=columns), params + [org.pk, *outer])
            row = cursor.fetchone()
        return [(year, row[2 * i], rules.money(Decimal(row[2 * i + 1] or 0))) for i, year in enumerate(years)]

    def levels_selector() -> list[tuple[Any, int, int]]:
        return [
            (r.level, r.attended, r.people) for r in meetings_selectors.attendance_by_level(org, start=start, end=end)
        ]

    def fees_selector() -> list[tuple[int, int, Decimal]]:
        return [
            (r.start_year, r.lines, r.amount)
            for r in statement_selectors.fees_paid_by_tax_year(org, first_year, last_year)
        ]

    with transaction.atomic():
        if not Session.objects.filter(organisation=org, opportunity__isnull=False).exists():
            opportunities = list(Opportunity.objects.filter(organisation=org).values_list("pk", flat=True))
            for i, pk in enumerate(Session.objects.filter(organisation=org).values_list("pk", flat=True)):
                Session.objects.filter(pk=pk).update(opportunity_id=opportunities[i % len(opportunities)])
        print(f"{'figure':28} {'selector ms':>12} {'raw SQL ms':>11} {'ratio':>6}")
        for name, selector, raw in (
            ("attendance by pathway level", levels_selector, levels_sql),
            ("fees paid by tax year", fees_selector, fees_sql),
        ):
            ours, theirs = [], []
            for round_ in range(args.repeat + 1):
                (a, found), (b, expected) = timed(selector), timed(raw)
                assert found == expected, (name, found, expected)
                if round_:  # the first round warms the database's cache
                    ours.append(a)
                    theirs.append(b)
            mine, sql = statistics.median(ours), statistics.median(theirs)
            print(f"{name:28} {mine:12.1f} {sql:11.1f} {mine / sql:6.2f}")
        transaction.set_rollback(True)
    print(f"(database={connection.vendor}, tax years {first_year} to {last_year})")


if __name__ == "__main__":
    main()
