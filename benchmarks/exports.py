"""Each export's peak memory at a given number of lines, through the command line and the web.

    WITHUS_VAR_DIR=/tmp/nat .venv/bin/python benchmarks/exports.py --lines 1000000
    DATABASE_URL=postgres://USER@HOST:PORT/withus_nat .venv/bin/python benchmarks/exports.py --lines 100000

Reads a database that ``benchmarks/national.py`` has filled. Each export runs in a child
process of its own, inside a transaction that is rolled back, so the data is left as it
was. The child first makes the export ``--lines`` long:

- **payment file**: a new payroll batch (one row per line) of that many fee and expense lines;
- **statement**: that many lines paid to one member in this tax year;
- **people register**: people added (sharing with the organisation) until the list is that long;
- **opportunities**: opportunities added until there are that many.

Each runs as CSV and again as an XLSX workbook (paths ``cli-xlsx``, ``web-xlsx``; ``--only`` takes the
export's name and runs both).

Then it resets its peak memory (``/proc/self/clear_refs``), runs the export to the end
(to ``/dev/null`` for the command line; through Django's test client for the web, reading
the streamed answer piece by piece as a server would), and reports its peak resident memory
(``VmHWM``), what that was above the process before the export, the rows written, and the
seconds taken. Linux only (it reads ``/proc``). Nothing here runs in the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national import CHUNK, insert, setup_django

EXPORTS = [
    ("payment file", "cli"),
    ("payment file", "web"),
    ("statement", "web"),
    ("people register", "cli"),
    ("people register", "web"),
    ("opportunities", "cli"),
    # The same exports as XLSX workbooks (openpyxl's write-only mode, to a temporary file).
    ("payment file", "cli-xlsx"),
    ("payment file", "web-xlsx"),
    ("statement", "web-xlsx"),
    ("people register", "cli-xlsx"),
    ("people register", "web-xlsx"),
    ("opportunities", "cli-xlsx"),
]


def memory(field: str) -> float:
    """A line of /proc/self/status (VmRSS, VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def staff_client(email: str) -> Any:
    """A test client signed in as ``email``, past the second step, as the tests sign staff in."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.test import Client, RequestFactory

    from withus.accounts.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return client


def drained(response: Any) -> int:
    """Read a streamed answer to the end as a server would, piece by piece; the rows it had."""
    assert response.status_code == 200, (response.status_code, getattr(response, "content", b"")[:300])
    assert response.streaming, "the answer was built whole, not streamed"
    rows = 0
    for piece in response.streaming_content:
        rows += piece.count(b"\n")
    return rows  # the test client closes the answer once it is read to the end


def drained_file(response: Any) -> int:
    """Read a streamed workbook to the end as a server would; a workbook has no lines to count (-1)."""
    assert response.status_code == 200, (response.status_code, getattr(response, "content", b"")[:300])
    assert response.streaming, "the answer was built whole, not streamed"
    for _piece in response.streaming_content:
        pass
    return -1


def quietly(call: Callable[..., Any], *args: str) -> None:
    """Run a command that is expected to refuse (a warm-up on nothing)."""
    from django.core.management import CommandError

    with contextlib.suppress(CommandError):
        call(*args)


def to_devnull(call: Callable[[str], None]) -> int:
    call("/dev/null")
    return -1


# ---- Making each export long enough (inside the transaction that is rolled back) ------------------------


def payment_batch(lines: int) -> int:
    from django.db import connection

    from withus.accounts.models import Organisation, User
    from withus.rewards.models import IncomeLine, PaymentBatch

    org = Organisation.objects.get(slug="bench")
    batch = PaymentBatch.objects.create(
        organisation=org, method="payroll", created_by=User.objects.get(email="bench-finance@example.org")
    )
    table = connection.ops.quote_name(IncomeLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET batch_id = %s WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s)",
            [batch.pk, lines],
        )
    return batch.pk


def statement_member(lines: int) -> tuple[Any, int]:
    from django.db import connection
    from django.utils import timezone

    from withus.people.models import Person
    from withus.rewards import rules
    from withus.rewards.models import IncomeLine

    person = Person.objects.filter(user__isnull=False).order_by("pk").first()
    assert person is not None
    start, _end = rules.tax_year(timezone.localdate())
    paid_at = timezone.make_aware(datetime.combine(start, clock(12)))
    table = connection.ops.quote_name(IncomeLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET person_id = %s, status = 'paid', paid_at = %s "
            f"WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s)",
            [person.pk, paid_at, lines],
        )
    return person, start.year


def people_up_to(lines: int) -> None:
    from django.utils import timezone

    from withus.accounts.models import Organisation
    from withus.people.models import ConsentRecord, Person

    org = Organisation.objects.get(slug="bench")
    missing = lines - Person.objects.sharing_with(org).count()
    if missing <= 0:
        return
    first = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    now = timezone.now()
    insert(
        Person,
        (
            {"full_name": f"Added Person {i}", "perspective": "carer", "local_authority": "powys", "updated_at": now}
            for i in range(missing)
        ),
    )
    added = Person.objects.filter(pk__gt=first).order_by("pk").values_list("pk", flat=True).iterator(chunk_size=CHUNK)
    insert(
        ConsentRecord,
        ({"person_id": pk, "purpose": "share_with_organisation", "organisation_id": org.pk} for pk in added),
    )


def opportunities_up_to(lines: int) -> None:
    from django.utils import timezone

    from withus.accounts.models import Organisation, User
    from withus.opportunities.models import Opportunity

    missing = lines - Opportunity.objects.count()
    if missing <= 0:
        return
    org = Organisation.objects.get(slug="bench")
    contact = User.objects.get(email="bench-coordinator@example.org")
    today, now = timezone.localdate(), timezone.now()

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(missing):
            yield {
                "organisation_id": org.pk,
                "contact_id": contact.pk,
                "title": f"Added panel {i}",
                "purpose": "To hear from people who use the service.",
                "level": 1 + i % 5,
                "intended_outcomes": "A better service",
                "influence": "The board decides with what we hear",
                "application_process": "none",
                "time_commitment": "Two hours",
                "places": 2,
                "where": "operational",
                "role_offered": "representative",
                "status": "published",
                "closes_on": today,
                "short_code": f"x{i:07d}",
                "location": "online",
                "updated_at": now,
            }

    insert(Opportunity, rows())


# ---- One export, in this process ---------------------------------------------------------------------------


def child(name: str, path: str, lines: int) -> dict[str, Any]:
    setup_django()
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client, and any host name
    coordinator = "bench-coordinator@example.org"
    finance = "bench-finance@example.org"
    xlsx = path.endswith("-xlsx")
    path = path.removesuffix("-xlsx")
    as_file = ["--format", "xlsx"] if xlsx else []
    read = drained_file if xlsx else drained
    suffix = "xlsx" if xlsx else "csv"
    with transaction.atomic():
        # ``warm`` runs the same code on nothing first, so that what is imported and cached once
        # per process (URLs, templates, translations) is not counted as the export's memory.
        run: Callable[[], Any]
        warm: Callable[[], Any]
        if name == "payment file":
            batch = payment_batch(lines)
            if path == "cli":
                run = lambda: to_devnull(  # noqa: E731
                    lambda out: call_command(
                        "payments", "export", str(batch), *as_file, "--output", out, "--as", finance
                    )
                )
                warm = lambda: quietly(call_command, "payments", "export", "0", "--as", finance)  # noqa: E731
            else:
                client = staff_client(finance)
                run = lambda: read(  # noqa: E731
                    client.post(f"/staff/payments/batches/{batch}/export/", {"format": suffix})
                )
                warm = lambda: client.post("/staff/payments/batches/0/export/")  # noqa: E731
        elif name == "statement":
            from django.test import Client

            person, year = statement_member(lines)
            client = Client()
            client.force_login(person.user)
            run = lambda: read(client.get(f"/me/payments/statement/{year}.{suffix}"))  # noqa: E731
            warm = lambda: read(client.get(f"/me/payments/statement/2001.{suffix}"))  # noqa: E731
        elif name == "people register":
            people_up_to(lines)
            if path == "cli":
                run = lambda: to_devnull(  # noqa: E731
                    lambda out: call_command(
                        "people", "export", "--organisation", "bench", *as_file, "-o", out, "--as", coordinator
                    )
                )
                warm = lambda: call_command(  # noqa: E731
                    "people", "export", "--organisation", "bench-forum", *as_file, "-o", "/dev/null"
                )
            else:
                client = staff_client(coordinator)
                run = lambda: read(client.get(f"/staff/people/people.{suffix}"))  # noqa: E731
                warm = lambda: read(client.get(f"/staff/people/people.{suffix}?q=nobody-of-this-name"))  # noqa: E731
        else:
            opportunities_up_to(lines)
            run = lambda: to_devnull(  # noqa: E731
                lambda out: call_command("opportunities", "export", *as_file, "--output", out)
            )
            warm = lambda: quietly(call_command, "opportunities", "export", "--organisation", "nowhere")  # noqa: E731
        warm()
        gc.collect()
        Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
        before = memory("VmRSS")
        started = time.perf_counter()
        rows = run()
        seconds = time.perf_counter() - started
        peak = memory("VmHWM")
        transaction.set_rollback(True)
    return {
        "rows": rows,
        "peak_mb": round(peak, 1),
        "above_start_mb": round(peak - before, 1),
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100_000, help="how long each export is made (1000000 for 1M)")
    parser.add_argument(
        "--only",
        action="append",
        help="only this export (repeat for more): " + ", ".join(sorted({name for name, _path in EXPORTS})),
    )
    parser.add_argument("--child", nargs=2, metavar=("EXPORT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.lines)))
        return
    print(f"{'export':18} {'path':8} {'lines':>9} {'peak MB':>8} {'above start':>12} {'seconds':>8}")
    for name, path in EXPORTS:
        if args.only and name not in args.only:
            continue
        done = subprocess.run(
            [sys.executable, __file__, "--lines", str(args.lines), "--child", name, path],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            print(f"{name:18} {path:8} failed:\n{done.stderr[-3000:]}")
            continue
        found = json.loads(done.stdout.strip().splitlines()[-1])
        rows = "" if found["rows"] < 0 else found["rows"]
        print(
            f"{name:18} {path:8} {args.lines:>9} {found['peak_mb']:>8} {found['above_start_mb']:>12} "
            f"{found['seconds']:>8.1f}  {rows}"
        )


if __name__ == "__main__":
    main()
