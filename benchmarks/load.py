"""Load: many members at once against the production server, on a throw-away database.

    .venv/bin/pip install -e '.[load]'
    .venv/bin/python benchmarks/load.py [--users 200] [--duration 300] [--workers 4]
    .venv/bin/python benchmarks/load.py --database-url postgres://withus@127.0.0.1:5432/withus_load

What it does, in order:

1. Makes a throw-away database: SQLite in a new temporary directory, or, with
   ``--database-url``, a new PostgreSQL database of that name (it must not exist yet;
   it is dropped at the end unless ``--keep``).
2. Loads the demo data and as many extra member accounts as there are users (each
   signed up to Afon Valley Health Board, with a verified address, the same password
   and an API token of their own), plus a coordinator's API token.
3. Starts the production server, ``withus serve`` (gunicorn) with
   ``WITHUS_ENV=production``, on 127.0.0.1.
4. Runs the members in benchmarks/locustfile.py with locust, each signing in and then
   using the public board, their own pages, an expense claim and the API.
5. Prints, for each group of pages, the requests, 5xx answers, failures (any other
   answer than the one expected, or no answer), and the median and 95th percentile in
   milliseconds; then stops the server and removes the database.

It exits 1 if any answer was a 5xx (the server's log is then printed), 0 otherwise.
Timings depend on the machine and are reported, never asserted.

The server trusts one proxy in front of it (``WITHUS_TRUSTED_PROXY_COUNT=1``), and the
load plays that proxy's part: every request says it came over HTTPS
(``X-Forwarded-Proto``) and from the member's own address (``X-Forwarded-For``, one
address per member). That is what a TLS proxy in front of a real installation sends,
and it is what lets the sign-in limits count each member on their own: without a
trusted proxy every request would come from 127.0.0.1 and 200 members signing in
would share one address's limit (30 sign-ins a minute). Never trust a proxy header on
a server that has no proxy in front.

Staff sign in with a second step (an authenticator code); the load does staff work
through the API with a coordinator's token instead. E-mail goes nowhere
(``WITHUS_EMAIL_BACKEND`` is Django's dummy backend).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-2026-members"
ORGANISATION = "afon-health-board"
COORDINATOR = "coordinator@demo.withus.invalid"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200, help="members at once (default 200)")
    parser.add_argument("--duration", type=int, default=300, help="seconds of load after the last member starts")
    parser.add_argument("--spawn-rate", type=float, default=10, help="members started per second (default 10)")
    parser.add_argument(
        "--wait",
        type=float,
        nargs=2,
        default=[3, 10],
        metavar=("MIN", "MAX"),
        help="seconds each member pauses between pages, at random between the two (default 3 10)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--port", type=int, default=0, help="port for the server (default: a free one)")
    parser.add_argument("--database-url", help="a PostgreSQL database to create and fill (default: SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the server's files")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="withus-load-"))
    port = args.port or _free_port()
    env = _environment(work, args.database_url)
    server: subprocess.Popen[bytes] | None = None
    log_path = work / "server.log"
    try:
        if args.database_url:
            _create_database(args.database_url)
        print(f"Preparing the data in {args.database_url or work / 'withus.sqlite3'} ...", flush=True)
        data_path = work / "load-data.json"
        subprocess.run(
            [sys.executable, __file__, "--prepare", str(args.users), str(data_path)],
            env={**env, "WITHUS_ENV": "development"},
            check=True,
            cwd=ROOT,
        )
        data = json.loads(data_path.read_text())
        print(f"Starting the production server on 127.0.0.1:{port} with {args.workers} workers ...", flush=True)
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "withus.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
                + ["--workers", str(args.workers)],
                env={**env, "WEB_CONCURRENCY": str(args.workers)},
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(base_url, server)
        data["short_codes"] = _board_short_codes(base_url)
        print(
            f"{args.users} members, {args.spawn_rate:g} a second, then {args.duration} s of load ...",
            flush=True,
        )
        started = time.monotonic()
        results = _run_load(base_url, data, args)
        elapsed = time.monotonic() - started
        print()
        print(_report(results))
        total = sum(group["requests"] for group in results.values())
        print(f"\n{total} requests in {elapsed:.0f} s: {total / elapsed:.1f} a second.")
        server_errors = sum(group["5xx"] for group in results.values())
        if server_errors:
            print(f"\n{server_errors} answers were server errors. The server's log:\n")
            print(log_path.read_text(errors="replace")[-20000:])
            sys.exit(1)
        if not any(group["requests"] for group in results.values()):
            print("No request was made.")
            sys.exit(1)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if args.keep:
            print(f"Kept: {work}" + (f" and {args.database_url}" if args.database_url else ""))
        else:
            if args.database_url:
                _drop_database(args.database_url)
            shutil.rmtree(work, ignore_errors=True)


def _environment(work: Path, database_url: str | None) -> dict[str, str]:
    """The production settings for a server on this machine, behind one (simulated) TLS proxy."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("WITHUS_") and key != "DATABASE_URL"}
    env.update(
        WITHUS_ENV="production",
        WITHUS_DEBUG="0",
        WITHUS_SECRET_KEY=secrets.token_urlsafe(50),
        WITHUS_ENCRYPTION_KEY=secrets.token_urlsafe(32),
        WITHUS_ALLOWED_HOSTS="127.0.0.1,localhost",
        WITHUS_VAR_DIR=str(work),
        WITHUS_STATIC_ROOT=str(work / "static"),
        WITHUS_MEDIA_ROOT=str(work / "media"),
        WITHUS_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        WITHUS_TRUSTED_PROXY_COUNT="1",
        DJANGO_SETTINGS_MODULE="withus.settings",
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _server_and_name(database_url: str) -> tuple[str, str]:
    base, _slash, name = database_url.rpartition("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Give the database a plain name (letters, digits, _): {name!r}")
    return f"{base}/postgres", name


def _create_database(database_url: str) -> None:
    import psycopg

    server, name = _server_and_name(database_url)
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            raise SystemExit(f"The database {name} exists: the load makes its own. Drop it or choose another name.")
        connection.execute(f'CREATE DATABASE "{name}"')


def _drop_database(database_url: str) -> None:
    import psycopg

    server, name = _server_and_name(database_url)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.255.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _wait_for(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped (exit {server.returncode}).")
        try:
            if _get(base_url + "/opportunities/")[0] == 200:
                return
        except OSError:
            # Not listening yet: wait, and ask again.
            time.sleep(0.5)
            continue
        time.sleep(0.5)
    raise SystemExit("The server did not answer within 5 minutes.")


def _board_short_codes(base_url: str) -> list[str]:
    _status, html = _get(base_url + "/opportunities/")
    codes = sorted(set(re.findall(r'href="/opportunities/([^/"?]+)/"', html)))
    if not codes:
        raise SystemExit("The public board shows no opportunity.")
    return codes


def _run_load(base_url: str, data: dict[str, Any], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    # Imported here: locust patches the standard library for gevent when it is imported.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import locustfile

    return locustfile.run(
        base_url, data, users=args.users, spawn_rate=args.spawn_rate, duration=args.duration, wait=tuple(args.wait)
    )


def _report(results: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'pages':14} {'requests':>9} {'5xx':>5} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8}"]
    everything: list[float] = []
    totals = {"requests": 0, "5xx": 0, "failures": 0}
    for group, figures in results.items():
        times = sorted(figures["times"])
        everything.extend(times)
        for key in totals:
            totals[key] += figures[key]
        lines.append(_line(group, figures, times))
    lines.append(_line("all", totals, sorted(everything)))
    return "\n".join(lines)


def _line(group: str, figures: dict[str, Any], times: list[float]) -> str:
    return (
        f"{group:14} {figures['requests']:>9} {figures['5xx']:>5} {figures['failures']:>9} "
        f"{_percentile(times, 50):>8.0f} {_percentile(times, 95):>8.0f}"
    )


def _percentile(times: list[float], percent: int) -> float:
    if not times:
        return 0.0
    return times[min(len(times) - 1, int(len(times) * percent / 100))]


def prepare(members: int, out: Path) -> None:
    """Demo data, ``members`` member accounts with an API token each, and a coordinator's token (run apart)."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from withus.accounts.models import Organisation, Role, User
    from withus.accounts.services import issue_api_token
    from withus.people import services as people_services

    call_command("demo", quiet=True)
    organisation = Organisation.objects.get(slug=ORGANISATION)
    hashed = make_password(PASSWORD)  # once: hashing is slow on purpose, and every member has this password
    accounts = []
    with transaction.atomic():
        for i in range(members):
            email = f"load-member-{i}@load.withus.invalid"
            user = User.objects.create_user(email=email, first_name="Load", last_name=f"Member {i}")
            user.password = hashed
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            people_services.register_member(
                user=user,
                full_name=f"Load Member {i}",
                perspective="service_user",
                organisations=[organisation],
                keep_details=True,
            )
            _token, raw = issue_api_token(user=user, organisation=organisation, role=Role.MEMBER, name="load")
            accounts.append({"email": email, "token": raw})
        coordinator = User.objects.get(email=COORDINATOR)
        _token, coordinator_token = issue_api_token(
            user=coordinator, organisation=organisation, role=Role.COORDINATOR, name="load"
        )
    out.write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "members": accounts,
                "coordinator_token": coordinator_token,
                "organisation_id": organisation.pk,
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--prepare":
        prepare(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
