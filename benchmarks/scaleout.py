"""Scale-out: two production instances on one PostgreSQL database, proved to share what they must.

    .venv/bin/python benchmarks/scaleout.py --database-url postgres://withus@127.0.0.1:5432/withus_scaleout

What it does, in order:

1. Makes a new PostgreSQL database of that name (it must not exist yet; it is dropped at
   the end unless ``--keep``), and loads the demo data and member accounts as
   benchmarks/load.py does.
2. Starts two instances of the production server, ``withus serve`` (gunicorn, two
   workers each) with ``WITHUS_ENV=production``, on two ports: A, then B once A is up
   (``withus serve`` migrates first, and two migrations at once would clash). They share
   the database, the upload directory (``WITHUS_MEDIA_ROOT``) and the keys; each has its
   own static files, as each machine of an installation would. It starts one task worker
   (``withus worker``) beside them.
3. Checks, by requests that go to A and B in turn, that nothing that must be shared is
   kept in one process's memory:

   - **sessions**: a member signed in on A is signed in on B, and signed out everywhere
     when they sign out on B; a coordinator gives their password on A and their
     authenticator code on B, and is then signed in on A; the same code is refused on A
     a second time (used codes are kept in the shared cache);
   - **uploads**: a receipt sent with an expense claim through A is served by B to the
     holder of the budget it draws on (password on B, code on A), and refused to another
     member and to a visitor not signed in;
   - **rate limits**: failed sign-ins spread over A and B are refused after the same
     number as on one instance (five per account), also when the shared cache is busy
     with hundreds of other visitors' limits;
   - **public pages**: an opportunity closed through A leaves the board on both instances,
     and reopened through B comes back on both, at once or within the documented bound
     (``withus.core.public_cache.KEPT_FOR`` seconds);
   - **reminders**: an action due tomorrow, added through A, and the reminders queued twice
     (once from each instance's machine): the owner's reminder is sent once, by the worker,
     and by neither web instance. Every process writes its e-mail to its own folder
     (Django's file-based mail backend), so the script can count who sent what.

4. Runs a short load against A and B together: benchmarks/locustfile.py when locust is
   installed (each member's requests alternate between the instances), otherwise a
   lighter loop of its own (it says which). It reports, per group of pages, the
   requests, 5xx answers (there must be none), failures and the median.

It prints each check as passed or failed and exits 1 if any failed (with the instances'
logs), 0 otherwise. Timings depend on the machine and are reported, never asserted.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_string
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load

ROOT = load.ROOT
COORDINATOR = load.COORDINATOR
BUDGET_HOLDER = "budget@demo.withus.invalid"
# The demo's staff password and authenticator secret (withus/demo/management/commands/demo.py).
DEMO_PASSWORD = "withus-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
KEPT_FOR = 60  # withus.core.public_cache.KEPT_FOR: the longest a public page may be out of date
FAILED_SIGN_INS_ALLOWED = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: five per account in five minutes
# Accounts kept apart from the load's members, for the checks.
CHECK_ACCOUNTS = ("claimant", "stranger", "limit-one", "limit-both", "limit-busy")
# A real 1x1 PNG: receipts are recognised by their content.
RECEIPT = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
LONDON = ZoneInfo("Europe/London")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to create, fill and drop")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers in each instance (default 2)")
    parser.add_argument("--users", type=int, default=20, help="members at once in the load (default 20)")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load after the last member starts")
    parser.add_argument("--spawn-rate", type=float, default=5, help="members started per second (default 5)")
    parser.add_argument(
        "--wait", type=float, nargs=2, default=[1, 3], metavar=("MIN", "MAX"), help="seconds between pages"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the instances' files")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Scale-out is for PostgreSQL: give --database-url postgres://USER@HOST:PORT/NAME")

    work = Path(tempfile.mkdtemp(prefix="withus-scaleout-"))
    base_env = load._environment(work, args.database_url)
    base_env["WITHUS_EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    processes: dict[str, subprocess.Popen[bytes]] = {}
    checks: list[Check] = []
    try:
        load._create_database(args.database_url)
        print(f"Preparing the data in {args.database_url} ...", flush=True)
        data_path = work / "data.json"
        subprocess.run(
            [sys.executable, __file__, "--prepare", str(args.users + len(CHECK_ACCOUNTS)), str(data_path)],
            env={**base_env, "WITHUS_ENV": "development", "WITHUS_EMAIL_FILE_PATH": str(work / "mail" / "prepare")},
            check=True,
            cwd=ROOT,
        )
        data = json.loads(data_path.read_text())
        accounts = dict(zip(CHECK_ACCOUNTS, data["members"], strict=False))
        data["members"] = data["members"][len(CHECK_ACCOUNTS) :]

        instances = {}
        for name in ("A", "B"):
            port = load._free_port()
            print(f"Starting instance {name} on 127.0.0.1:{port} with {args.workers} workers ...", flush=True)
            processes[name] = _start(
                name,
                work,
                base_env,
                ["serve", "--host", "127.0.0.1", "--port", str(port)] + ["--workers", str(args.workers)],
            )
            instances[name] = f"http://127.0.0.1:{port}"
            load._wait_for(instances[name], processes[name])
        print("Starting the task worker ...", flush=True)
        processes["worker"] = _start("worker", work, base_env, ["worker", "--interval", "1"])
        world = World(work=work, env=base_env, a=instances["A"], b=instances["B"], data=data, accounts=accounts)

        print(f"\nChecks, alternating between A ({world.a}) and B ({world.b}):", flush=True)
        for check in (
            check_sessions,
            check_staff_second_step,
            check_uploads,
            check_rate_limits,
            check_rate_limits_busy_cache,
            check_public_pages,
            check_reminders,
        ):
            checks.extend(_run_check(check, world))
        for name, process in processes.items():
            if process.poll() is not None:
                checks.append(Check(f"{name} kept running", False, f"it stopped (exit {process.returncode})"))

        print("\nLoad against A and B together ...", flush=True)
        checks.append(_run_load(world, args))

        failed = [check for check in checks if not check.passed]
        print(f"\n{len(checks) - len(failed)} of {len(checks)} checks passed.")
        if failed:
            print("Failed: " + "; ".join(check.name for check in failed))
            for name in processes:
                print(f"\n--- the log of {name} (its end) ---")
                print((work / f"{name}.log").read_text(errors="replace")[-6000:])
            sys.exit(1)
    finally:
        for process in processes.values():
            _stop(process)
        if args.keep:
            print(f"Kept: {work} and {args.database_url}")
        else:
            load._drop_database(args.database_url)
            shutil.rmtree(work, ignore_errors=True)


# ---- The processes ---------------------------------------------------------------------------


def _start(name: str, work: Path, env: dict[str, str], command: list[str]) -> subprocess.Popen[bytes]:
    """``withus COMMAND`` with the shared settings, its own mail folder and (for web) its own static files."""
    mail = work / "mail" / name
    mail.mkdir(parents=True, exist_ok=True)
    own = {**env, "WITHUS_EMAIL_FILE_PATH": str(mail), "WITHUS_STATIC_ROOT": str(work / f"static-{name}")}
    with (work / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "withus.cli", *command],
            env=own,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _withus(world: World, *command: str) -> str:
    """A ``withus`` command run on one of the instances' machines (the same settings), e.g. from cron."""
    env = {**world.env, "WITHUS_EMAIL_FILE_PATH": str(world.work / "mail" / "cron")}
    done = subprocess.run(
        [sys.executable, "-m", "withus.cli", *command], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


# ---- A browser behind the proxy ------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _BehindTheProxy(http.cookiejar.DefaultCookiePolicy):
    """Send back Secure cookies, as a browser does over the HTTPS that the proxy ends."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return True


@dataclass
class Answer:
    status: int
    text: str
    body: bytes
    location: str
    seconds: float


class Browser:
    """One visitor, on one address, with one cookie jar for both instances (as behind one load balancer).

    Every request says it came over HTTPS from ``address``, as the TLS proxy in front of the
    instances would (``WITHUS_TRUSTED_PROXY_COUNT=1``); forms are sent with the Origin of the
    instance they go to, as a browser on the installation's one address would send.
    """

    def __init__(self, address: str, *, cookies: bool = True) -> None:
        self.address = address
        self.jar = http.cookiejar.CookieJar(policy=_BehindTheProxy()) if cookies else None
        handlers: list[Any] = [_NoRedirects()]
        if self.jar is not None:
            handlers.append(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener = urllib.request.build_opener(*handlers)

    def get(self, base: str, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self._open(urllib.request.Request(base + path, headers=self._headers(headers)))

    def post(
        self, base: str, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None
    ) -> Answer:
        headers = self._headers({"Origin": base.replace("http://", "https://"), "Referer": base + path})
        if files:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, fields, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self._open(urllib.request.Request(base + path, data=body, headers=headers, method="POST"))

    def send_form(self, base: str, path: str, fields: dict[str, str], **kwargs: Any) -> Answer:
        """Fetch the form at ``path`` on ``base`` for its CSRF token, then send it there."""
        form = self.get(base, path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if token is None:
            raise CheckFailed(f"no form at {path} on {base} ({form.status})")
        return self.post(base, path, {"csrfmiddlewaretoken": token.group(1), **fields}, **kwargs)

    def api(self, base: str, method: str, path: str, token: str, payload: dict[str, Any] | None = None) -> Any:
        headers = self._headers({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        body = None if payload is None else json.dumps(payload).encode()
        answer = self._open(urllib.request.Request(base + "/api" + path, data=body, headers=headers, method=method))
        if answer.status >= 300:
            raise CheckFailed(f"{method} /api{path} on {base}: {answer.status} {answer.text[:300]}")
        return json.loads(answer.text)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address, **(extra or {})}

    def _open(self, request: urllib.request.Request) -> Answer:
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=60) as response:
                body = response.read()
                status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            body = error.read()
            status, location = error.code, error.headers.get("Location", "")
        return Answer(status, body.decode(errors="replace"), body, location, time.monotonic() - started)


def _multipart(boundary: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


_addresses = (f"10.200.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def new_address() -> str:
    """An address of its own, so that each check's sign-ins are counted apart from the others'."""
    return next(_addresses)


def totp(secret: str, at: float) -> str:
    """The authenticator code (RFC 6238: SHA-1, six digits, thirty seconds) at ``at``."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


# ---- The checks --------------------------------------------------------------------------------


@dataclass
class World:
    work: Path
    env: dict[str, str]
    a: str
    b: str
    data: dict[str, Any]
    accounts: dict[str, dict[str, str]]
    shared: dict[str, Any] = field(default_factory=dict)

    def instance(self, n: int) -> str:
        return self.a if n % 2 == 0 else self.b

    def name(self, base: str) -> str:
        return "A" if base == self.a else "B"


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


class CheckFailed(Exception):
    """A check that did not hold; its message says what was seen."""


def _run_check(check: Callable[[World], Iterator[Check]], world: World) -> list[Check]:
    done: list[Check] = []
    try:
        for result in check(world):
            _print(result)
            done.append(result)
    except (CheckFailed, OSError, subprocess.CalledProcessError, KeyError, ValueError) as error:
        name = (check.__doc__ or check.__name__).strip().splitlines()[0]
        result = Check(name, False, f"could not be run: {error}")
        _print(result)
        done.append(result)
    return done


def _print(check: Check) -> None:
    print(f"  {'passed' if check.passed else 'FAILED'}: {check.name}: {check.detail}", flush=True)


def _sign_in(browser: Browser, base: str, email: str, password: str) -> Answer:
    return browser.send_form(base, "/accounts/login/", {"login": email, "password": password})


def check_sessions(world: World) -> Iterator[Check]:
    """A member's session holds on both instances."""
    member = world.accounts["claimant"]
    browser = Browser(new_address())
    signed_in = _sign_in(browser, world.a, member["email"], world.data["password"])
    if signed_in.status != 302:
        raise CheckFailed(f"signing in on A answered {signed_in.status}")
    world.shared["claimant"] = browser
    pages = [browser.get(world.instance(n), "/me/") for n in range(1, 5)]
    yield Check(
        "signed in on A, signed in on B",
        all(page.status == 200 for page in pages),
        f"/me/ on B, A, B, A: {', '.join(str(page.status) for page in pages)} (200 is signed in)",
    )
    other = Browser(new_address())
    if _sign_in(other, world.b, member["email"], world.data["password"]).status != 302:
        raise CheckFailed("signing in on B answered otherwise than 302")
    out = other.send_form(world.b, "/accounts/logout/", {})
    after = [other.get(base, "/me/") for base in (world.a, world.b)]
    yield Check(
        "signed out on B, signed out on A",
        out.status == 302 and all(page.status == 302 and "/accounts/login/" in page.location for page in after),
        f"sign-out on B {out.status}; then /me/ on A and B: {', '.join(str(page.status) for page in after)}"
        " (302 to the sign-in page is signed out)",
    )


def _wait_for_a_fresh_code() -> None:
    """Start in a fresh thirty seconds, so that a code is still current when it is used (and tried again)."""
    if time.time() % 30 > 15:
        time.sleep(30 - time.time() % 30 + 0.5)


def check_staff_second_step(world: World) -> Iterator[Check]:
    """A coordinator's second step, taken on the other instance."""
    _wait_for_a_fresh_code()
    code = totp(DEMO_TOTP_SECRET, time.time())
    coordinator = Browser(new_address())
    first = _sign_in(coordinator, world.a, COORDINATOR, DEMO_PASSWORD)
    if first.status != 302 or "/2fa/authenticate/" not in first.location:
        raise CheckFailed(f"the password on A led to {first.status} {first.location}, not the second step")
    before = coordinator.get(world.b, "/staff/people/")
    second = coordinator.send_form(world.b, first.location, {"code": code})
    after = [coordinator.get(base, "/staff/people/") for base in (world.a, world.b)]
    yield Check(
        "password on A, code on B, staff pages on A and B",
        before.status == 302 and second.status == 302 and all(page.status == 200 for page in after),
        f"/staff/people/ on B before the code {before.status}; the code on B {second.status}; "
        f"then /staff/people/ on A and B: {', '.join(str(page.status) for page in after)}",
    )
    world.shared["coordinator"] = coordinator
    again = Browser(new_address())
    password = _sign_in(again, world.b, COORDINATOR, DEMO_PASSWORD)
    replay = again.send_form(world.a, password.location, {"code": code})
    page = again.get(world.a, "/staff/people/")
    still_current = totp(DEMO_TOTP_SECRET, time.time()) == code
    yield Check(
        "a code used on B is refused on A",
        replay.status == 200 and page.status == 302 and still_current,
        f"the same code again on A: {replay.status} (200: the form again, refused), /staff/people/ {page.status}"
        + ("" if still_current else "; the code was no longer current, so this proves nothing"),
    )


def check_uploads(world: World) -> Iterator[Check]:
    """A receipt uploaded through A, served by B."""
    member: Browser = world.shared.get("claimant") or Browser(new_address())
    sent = member.send_form(
        world.a,
        "/me/payments/expenses/new/",
        {
            "category": "parking",
            "amount": "3.50",
            "activity_date": datetime.now(LONDON).date().isoformat(),
            "organisation": str(world.data["organisation_id"]),
        },
        files={"receipt": ("parking.png", RECEIPT, "image/png")},
    )
    found = re.search(r"/me/payments/expenses/(\d+)/$", sent.location)
    if sent.status != 302 or found is None:
        raise CheckFailed(f"the claim sent through A answered {sent.status} {sent.location} {sent.text[:200]}")
    line = found.group(1)
    _route_to_the_budget(world, line)
    path = f"/staff/payments/claims/{line}/receipt/"
    # Who may open a receipt: the holder of the budget the claim draws on (fees.selectors.may_see_receipt).
    holder = Browser(new_address())
    _wait_for_a_fresh_code()
    password = _sign_in(holder, world.b, BUDGET_HOLDER, DEMO_PASSWORD)
    code = holder.send_form(world.a, password.location, {"code": totp(DEMO_TOTP_SECRET, time.time())})
    if code.status != 302:
        raise CheckFailed(f"the budget holder's code on A answered {code.status}")
    served = holder.get(world.b, path)
    yield Check(
        "a receipt sent through A is served by B to the budget holder",
        served.status == 200 and served.body == RECEIPT,
        f"{path} on B: {served.status}, {len(served.body)} bytes, "
        + ("the same bytes" if served.body == RECEIPT else "not the bytes sent"),
    )
    stranger = Browser(new_address())
    _sign_in(stranger, world.b, world.accounts["stranger"]["email"], world.data["password"])
    refused = stranger.get(world.b, path)
    anonymous = Browser(new_address()).get(world.a, path)
    yield Check(
        "and to nobody else",
        refused.status in (403, 404) and anonymous.status == 302 and RECEIPT not in refused.body + anonymous.body,
        f"another member on B: {refused.status}; a visitor not signed in on A: {anonymous.status}",
    )


def _route_to_the_budget(world: World, line: str) -> None:
    """The coordinator (signed in on A and B) sends the claim to the demo's budget, on B."""
    coordinator: Browser | None = world.shared.get("coordinator")
    if coordinator is None:
        raise CheckFailed("the coordinator is not signed in (see the check before)")
    page = coordinator.get(world.b, "/staff/payments/claims/")
    form = re.search(rf'name="line" value="{line}">.*?</form>', page.text, re.S)
    budget = form and re.search(r'<option value="(\d+)">Involvement fees and expenses', form.group(0))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if budget is None or token is None:
        raise CheckFailed(f"claim {line} is not waiting for a budget on B's page ({page.status})")
    fields = {"csrfmiddlewaretoken": token.group(1), "line": line, "budget": budget.group(1)}
    sent = coordinator.post(world.b, "/staff/payments/claims/", fields)
    if sent.status != 302:
        raise CheckFailed(f"sending claim {line} for approval on B answered {sent.status}")


def _failed_sign_ins_until_refused(world: World, email: str, instances: list[str], limit: int = 10) -> tuple[int, str]:
    """Wrong passwords for ``email`` on ``instances`` in turn until refused: how many were let through, and where."""
    browser = Browser(new_address())
    for n in range(limit):
        base = instances[n % len(instances)]
        answer = _sign_in(browser, base, email, "not-the-password")
        if answer.status == 429 or "Too many failed" in answer.text:
            return n, world.name(base)
        if answer.status != 200:
            raise CheckFailed(f"a wrong password on {world.name(base)} answered {answer.status}")
    return limit, "nowhere"


def check_rate_limits(world: World) -> Iterator[Check]:
    """Failed sign-ins count across instances."""
    one, _where = _failed_sign_ins_until_refused(world, world.accounts["limit-one"]["email"], [world.a])
    both, where = _failed_sign_ins_until_refused(world, world.accounts["limit-both"]["email"], [world.a, world.b])
    right = _sign_in(Browser(new_address()), world.a, world.accounts["limit-both"]["email"], world.data["password"])
    yield Check(
        "failed sign-ins on A and B in turn are refused at the same count as on A alone",
        one == both == FAILED_SIGN_INS_ALLOWED and right.status == 200,
        f"on A alone: {one} let through, then refused; on A and B in turn: {both}, then refused on {where} "
        f"(the limit is {FAILED_SIGN_INS_ALLOWED}); the right password then, on A: "
        + ("refused" if right.status == 200 else f"{right.status}"),
    )


def check_rate_limits_busy_cache(world: World) -> Iterator[Check]:
    """Failed sign-ins count across instances while the shared cache is busy."""
    email = world.accounts["limit-busy"]["email"]
    browser = Browser(new_address())
    for n in range(FAILED_SIGN_INS_ALLOWED - 1):
        _sign_in(browser, world.instance(n), email, "not-the-password")
    # Meanwhile, two hundred other visitors each ask to reset a password, each on their own address:
    # every one is counted in the shared cache (per address and per e-mail address).
    lock = threading.Lock()
    numbers = iter(range(200))

    def visitor() -> None:
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            Browser(new_address()).send_form(
                world.instance(n), "/accounts/password/reset/", {"email": f"visitor-{n}@busy.withus.invalid"}
            )

    threads = [threading.Thread(target=visitor) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = _cache_entries(world)
    # The fifth wrong password is let through; the sixth, or more if the count was lost, is refused.
    let_through = 0
    while let_through < 10:
        answer = _sign_in(browser, world.instance(let_through + 1), email, "not-the-password")
        if answer.status == 429 or "Too many failed" in answer.text:
            break
        let_through += 1
    total = FAILED_SIGN_INS_ALLOWED - 1 + let_through
    yield Check(
        "failed sign-ins are still counted when the shared cache holds many others' limits",
        total == FAILED_SIGN_INS_ALLOWED,
        f"{FAILED_SIGN_INS_ALLOWED - 1} wrong passwords, then {entries} entries in the shared cache, then "
        f"{let_through} more let through before one was refused: {total} in all (the limit is "
        f"{FAILED_SIGN_INS_ALLOWED})",
    )


def _cache_entries(world: World) -> int:
    import psycopg

    with psycopg.connect(world.env["DATABASE_URL"]) as connection:
        row = connection.execute("SELECT COUNT(*) FROM withus_cache").fetchone()
        return int(row[0]) if row else 0


def _board_shows(world: World, code: str, tries: int = 6) -> dict[str, list[bool]]:
    """Whether the board, asked for ``tries`` times on each instance by visitors not signed in, lists ``code``."""
    visitor = Browser(new_address(), cookies=False)
    shown: dict[str, list[bool]] = {"A": [], "B": []}
    for n in range(tries * 2):
        base = world.instance(n)
        page = visitor.get(base, "/opportunities/")
        if page.status != 200:
            raise CheckFailed(f"the board on {world.name(base)} answered {page.status}")
        shown[world.name(base)].append(f'href="/opportunities/{code}/"' in page.text)
    return shown


def _until_board(world: World, code: str, listed: bool) -> tuple[float, bool]:
    """Seconds from now until every copy of the board on both instances lists ``code`` (or does not)."""
    started = time.monotonic()
    while True:
        shown = _board_shows(world, code)
        if all(value == listed for values in shown.values() for value in values):
            return time.monotonic() - started, True
        if time.monotonic() - started > KEPT_FOR + 5:
            return time.monotonic() - started, False
        time.sleep(2)


def check_public_pages(world: World) -> Iterator[Check]:
    """Public pages kept in each process show a change on every instance."""
    token = world.data["coordinator_token"]
    api = Browser(new_address())
    board = {item["short_code"] for item in api.api(world.a, "GET", "/opportunities?limit=100", token)["items"]}
    staff = api.api(world.a, "GET", "/staff/opportunities?status=published&limit=100", token)["items"]
    warm = Browser(new_address(), cookies=False).get(world.a, "/opportunities/").text
    chosen = next((o for o in staff if o["short_code"] in board and f"/opportunities/{o['short_code']}/" in warm), None)
    if chosen is None:
        raise CheckFailed("no opportunity of the coordinator's is on the board's first page")
    code = chosen["short_code"]
    before = _board_shows(world, code)  # every worker of both instances keeps a copy listing it
    if not all(all(values) for values in before.values()):
        raise CheckFailed(f"the board does not list {code} on every instance before: {before}")
    api.api(world.a, "POST", f"/opportunities/{chosen['id']}/status", token, {"status": "closed"})
    seconds, done = _until_board(world, code, listed=False)
    yield Check(
        "closed through A: gone from the board on A and B",
        done,
        _bound(seconds, done),
    )
    api.api(world.b, "POST", f"/opportunities/{chosen['id']}/status", token, {"status": "published"})
    seconds, done = _until_board(world, code, listed=True)
    yield Check("published again through B: on the board on A and B", done, _bound(seconds, done))


def _bound(seconds: float, done: bool) -> str:
    if not done:
        return f"still shown as before after {seconds:.0f} s (the bound is {KEPT_FOR} s)"
    if seconds < 2:
        return f"at once (every copy on both instances, in the first round of requests; the bound is {KEPT_FOR} s)"
    return f"after {seconds:.0f} s, within the bound of {KEPT_FOR} s"


def _mail_in(folder: Path) -> list[Any]:
    messages = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for text in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
            if text.strip():
                messages.append(message_from_string(text.strip()))
    return messages


def check_reminders(world: World) -> Iterator[Check]:
    """A reminder queued twice is sent once, by the worker."""
    token = world.data["coordinator_token"]
    api = Browser(new_address())
    sessions = api.api(world.a, "GET", "/sessions?limit=100", token)["items"]
    if not sessions:
        raise CheckFailed("the coordinator's organisation has no session")
    owner = f"action-owner-{secrets.token_hex(4)}@scaleout.withus.invalid"
    tomorrow = (datetime.now(LONDON).date() + timedelta(days=1)).isoformat()
    api.api(
        world.a,
        "POST",
        f"/sessions/{sessions[0]['id']}/actions",
        token,
        {"text": "Send the easy read summary", "owner_name": "Action Owner", "owner_email": owner, "due_on": tomorrow},
    )
    queued = [_withus(world, "remind", "--enqueue") for _machine in ("A", "B")]
    ids = [found.group(1) for text in queued if (found := re.search(r"\(([^)]+)\)", text))]
    finished = _wait_for_tasks(world, ids)

    def to_owner(name: str) -> list[Any]:
        return [m for m in _mail_in(world.work / "mail" / name) if owner in m["To"] and "action is due" in m["Subject"]]

    by_worker, by_a, by_b = to_owner("worker"), to_owner("A"), to_owner("B")
    reminders = [(m["To"], m["Subject"]) for m in _mail_in(world.work / "mail" / "worker")]
    repeated = len(reminders) - len(set(reminders))
    yield Check(
        "an action added through A, the reminders queued twice: its reminder sent once, by the worker",
        finished and len(by_worker) == 1 and not by_a and not by_b and repeated == 0,
        f"{len(ids)} tasks queued, {'both run' if finished else 'not all run within 90 s'}; the owner's reminder: "
        f"{len(by_worker)} from the worker, {len(by_a)} from A, {len(by_b)} from B; "
        f"the worker sent {len(reminders)} reminders in all, {repeated} of them twice",
    )


def _wait_for_tasks(world: World, ids: list[str]) -> bool:
    import psycopg

    deadline = time.monotonic() + 90
    with psycopg.connect(world.env["DATABASE_URL"], autocommit=True) as connection:
        while time.monotonic() < deadline:
            rows = connection.execute(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id::text = ANY(%s)", [ids]
            ).fetchall()
            if len(rows) == len(ids) and all(row[0] in ("SUCCESSFUL", "FAILED") for row in rows):
                return all(row[0] == "SUCCESSFUL" for row in rows)
            time.sleep(1)
    return False


# ---- The load ----------------------------------------------------------------------------------


def _run_load(world: World, args: argparse.Namespace) -> Check:
    hosts = [world.a, world.b]
    try:
        import locust  # noqa: F401 -- only whether it is there
    except ImportError:
        print("locust is not installed: a lighter loop of this script's own (threads of members in turn).")
        results, elapsed = _light_load(world, hosts, args)
    else:
        print(
            f"benchmarks/locustfile.py with locust: {args.users} members, {args.spawn_rate:g} a second, then "
            f"{args.duration} s, {args.wait[0]:g} to {args.wait[1]:g} s between pages; each member's requests "
            "go to A and B in turn.",
            flush=True,
        )
        started = time.monotonic()
        world.data["short_codes"] = load._board_short_codes(world.a)
        import locustfile

        results = locustfile.run(
            hosts,
            world.data,
            users=args.users,
            spawn_rate=args.spawn_rate,
            duration=args.duration,
            wait=tuple(args.wait),
        )
        elapsed = time.monotonic() - started
    print(load._report(results))
    total = sum(group["requests"] for group in results.values())
    errors = sum(group["5xx"] for group in results.values())
    print(f"{total} requests in {elapsed:.0f} s: {total / max(elapsed, 1):.1f} a second.")
    return Check("the load on A and B together", total > 0 and errors == 0, f"{total} requests, {errors} 5xx")


def _light_load(world: World, hosts: list[str], args: argparse.Namespace) -> tuple[dict[str, dict[str, Any]], float]:
    """Members in threads, each signing in and then reading pages, their requests going to A and B in turn."""
    groups = ["public board", "sign-in", "member pages", "API"]
    results: dict[str, dict[str, Any]] = {g: {"requests": 0, "5xx": 0, "failures": 0, "times": []} for g in groups}
    lock = threading.Lock()
    stop = time.monotonic() + args.duration

    def record(group: str, answer: Answer, expected: int) -> None:
        with lock:
            figures = results[group]
            figures["requests"] += 1
            figures["times"].append(answer.seconds * 1000)
            figures["5xx"] += answer.status >= 500
            figures["failures"] += answer.status != expected

    def member(account: dict[str, str]) -> None:
        browser = Browser(new_address())
        turn = itertools.cycle(hosts)
        record("sign-in", _sign_in(browser, next(turn), account["email"], world.data["password"]), 302)
        pages = itertools.cycle(["/opportunities/", "/me/", "/me/sessions/", "/me/payments/", "api"])
        while time.monotonic() < stop:
            page = next(pages)
            if page == "api":
                answer = browser.get(next(turn), "/api/me", {"Authorization": f"Bearer {account['token']}"})
                record("API", answer, 200)
            else:
                record(
                    "public board" if page == "/opportunities/" else "member pages", browser.get(next(turn), page), 200
                )
            time.sleep(args.wait[0])

    started = time.monotonic()
    threads = [threading.Thread(target=member, args=(account,)) for account in world.data["members"][: args.users]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def prepare(accounts: int, out: Path) -> None:
    """The load's data (benchmarks/load.py): the demo, member accounts with tokens, a coordinator's token."""
    load.prepare(accounts, out)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--prepare":
        prepare(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
