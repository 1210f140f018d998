"""The independence risk register: risks reviewed at least yearly, and risks the records show by themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.api.helpers import api_as
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.rewards.factories import IncomeLineFactory
from tests.support.factories import SupportAssignmentFactory
from withus.accounts.models import Role
from withus.concerns.independence import rules, selectors, services
from withus.concerns.independence.models import IndependenceRisk
from withus.rewards.models import IncomeLine

TODAY = timezone.localdate()


@given(st.integers(1, 5), st.integers(1, 5))
def test_the_rating_follows_the_score(likelihood, impact):
    value = rules.score(likelihood=likelihood, impact=impact)
    expected = "high" if value >= 15 else "medium" if value >= 8 else "low"
    assert rules.rating(likelihood=likelihood, impact=impact) == expected


def test_a_risk_needs_a_title_scores_from_1_to_5_and_a_review_within_a_year():
    problems = rules.risk_problems(title="", likelihood=0, impact=6, review_on=TODAY + timedelta(days=400), today=TODAY)
    assert set(problems) == {"title", "likelihood", "impact", "review_on"}
    assert (
        "past"
        in rules.risk_problems(title="T", likelihood=1, impact=1, review_on=TODAY - timedelta(days=1), today=TODAY)[
            "review_on"
        ]
    )
    assert not rules.risk_problems(
        title="T", likelihood=1, impact=1, review_on=TODAY + timedelta(days=365), today=TODAY
    )


def _representative_supported_and_paid_by(org, worker, *, approved=True):
    board = GroupFactory(organisation=org, name="Partnership board")
    local = GroupFactory(organisation=org, name="Hafan group", kind="network")
    rep = make_member(org, full_name="Rhian Rep")
    AppointmentFactory(group=board, person=rep, speaks_for=local)
    SupportAssignmentFactory(person=rep, organisation=org, staff=worker)
    IncomeLineFactory(
        person=rep,
        organisation=org,
        status=IncomeLine.Status.APPROVED if approved else IncomeLine.Status.ACCEPTED,
        decided_by=worker if approved else None,
    )
    return local


@pytest.mark.django_db
def test_the_records_flag_a_support_worker_approving_their_representatives_payments_and_a_single_representative(
    org_a, coordinator_a
):
    worker = make_staff(org_a, Role.SUPERVISOR, "wyn@example.org")
    _representative_supported_and_paid_by(org_a, worker)
    found = {f.kind: f for f in selectors.findings(org_a)}
    assert set(found) == {"support_approves", "single_representative"}
    assert "wyn@example.org" in found["support_approves"].title
    assert found["single_representative"].title == "Hafan group relies on a single representative."

    added, gone = services.record_findings(actor=coordinator_a, organisation=org_a)
    assert (len(added), gone) == (2, 0)
    # Flagging again adds nothing twice.
    assert services.record_findings(actor=coordinator_a, organisation=org_a) == ([], 0)
    assert IndependenceRisk.objects.filter(organisation=org_a).count() == 2


@pytest.mark.django_db
def test_nothing_is_flagged_when_the_support_worker_did_not_approve(org_a, coordinator_a):
    worker = make_staff(org_a, Role.SUPERVISOR, "wyn@example.org")
    local = _representative_supported_and_paid_by(org_a, worker, approved=False)
    AppointmentFactory(group=GroupFactory(organisation=org_a), person=make_member(org_a), speaks_for=local)
    assert selectors.findings(org_a) == []


@pytest.mark.django_db
def test_a_finding_that_goes_away_is_marked_no_longer_found(org_a, coordinator_a):
    worker = make_staff(org_a, Role.SUPERVISOR)
    local = _representative_supported_and_paid_by(org_a, worker)
    services.record_findings(actor=coordinator_a, organisation=org_a)
    AppointmentFactory(group=GroupFactory(organisation=org_a), person=make_member(org_a), speaks_for=local)
    _added, gone = services.record_findings(actor=coordinator_a, organisation=org_a)
    assert gone == 1
    single = IndependenceRisk.objects.get(kind="single_representative")
    assert single.no_longer_found_on == TODAY


@pytest.mark.django_db
def test_a_coordinator_adds_and_reviews_risks_and_others_cannot(org_a, org_b, coordinator_a):
    client = staff_client(coordinator_a)
    refused = client.post("/staff/independence/", {"action": "add", "title": "", "kind": "funding"})
    assert refused.status_code == 200 and "Say what the risk is." in refused.content.decode()
    assert not IndependenceRisk.objects.exists()
    review_on = TODAY + timedelta(days=200)
    added = client.post(
        "/staff/independence/",
        {
            "action": "add",
            "title": "The trust funds the forum",
            "kind": "funding",
            "likelihood": "4",
            "impact": "4",
            "mitigations": "Funding through the host organisation",
            "owner": coordinator_a.pk,
            "review_on_day": review_on.day,
            "review_on_month": review_on.month,
            "review_on_year": review_on.year,
        },
    )
    assert added.status_code == 302, added.context["form"].errors
    risk = IndependenceRisk.objects.get()
    assert (risk.likelihood, risk.owner, risk.review_on) == (4, coordinator_a, review_on)
    page = client.get("/staff/independence/").content.decode()
    assert "The trust funds the forum" in page and "High" in page

    too_late = TODAY + timedelta(days=500)
    refused = client.post(
        f"/staff/independence/{risk.pk}/",
        {
            "likelihood": "2",
            "impact": "4",
            "review_on_day": too_late.day,
            "review_on_month": too_late.month,
            "review_on_year": too_late.year,
        },
    )
    assert "at least once a year" in refused.content.decode()
    risk.refresh_from_db()
    assert risk.likelihood == 4 and risk.last_reviewed_on is None
    services.review_risk(
        actor=coordinator_a, risk=risk, likelihood=2, impact=4, mitigations="Host pays", owner=None, review_on=review_on
    )
    risk.refresh_from_db()
    assert (risk.likelihood, risk.last_reviewed_on) == (2, TODAY)

    assert member_client(make_member(org_a)).get("/staff/independence/").status_code == 403
    assert "The trust funds" not in staff_client(make_staff(org_b)).get("/staff/independence/").content.decode()
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.add_risk(
            actor=supervisor, organisation=org_a, title="T", kind="other", likelihood=1, impact=1, review_on=review_on
        )
    with pytest.raises(ValidationError):
        services.add_risk(
            actor=coordinator_a,
            organisation=org_a,
            title="T",
            kind="other",
            likelihood=9,
            impact=1,
            review_on=review_on,
        )


@pytest.mark.django_db
def test_the_api_lists_the_register_and_adds_what_the_records_show(org_a, coordinator_a):
    worker = make_staff(org_a, Role.SUPERVISOR)
    _representative_supported_and_paid_by(org_a, worker)
    api = api_as(coordinator_a, org_a)
    assert api.get("/api/independence/risks").json() == []
    added = api.post("/api/independence/findings", {}).json()
    assert len(added["added"]) == 2 and added["no_longer_found"] == 0
    listed = api.get("/api/independence/risks").json()
    assert {r["kind"] for r in listed} == {"support_approves", "single_representative"}
    assert all(r["found_in_records"] for r in listed)
    assert api_as(worker, org_a, Role.SUPERVISOR).post("/api/independence/findings", {}).status_code == 403


@pytest.mark.django_db
def test_the_daily_round_adds_what_the_records_show_and_tells_owners_of_missed_reviews_once(
    org_a, coordinator_a, mailoutbox
):
    from django.core.management import call_command

    worker = make_staff(org_a, Role.SUPERVISOR, "wyn@example.org")
    _representative_supported_and_paid_by(org_a, worker)
    owned = IndependenceRisk.objects.create(
        organisation=org_a, title="Funded by the trust", likelihood=3, impact=3, owner=worker, review_on=TODAY
    )
    unowned = IndependenceRisk.objects.create(
        organisation=org_a, title="Chosen by the trust", likelihood=2, impact=2, review_on=TODAY + timedelta(days=3)
    )
    call_command("independence", "daily", "--date", str(TODAY + timedelta(days=5)))
    assert IndependenceRisk.objects.filter(organisation=org_a).exclude(source_key="").count() == 2
    by_subject: dict[str, list[str]] = {}
    for message in mailoutbox:
        by_subject.setdefault(message.subject, []).extend(message.to)
    assert by_subject["A risk to independence is due its review"].count("wyn@example.org") == 1
    assert coordinator_a.email in by_subject["A risk to independence is due its review"]
    assert by_subject["The records show new risks to independence"] == [coordinator_a.email]
    # The risks just found are due their review today, not yet past it.
    told = sum(len(m.to) for m in mailoutbox if m.subject == "A risk to independence is due its review")
    assert told == 2
    owned.refresh_from_db()
    assert owned.overdue_told_for == TODAY
    # Run again: nothing added, no one told twice.
    sent = len(mailoutbox)
    call_command("independence", "daily", "--date", str(TODAY + timedelta(days=5)))
    assert len(mailoutbox) == sent
    # Reviewed, with a new date that then passes: told again, once.
    services.review_risk(
        actor=coordinator_a,
        risk=unowned,
        likelihood=2,
        impact=2,
        mitigations="",
        owner=worker,
        review_on=TODAY + timedelta(days=10),
    )
    # The reviewed risk (to its new owner) and the two found at the last round, now past their review.
    assert services.daily_round(today=TODAY + timedelta(days=11)).overdue_told == 3
    assert sorted(m.to[0] for m in mailoutbox[sent:]) == sorted([coordinator_a.email] * 2 + ["wyn@example.org"])
    assert services.daily_round(today=TODAY + timedelta(days=11)).overdue_told == 0


@pytest.mark.django_db
def test_the_daily_round_says_when_a_date_is_not_one():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="year-month-day"):
        call_command("independence", "daily", "--date", "tomorrow")
