"""Every API operation, fuzzed from the API's own OpenAPI document with schemathesis.

The document is the one the application serves at /api/openapi.json, read through
the WSGI application in this process, so what is fuzzed is what clients are told.
Each operation runs twice, with a member token and with a coordinator token, and the
payment operations a third time with the token of the budget's holder (who alone
approves and returns claims and pays batches), against one organisation with a little
of everything: a member who shares with it (and a deputy), an opportunity they
responded to and one still open, a session already sent with its attendance and an
action, one planned and ready to send, one on now with a check-in code, a claim the
benefits guard warns about, payments made, a batch exported and one waiting. Every
answer must be one the document promises: never a 5xx, a status code and a content
type the operation lists, and a body that matches the schema of that status.

Ids in paths and bodies are random, so half the time the hooks below put in the
id of a real object instead (and a few other real values: a session's times, the
check-in code, the consent registering someone needs, an expense the rules accept),
so that operations get past "not found" and "not valid" to the work behind them.

How the database is kept: the test runs in pytest-django's transaction, the world
is made once per test, and each example's request runs in a savepoint that is
rolled back after it. So every example meets exactly the same data, whatever ran
before it, and hypothesis can replay a failing example and see it fail again. The
application is called as Django's test client calls it (connections stay open
between requests), because closing the connection would end the test's transaction.

Bounded and repeatable: a fixed seed, derandomised generation, 20 examples per
operation and role (positive and negative), no example database on disk, no deadline and
no health check that depends on how busy the machine is, so a run on a loaded CI machine
sends exactly the requests a run on a laptop sends.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import hypothesis.strategies as st
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.accounts.factories import OrganisationFactory
from tests.api.helpers import raw_token
from tests.conftest import make_member, make_staff
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.meetings.factories import ActionFactory, make_attendance, make_invitation, make_session, make_venue
from tests.opportunities.factories import ApplicationFactory, make_opportunity
from tests.people.factories import share
from tests.rewards.factories import BudgetFactory, IncomeLineFactory, PaymentBatchFactory, RewardPreferenceFactory
from withus.accounts.models import Role
from withus.meetings import selectors as meetings_selectors
from withus.meetings.models import StandardOverride
from withus.people.models import Tag
from withus.rewards.fees import services as fee_services
from withus.rewards.finance import services as finance_services
from withus.rewards.guard import services as guard_services
from withus.rewards.models import BenefitLimit
from withus.wsgi import application

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20250406,
        "generation": {
            "max-examples": 20,
            "deterministic": True,
            "database": "none",
            # The test sends each role's token itself; a missing or wrong token is tests/api/test_auth.py's.
            "with-security-parameters": False,
        },
        # The coverage phase is off because it ignores max-examples: it sends several hundred boundary
        # cases to every operation that takes a body, which would make this test take a quarter of an hour.
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

LONDON = ZoneInfo("Europe/London")
CHECK_IN_CODE = "KQ7H2M"
ROLES = {"member": Role.MEMBER, "coordinator": Role.COORDINATOR}
# Paying and deciding claims are the budget holder's: the payment operations are also fuzzed with their token.
PAYMENTS_ROLE = {"budget_holder": Role.BUDGET_HOLDER}


Candidates = dict[str, tuple[Any, ...]]


@dataclass(frozen=True)
class World:
    """What the fuzzer may aim at: each role's token, and real values by the name of what carries them."""

    tokens: dict[str, str]
    in_paths: Candidates
    in_bodies: Candidates


# The world of the test that is running, for the hooks below: schemathesis calls them without fixtures.
current: list[World] = []


def _aimed(values: dict[str, Any], candidates: Candidates) -> Any:
    """A strategy for ``values`` with each value that has real candidates replaced by one of them.

    A candidate replaces only a value of its own type (an id an id, a short code a string); a list
    becomes a list of one candidate.
    """
    drawn = {}
    for name, value in values.items():
        if isinstance(value, list):
            fitting = [[real] for real in candidates.get(name, ()) if value and type(value[0]) is type(real)]
        else:
            fitting = [real for real in candidates.get(name, ()) if type(value) is type(real)]
        drawn[name] = st.sampled_from(fitting) if fitting else st.just(value)
    return st.fixed_dictionaries(drawn)


def _without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Half the time, each id in the path names a real object, so operations get past "not found"."""
    if not path_parameters or not current:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), _aimed(path_parameters, current[0].in_paths))


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    """Often, a body names real things (the organisation's groups and people, a session's times) and
    leaves out what it would otherwise send as null, so that more bodies get past validation to the work."""
    if not isinstance(body, dict) or not body or not current:
        return st.just(body)
    aimed = _aimed(body, current[0].in_bodies)
    return st.one_of(st.just(body), aimed, aimed.map(_without_nulls))


@pytest.fixture
def world(db: None) -> Iterator[World]:
    """One organisation with a little of everything the API shows, in the states its answers describe."""
    now = timezone.localtime()
    organisation = OrganisationFactory(name="Gwasanaethau Ceredigion", contact_phone="01970 000000")
    coordinator = make_staff(organisation, Role.COORDINATOR)
    holder = make_staff(organisation, Role.BUDGET_HOLDER)
    member = make_member(full_name="Alaw Jones", preferred_name="Alaw", needs_large_print=True)
    share(member, organisation, act_on_behalf=True)
    assert member.user is not None
    deputy = make_member(organisation, full_name="Bryn Davies", address="2 Stryd Fawr", preferred_channel="post")
    listening, _created = Tag.objects.get_or_create(kind="skill", slug="listening", defaults={"name": "Listening"})
    member.tags.add(listening)
    group = GroupFactory(organisation=organisation, name="Partnership board")
    venue = make_venue(organisation)
    # One opportunity the member has responded to, and one still open to them.
    opportunity = make_opportunity(organisation, coordinator, group=group)
    opportunity.tags.add(listening)
    open_to_them = make_opportunity(organisation, coordinator, application_process="none", title="Crisis leaflet")
    response = ApplicationFactory(opportunity=opportunity, person=member)
    AppointmentFactory(group=group, person=member, opportunity=opportunity, deputy=deputy)
    # A session already sent, with its attendance and actions; one planned, ready to send; one on now.
    session = make_session(organisation, coordinator, venue=venue, group=group, opportunity=opportunity)
    make_invitation(session, member, sent_at=now - timedelta(days=20), channel="email")
    make_invitation(session, None, name="Dr Gwen Lloyd", email="gwen@example.org", role="staff")
    make_attendance(session, member, minutes_present=90)
    make_attendance(session, deputy, status="apologies", stood_in_for=member)
    action = ActionFactory(session=session)
    planned = make_session(organisation, coordinator, online=True, status="planned", title="Planning day")
    make_invitation(planned, member)
    make_invitation(planned, deputy)
    for standard in ["papers", *meetings_selectors.unmet_without_reason(planned)]:
        StandardOverride.objects.update_or_create(
            session=planned, standard=standard, defaults={"reason": "Agreed with the group", "recorded_by": coordinator}
        )
    today = make_session(
        organisation,
        coordinator,
        online=True,
        title="Drop-in",
        starts_at=max(now - timedelta(minutes=30), now.replace(hour=0, minute=1, second=0, microsecond=0)),
        ends_at=now + timedelta(hours=2),
        check_in_code=CHECK_IN_CODE,
    )
    make_invitation(today, member, sent_at=now - timedelta(days=20), channel="email")
    budget = BudgetFactory(organisation=organisation, holder=holder)
    # A carer's fee this week, over the weekly earnings limit: the claim comes with the guard's warning.
    monday = now.date() - timedelta(days=now.weekday())
    BenefitLimit.objects.create(
        rule="carers_allowance", period="week", amount=Decimal("196.00"), valid_from=monday, source="Test row"
    )
    guard_services.declare_benefit(
        actor=member.user, person=member, benefit="carers_allowance", share_with=[organisation]
    )
    offer = fee_services.offer_fee(
        actor=coordinator,
        organisation=organisation,
        person=member,
        description="Recruitment panel",
        amount=Decimal("250.00"),
        activity_date=monday,
        hours=Decimal("5"),
    )
    guard_services.choose(actor=member.user, line=offer, choice="accept")
    claim = finance_services.submit_claim(actor=member.user, line=offer, budget=budget)
    # Paid last summer, in the 2025/26 tax year: a fee by bank transfer and a train fare paid back.
    RewardPreferenceFactory(person=member)
    paid_on = datetime(2025, 7, 1, 12, tzinfo=LONDON)
    paid_batch = PaymentBatchFactory(
        organisation=organisation,
        created_by=holder,
        status="paid",
        exported_at=paid_on,
        paid_at=paid_on,
        paid_by=holder,
    )
    paid = {"status": "paid", "paid_at": paid_on, "method": "bank_transfer", "batch": paid_batch}
    IncomeLineFactory(person=member, organisation=organisation, hours=Decimal("2.50"), **paid)
    IncomeLineFactory(
        person=member,
        organisation=organisation,
        kind="expense",
        description="Train to Aberystwyth",
        expense_category="public_transport",
        amount=Decimal("12.40"),
        **paid,
    )
    # A batch exported and waiting to be marked paid.
    exported = PaymentBatchFactory(organisation=organisation, created_by=holder, status="exported", exported_at=now)
    IncomeLineFactory(person=member, organisation=organisation, batch=exported, status="approved", budget=budget)
    # Approved and gathered into a batch not yet exported; another approved, not yet gathered.
    approved = {"status": "approved", "method": "bank_transfer", "budget": budget, "decided_by": holder}
    batch = PaymentBatchFactory(organisation=organisation, created_by=holder)
    IncomeLineFactory(person=member, organisation=organisation, batch=batch, description="Focus group", **approved)
    IncomeLineFactory(person=member, organisation=organisation, description="Interview panel", **approved)
    users = {"member": member.user, "coordinator": coordinator, "budget_holder": holder}
    world = World(
        tokens={name: raw_token(users[name], organisation, role) for name, role in {**ROLES, **PAYMENTS_ROLE}.items()},
        in_paths={
            "person_id": (member.pk, deputy.pk),
            # The short code where the operation takes one, the id where it takes that.
            "opportunity": (opportunity.short_code, open_to_them.short_code, opportunity.pk, open_to_them.pk),
            "short_code": (opportunity.short_code, open_to_them.short_code),
            "opportunity_id": (opportunity.pk, open_to_them.pk),
            "application_id": (response.pk,),
            "session_id": (session.pk, planned.pk, today.pk),
            "action_id": (action.pk,),
            "claim_id": (claim.pk,),
            "batch_id": (batch.pk, exported.pk, paid_batch.pk),
            "year": (2025,),
        },
        in_bodies={
            "person": (member.pk, deputy.pk),
            "people": (member.pk, deputy.pk),
            "deputy": (deputy.pk,),
            "buddy": (deputy.pk,),
            "stood_in_for": (member.pk, deputy.pk),
            "group": (group.pk,),
            "venue": (venue.pk,),
            "opportunity": (opportunity.pk, open_to_them.pk),
            "contact": (coordinator.pk,),
            "standard": ("numbers", "papers"),
            "code": (CHECK_IN_CODE,),
            "online_link": ("https://meet.example.org/board",),
            # A session's times in the years sessions may be in, and a term of office: each end after its start.
            "starts_at": ("2030-06-12T10:30:00",),
            "ends_at": ("2030-06-12T13:00:00",),
            "term_start": (now.date().isoformat(),),
            "planned_end": ((now.date() + timedelta(days=3 * 365)).isoformat(),),
            # The consent registering someone needs.
            "keep_details": (True,),
            "act_on_behalf": (True,),
            # An expense claim the rules accept: paid this week, within the limit, a taxi agreed beforehand.
            "activity_date": (monday.isoformat(),),
            "amount": ("12.40", 12.4),
            "miles": ("18.0", 18.0),
            "agreed_beforehand": (True,),
        },
    )
    current[:] = [world]
    yield world
    current.clear()


@pytest.fixture
def in_process() -> Iterator[None]:
    """Requests keep the database connection open, as with Django's test client, so the test's transaction lives."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _answers_as_documented(case: Any, token: str) -> None:
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)


# The fixtures are made once for all of an operation's examples, and that is safe here: no example can
# change what the next one sees, because each request's writes are rolled back (see the module's docstring).
# How long generating an example takes depends on the machine's load, so that health check is off too.
UNHURRIED = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("role", list(ROLES))
@schema.parametrize()
@UNHURRIED
def test_every_operation_answers_as_documented(case: Any, role: str, world: World, in_process: None) -> None:
    _answers_as_documented(case, world.tokens[role])


@pytest.mark.parametrize("role", list(PAYMENTS_ROLE))
@schema.include(tag="rewards").parametrize()
@UNHURRIED
def test_every_payment_operation_answers_the_budget_holder_as_documented(
    case: Any, role: str, world: World, in_process: None
) -> None:
    _answers_as_documented(case, world.tokens[role])


def _broken(document: dict[str, Any], breakage: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    if breakage == "Server error":

        def fails(request: Any) -> None:
            raise RuntimeError("broken on purpose")

        monkeypatch.setattr("withus.api.account.token_of", fails)
    elif breakage == "Response violates schema":
        document["components"]["schemas"]["MeOut"]["properties"]["email"] = {"type": "integer"}
    else:
        del document["paths"]["/api/me"]["get"]["responses"]["200"]
    return document


@pytest.mark.parametrize("breakage", ["Server error", "Response violates schema", "Undocumented status code"])
def test_an_answer_that_breaks_the_document_fails_the_fuzzing(
    breakage: str, world: World, in_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks above are not decoration: GET /api/me made to fail, or its document made not to match
    the answer (the e-mail documented as a number, or the 200 not documented), fails them."""
    document = _broken(copy.deepcopy(schema.raw_schema), breakage, monkeypatch)
    broken = schemathesis.openapi.from_dict(document, config=CONFIG)
    broken.app = application

    with pytest.raises((Failure, BaseExceptionGroup)) as failed:
        _answers_as_documented(broken["/api/me"]["GET"].Case(), world.tokens["member"])

    assert breakage in {failure.title for failure in getattr(failed.value, "exceptions", (failed.value,))}
