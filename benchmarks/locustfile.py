"""The members that benchmarks/load.py sets going: what each one does, and the figures it keeps.

Each member signs in (allauth's form, with their own address), then, pausing between
pages as a person reading does, uses the public board, their own pages, claims an
expense (mileage: no receipt needed) and calls the API with their token and with a
coordinator's. Now and then one signs in again, as from another browser.

Given several instances (benchmarks/scaleout.py), each member's requests go to them in
turn, as a load balancer in front of them might send them; one cookie jar serves them all.

Every request is named "group: page"; ``run`` keeps, for each group, the requests,
5xx answers, failures (an answer other than the one expected, or none) and every
response time. Expected answers are exact: a page is 200, a form sent is a 302 to
where it leads; anything else counts as a failure and is printed once.
"""

from __future__ import annotations

import itertools
import random
import re
from datetime import date
from http.cookiejar import Cookie, DefaultCookiePolicy
from typing import Any, ClassVar

import gevent
from locust import FastHttpUser, between, task
from locust.env import Environment

GROUPS = ["public board", "sign-in", "member pages", "claims", "API"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MEMBER_PAGES = ["/me/", "/me/sessions/", "/me/payments/", "/me/applications/", "/me/benefits/"]
MEMBER_API = ["/api/me", "/api/me/claims", "/api/me/sessions", "/api/me/applications", "/api/opportunities"]
COORDINATOR_API = ["/api/sessions", "/api/people?limit=20", "/api/staff/claims", "/api/staff/opportunities"]


class BehindTheProxy(DefaultCookiePolicy):
    """Send back the cookies marked Secure, as a browser does over the HTTPS that the proxy ends.

    The server sets its cookies Secure, as it must in production; the load speaks plain HTTP
    to it from where the proxy would stand, so it keeps them as the browser would.
    """

    def return_ok_secure(self, cookie: Cookie, request: Any) -> bool:
        return True


class Member(FastHttpUser):
    """One member, on their own address, with their own account and API token."""

    data: ClassVar[dict[str, Any]] = {}
    # The instances the requests go to in turn; none but ``host`` when empty.
    instances: ClassVar[list[str]] = []
    numbers: ClassVar[itertools.count[int]] = itertools.count()
    wait_time = between(3, 10)

    def on_start(self) -> None:
        number = next(self.numbers)
        self.account = self.data["members"][number % len(self.data["members"])]
        # The one proxy in front of the server appends the visitor's address; the server trusts it.
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.{number // 250}.{number % 250}.1"}
        self.turns = itertools.cycle(self.instances or [self.host])
        self.client.cookiejar.set_policy(BehindTheProxy())
        self.sign_in()

    def sign_in(self) -> None:
        self.client.cookiejar.clear()
        token = self._form("sign-in: form", "/accounts/login/")
        if token is not None:
            self._send(
                "sign-in: send",
                "/accounts/login/",
                {"csrfmiddlewaretoken": token, "login": self.account["email"], "password": self.data["password"]},
                leads_to="/",
            )

    @task(4)
    def board(self) -> None:
        self._page("public board: list", "/opportunities/")

    @task(1)
    def board_search(self) -> None:
        self._page("public board: search", "/opportunities/?q=panel&location=online")

    @task(2)
    def opportunity(self) -> None:
        code = random.choice(self.data["short_codes"])
        self._page("public board: opportunity", f"/opportunities/{code}/")

    @task(5)
    def own_page(self) -> None:
        page = random.choice(MEMBER_PAGES)
        self._page(f"member pages: {page}", page)

    @task(1)
    def claim_expense(self) -> None:
        token = self._form("claims: form", "/me/payments/expenses/new/")
        if token is None:
            return
        miles = f"{random.randint(10, 999) / 10:.1f}"
        self._send(
            "claims: send",
            "/me/payments/expenses/new/",
            {
                "csrfmiddlewaretoken": token,
                "category": "mileage",
                "miles": miles,
                "passengers": "0",
                "activity_date": date.today().isoformat(),
                "organisation": str(self.data["organisation_id"]),
                # Another journey of the same length the same day is asked about first; this member says yes.
                "confirm_duplicate": "on",
            },
            leads_to="/me/payments/expenses/",
        )

    @task(3)
    def member_api(self) -> None:
        path = random.choice(MEMBER_API)
        self._api(f"API: {path.split('?')[0]} (member)", path, self.account["token"])

    @task(1)
    def coordinator_api(self) -> None:
        path = random.choice(COORDINATOR_API)
        self._api(f"API: {path.split('?')[0]} (coordinator)", path, self.data["coordinator_token"])

    @task(1)
    def sign_in_again(self) -> None:
        self.sign_in()

    # ---- requests, each checked against the one answer expected ------------------------------

    def _url(self, path: str) -> tuple[str, str]:
        """The next instance's address for ``path``, and the Origin a browser would send there."""
        base = next(self.turns)
        return base + path, base.replace("http://", "https://")

    def _page(self, name: str, path: str) -> None:
        with self.client.get(
            self._url(path)[0], name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            _expect(response, 200)

    def _form(self, name: str, path: str) -> str | None:
        with self.client.get(
            self._url(path)[0], name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if not _expect(response, 200):
                return None
            found = CSRF.search(response.text or "")
            if found is None:
                response.failure("no CSRF token in the form")
                return None
            return found.group(1)

    def _send(self, name: str, path: str, fields: dict[str, str], *, leads_to: str) -> None:
        url, origin = self._url(path)
        headers = {**self.headers, "Origin": origin, "Referer": origin + path}
        with self.client.post(
            url, name=name, data=fields, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if _expect(response, 302) and not response.headers.get("Location", "").startswith(leads_to):
                response.failure(f"led to {response.headers.get('Location')}, not {leads_to}")

    def _api(self, name: str, path: str, token: str) -> None:
        headers = {**self.headers, "Authorization": f"Bearer {token}"}
        with self.client.get(self._url(path)[0], name=name, headers=headers, catch_response=True) as response:
            _expect(response, 200)


def _expect(response: Any, status: int) -> bool:
    if response.status_code == status:
        response.success()
        return True
    response.failure(f"{response.status_code}, expected {status}")
    return False


def run(
    base_url: str | list[str],
    data: dict[str, Any],
    *,
    users: int,
    spawn_rate: float,
    duration: int,
    wait: tuple[float, float] = (3, 10),
) -> dict[str, dict[str, Any]]:
    """Run ``users`` members against ``base_url`` (or several instances in turn) until ``duration`` seconds
    after the last has started."""
    instances = [base_url] if isinstance(base_url, str) else list(base_url)
    Member.host = instances[0]
    Member.instances = instances
    Member.data = data
    Member.wait_time = between(*wait)
    results: dict[str, dict[str, Any]] = {
        group: {"requests": 0, "5xx": 0, "failures": 0, "times": []} for group in GROUPS
    }
    reported: set[str] = set()
    environment = Environment(user_classes=[Member])

    def on_request(name: str, response_time: float, response: Any = None, exception: Any = None, **_: Any) -> None:
        figures = results[name.split(":")[0]]
        figures["requests"] += 1
        figures["times"].append(response_time)
        status = getattr(response, "status_code", 0) or 0
        if status >= 500:
            figures["5xx"] += 1
        if exception is not None:
            figures["failures"] += 1
            problem = f"{name}: {exception}"
            if problem not in reported:
                reported.add(problem)
                print(f"  failure: {problem}", flush=True)

    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    gevent.sleep(users / spawn_rate + duration)
    runner.quit()
    return results
