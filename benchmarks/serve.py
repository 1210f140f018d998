"""Throughput of each busy page under the production server, beside a bare view in the same run.

    .venv/bin/python benchmarks/serve.py --scale 0.1                  # SQLite in a new temporary folder
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/serve.py --scale 1

Builds the data (``benchmarks/national.py``) unless ``--var`` names a folder that has it,
serves the product with gunicorn (two workers, as ``withus serve`` does in production)
with a bare view and a one-query view beside it (``benchmarks/urls.py``), and then, in
interleaved rounds so that the machine's mood touches every page alike, keeps
``--concurrency`` clients busy on each page for ``--seconds``. It prints each page's
median latency, its throughput, and its throughput as a share of the bare view's.
Timings are reported, never asserted: the tests hold query counts instead.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def sign_in_cookies() -> dict[str, str]:
    """Session cookies for the bench coordinator (second step taken), the finance admin and a member."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from withus.accounts.models import User
    from withus.people.models import Person

    def session_for(user: User, second_step: bool) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if second_step:
            authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
            request = RequestFactory().get("/")
            request.session = store
            record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
        store.save()
        return str(store.session_key)

    member = Person.objects.filter(user__isnull=False, income_lines__isnull=False).order_by("pk").first()
    assert member is not None and member.user is not None
    return {
        "coordinator": session_for(User.objects.get(email="bench-coordinator@example.org"), True),
        "finance": session_for(User.objects.get(email="bench-finance@example.org"), True),
        "member": session_for(member.user, False),
    }


def api_token() -> str:
    from withus.accounts.models import Organisation, User
    from withus.accounts.services import issue_api_token

    _token, raw = issue_api_token(
        user=User.objects.get(email="bench-coordinator@example.org"),
        organisation=Organisation.objects.get(slug="bench"),
        role="coordinator",
        name="benchmark",
    )
    return raw


def pages() -> list[tuple[str, str | None, str]]:
    from withus.meetings.models import Session
    from withus.opportunities.models import Opportunity

    opportunity = Opportunity.objects.filter(status="published").order_by("pk").first()
    session = Session.objects.order_by("pk").first()
    assert opportunity is not None and session is not None
    return [
        ("bare view", None, "/bench/bare/"),
        ("one-query view", None, "/bench/one-query/"),
        ("public board", None, "/opportunities/"),
        ("board search", None, "/opportunities/?q=panel"),
        ("an opportunity", None, f"/opportunities/{opportunity.short_code}/"),
        ("RSS feed", None, "/opportunities/feed.rss"),
        ("people list", "coordinator", "/staff/people/"),
        ("people search", "coordinator", "/staff/people/?q=Jones&perspective=carer"),
        ("dashboard", "coordinator", "/staff/opportunities/dashboard/"),
        ("session page", "coordinator", f"/staff/sessions/{session.pk}/"),
        ("approvals", "coordinator", "/staff/payments/approvals/"),
        ("finance batches", "finance", "/staff/payments/batches/"),
        ("my payments", "member", "/me/payments/"),
        ("API people", "token", "/api/people?limit=50"),
        ("API opportunities", None, "/api/opportunities?limit=50"),
    ]


def hammer(port: int, path: str, headers: dict[str, str], seconds: float, concurrency: int) -> tuple[int, list[float]]:
    """Keep ``concurrency`` clients asking for ``path`` for ``seconds``: how many answers, and their latencies."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        mine: list[float] = []
        while time.perf_counter() < stop:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            connection.close()
            if response.status != 200:
                errors.append(response.status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{path} answered {sorted(set(errors))}")
    return len(latencies), latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--var", help="A folder (SQLite database, keys) to reuse; default a new temporary one")
    parser.add_argument("--seconds", type=float, default=4.0, help="per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    var = Path(args.var or tempfile.mkdtemp(prefix="withus-serve-"))
    os.environ["WITHUS_VAR_DIR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["WITHUS_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import national
    from withus.accounts.models import Organisation

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Organisation.objects.filter(slug="bench").exists():
        national.build(args.scale)
    cookies = sign_in_cookies()
    token = api_token()
    listed = pages()
    vendor = connection.vendor
    connection.close()

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "withus.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _attempt in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/bench/bare/")
                break
            except OSError:
                time.sleep(0.2)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name, _who, _path in listed}
        for _name, who, path in listed:  # warm every page once
            hammer(args.port, path, headers_for(who, cookies, token), 0.5, 1)
        for _round in range(args.rounds):
            for name, who, path in listed:
                count, latencies = hammer(
                    args.port, path, headers_for(who, cookies, token), args.seconds, args.concurrency
                )
                results[name].append((count / args.seconds, statistics.median(latencies) * 1000))
    finally:
        server.terminate()
        server.wait(timeout=30)

    bare = statistics.median(r[0] for r in results["bare view"])
    print(f"{'page':20} {'p50 ms':>8} {'req/s':>8} {'of bare':>8}")
    for name, rows in results.items():
        throughput = statistics.median(r[0] for r in rows)
        p50 = statistics.median(r[1] for r in rows)
        print(f"{name:20} {p50:8.1f} {throughput:8.1f} {throughput / bare:8.1%}")
    print(
        f"(database={vendor}, scale={args.scale}, workers={args.workers}, concurrency={args.concurrency}, "
        f"{args.rounds} rounds of {args.seconds:g} s)"
    )


def headers_for(who: str | None, cookies: dict[str, str], token: str) -> dict[str, Any]:
    if who is None:
        return {}
    if who == "token":
        return {"Authorization": f"Bearer {token}"}
    return {"Cookie": f"sessionid={cookies[who]}"}


if __name__ == "__main__":
    main()
