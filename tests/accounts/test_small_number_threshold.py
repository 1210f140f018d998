"""One small-number threshold per organisation: kept through the migration, set by its admin alone (web and
API, 2 to 50, audited), and used by every figure about people: survey results, presence and the concerns summary."""

from __future__ import annotations

import importlib
import json
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.api.helpers import ApiClient, api_as, assert_error
from tests.concerns.factories import raise_one
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.impact.surveys.factories import make_survey, values
from tests.reports.test_annual_report import YEAR, involve
from withus.accounts import selectors, services
from withus.accounts.models import Organisation, Role, User
from withus.concerns import selectors as concern_selectors
from withus.impact.surveys import selectors as survey_selectors
from withus.impact.surveys import services as survey_services
from withus.impact.surveys.models import Survey
from withus.reports import selectors as report_selectors
from withus.reports import services as report_services

pytestmark = pytest.mark.django_db

MIGRATION = "0006_organisation_small_number_threshold"
PAGE = "/staff/organisation/small-numbers/"
API = "/api/organisation/small-numbers"


@pytest.fixture
def admin_a(org_a: Organisation) -> User:
    return make_staff(org_a, Role.ADMIN, "admin-a@example.org")


def threshold_in_database(organisation: Organisation) -> int:
    return Organisation.objects.values_list("small_number_threshold", flat=True).get(pk=organisation.pk)


def put(api: ApiClient, body: Any) -> Any:
    return api.client.put(API, json.dumps(body), content_type="application/json", headers=api.headers)


def set_seven(organisation: Organisation) -> None:
    services.set_small_number_threshold(
        actor=make_staff(organisation, Role.ADMIN), organisation=organisation, threshold=7
    )


# ---- The migration ------------------------------------------------------------------------------------------


def test_the_migration_keeps_the_higher_of_two_thresholds_and_five_when_none_was_set() -> None:
    kept = importlib.import_module(f"withus.accounts.migrations.{MIGRATION}").kept_threshold
    assert kept(None, None) == 5
    assert kept(8, None) == 8 and kept(None, 3) == 3
    assert kept(3, 8) == 8 and kept(9, 4) == 9  # the higher hides more: nothing hidden before is shown now


@pytest.mark.django_db(transaction=True)
def test_migrating_keeps_each_organisations_own_threshold() -> None:
    executor = MigrationExecutor(connection)
    old = executor.migrate([("accounts", "0005_safeguarding_lead_role")]).apps
    Old = old.get_model("accounts", "Organisation")
    surveys_only = Old.objects.create(name="Surveys at 8", slug="surveys-8")
    presence_only = Old.objects.create(name="Presence at 3", slug="presence-3")
    both = Old.objects.create(name="Both, 4 and 9", slug="both")
    Old.objects.create(name="Never chose", slug="neither")
    old.get_model("impact", "SurveySettings").objects.create(organisation=surveys_only, small_number_threshold=8)
    old.get_model("impact", "SurveySettings").objects.create(organisation=both, small_number_threshold=4)
    old.get_model("reports", "PresenceSettings").objects.create(organisation=presence_only, small_number=3)
    old.get_model("reports", "PresenceSettings").objects.create(organisation=both, small_number=9)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept = dict(Organisation.objects.values_list("slug", "small_number_threshold"))
    assert kept["surveys-8"] == 8 and kept["presence-3"] == 3 and kept["both"] == 9 and kept["neither"] == 5
    tables = connection.introspection.table_names()
    assert "impact_surveysettings" not in tables and "reports_presencesettings" not in tables


# ---- Setting it: the service -----------------------------------------------------------------------------


def test_an_admin_sets_it_and_the_change_is_audited(org_a: Organisation, admin_a: User) -> None:
    assert selectors.small_number_threshold(org_a) == 5
    services.set_small_number_threshold(actor=admin_a, organisation=org_a, threshold=7)
    assert threshold_in_database(org_a) == 7 and selectors.small_number_threshold(org_a) == 7
    entry = LogEntry.objects.get_for_object(org_a).latest("timestamp")
    assert entry.actor == admin_a
    assert entry.changes_dict["small_number_threshold"] == ["5", "7"]


@pytest.mark.parametrize("bad", [1, 51, 0, -3, "seven", None, True])
def test_a_number_outside_2_to_50_is_refused_and_nothing_is_written(
    org_a: Organisation, admin_a: User, bad: Any
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.set_small_number_threshold(actor=admin_a, organisation=org_a, threshold=bad)
    assert refused.value.message_dict == {"small_number_threshold": ["Choose a number from 2 to 50."]}
    assert threshold_in_database(org_a) == 5 and org_a.small_number_threshold == 5
    assert not LogEntry.objects.get_for_object(org_a).filter(action=LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize("ok", [2, 50])
def test_2_and_50_are_allowed(org_a: Organisation, admin_a: User, ok: int) -> None:
    services.set_small_number_threshold(actor=admin_a, organisation=org_a, threshold=ok)
    assert threshold_in_database(org_a) == ok


def test_only_the_organisations_own_admin_may_change_it(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, member_a: Any
) -> None:
    admin_b = make_staff(org_b, Role.ADMIN)
    for role in (Role.BUDGET_HOLDER, Role.SUPERVISOR, Role.DECISION_MAKER, Role.SAFEGUARDING_LEAD):
        with pytest.raises(PermissionDenied):
            services.set_small_number_threshold(actor=make_staff(org_a, role), organisation=org_a, threshold=7)
    for actor in (coordinator_a, member_a.user, admin_b):
        with pytest.raises(PermissionDenied):
            services.set_small_number_threshold(actor=actor, organisation=org_a, threshold=7)
    assert threshold_in_database(org_a) == 5


# ---- Setting it: the page ----------------------------------------------------------------------------------


def test_the_admin_changes_it_on_the_organisation_settings(org_a: Organisation, admin_a: User) -> None:
    client = staff_client(admin_a)
    organisation_page = client.get(reverse("accounts:organisation")).content.decode()
    assert "Counts below 5 are hidden." in organisation_page and PAGE in organisation_page
    page = client.get(PAGE)
    assert page.status_code == 200 and 'value="5"' in page.content.decode()
    response = client.post(PAGE, {"small_number_threshold": "7"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:organisation")
    assert "Counts below 7 are now hidden." in response.content.decode()
    assert "Counts below 7 are hidden." in response.content.decode()
    assert threshold_in_database(org_a) == 7


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1", "Choose a number from 2 to 50."),
        ("51", "Choose a number from 2 to 50."),
        ("seven", "Enter a whole number from 2 to 50, like 5."),
        ("", "Enter the smallest count that may be shown, a number from 2 to 50."),
    ],
)
def test_a_bad_number_on_the_page_says_what_is_wrong_and_keeps_what_was_typed(
    org_a: Organisation, admin_a: User, typed: str, message: str
) -> None:
    response = staff_client(admin_a).post(PAGE, {"small_number_threshold": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and html.count(message) == 2  # in the summary and by the field
    assert 'aria-invalid="true"' in html
    if typed:
        assert f'value="{typed}"' in html  # what was typed is kept, not the saved 5
    assert threshold_in_database(org_a) == 5


def test_nobody_but_an_admin_opens_the_page(org_a: Organisation, org_b: Organisation, coordinator_a: User) -> None:
    assert staff_client(coordinator_a).get(PAGE).status_code == 403
    assert staff_client(coordinator_a).post(PAGE, {"small_number_threshold": "7"}).status_code == 403
    assert member_client(make_member(org_a)).post(PAGE, {"small_number_threshold": "7"}).status_code == 403
    # Another organisation's admin changes only their own organisation: the page never takes one from outside.
    admin_b = make_staff(org_b, Role.ADMIN)
    assert staff_client(admin_b).post(PAGE, {"small_number_threshold": "7"}).status_code == 302
    assert threshold_in_database(org_a) == 5 and threshold_in_database(org_b) == 7


def test_the_staff_home_lists_it_for_admins_only(org_a: Organisation, admin_a: User, coordinator_a: User) -> None:
    assert PAGE in staff_client(admin_a).get(reverse("accounts:staff_home")).content.decode()
    assert PAGE not in staff_client(coordinator_a).get(reverse("accounts:staff_home")).content.decode()


def test_the_survey_and_presence_pages_no_longer_set_their_own(org_a: Organisation, admin_a: User) -> None:
    client = staff_client(admin_a)
    surveys = client.get(reverse("impact:survey_list")).content.decode()
    population = client.get(reverse("reports:population")).content.decode()
    assert 'name="small_number_threshold"' not in surveys and "small_number" not in population
    assert "Counts below 5 are hidden." in surveys and PAGE in surveys
    assert "Counts below 5 are hidden." in population and PAGE in population
    assert population.count('<form method="post" novalidate>') == 1  # the population figure's form alone


# ---- Setting it: the API -----------------------------------------------------------------------------------


def test_staff_read_it_and_an_admin_token_sets_it(org_a: Organisation, admin_a: User, coordinator_a: User) -> None:
    assert api_as(coordinator_a, org_a).get(API).json() == {"small_number_threshold": 5}
    response = put(api_as(admin_a, org_a, Role.ADMIN), {"small_number_threshold": 7})
    assert response.status_code == 200, response.content
    assert response.json() == {"small_number_threshold": 7}
    assert threshold_in_database(org_a) == 7
    assert LogEntry.objects.get_for_object(org_a).latest("timestamp").actor == admin_a


@pytest.mark.parametrize(
    ("sent", "message"),
    [(1, "Choose a number from 2 to 50."), (51, "Choose a number from 2 to 50."), ("seven", "Use a whole number.")],
)
def test_the_api_refuses_a_bad_number_and_writes_nothing(
    org_a: Organisation, admin_a: User, sent: Any, message: str
) -> None:
    body = assert_error(put(api_as(admin_a, org_a, Role.ADMIN), {"small_number_threshold": sent}), 422, "invalid")
    assert body["fields"] == {"small_number_threshold": [message]}
    assert threshold_in_database(org_a) == 5


def test_only_an_admin_token_of_the_organisation_sets_it(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, member_a: Any, admin_a: User
) -> None:
    assert_error(put(api_as(coordinator_a, org_a), {"small_number_threshold": 7}), 403, "forbidden")
    assert_error(put(api_as(member_a.user, org_a, Role.MEMBER), {"small_number_threshold": 7}), 403, "forbidden")
    assert_error(api_as(member_a.user, org_a, Role.MEMBER).get(API), 403, "forbidden")
    # An admin who is also a coordinator, using the coordinator token, is held to the token's role.
    services.grant_role(organisation=org_a, email=admin_a.email, role=Role.COORDINATOR, actor=admin_a)
    assert_error(put(api_as(admin_a, org_a, Role.COORDINATOR), {"small_number_threshold": 7}), 403, "forbidden")
    # B's admin can only ever reach B: a token works in the one organisation it was issued for.
    admin_b = make_staff(org_b, Role.ADMIN)
    assert put(api_as(admin_b, org_b, Role.ADMIN), {"small_number_threshold": 7}).status_code == 200
    assert threshold_in_database(org_a) == 5 and threshold_in_database(org_b) == 7


# ---- Seven hides six everywhere ---------------------------------------------------------------------------


def six_carers_answered(coordinator: User) -> Survey:
    survey = make_survey(coordinator, audience="public", results_shown="while_open")
    for _n in range(6):
        token = survey_services.issue_token(survey=survey)
        survey_services.submit_answer(survey=survey, token=token, values=values(survey), perspective="carer")
    return survey


def test_seven_hides_six_answers_in_survey_results_on_the_page_in_the_csv_and_the_api(
    org_a: Organisation, coordinator_a: User, coordinator_api_a: ApiClient
) -> None:
    survey = six_carers_answered(coordinator_a)
    client = staff_client(coordinator_a)
    results_url = reverse("impact:survey_results", args=[survey.pk])
    csv_url = reverse("impact:survey_results_csv", args=[survey.pk])
    api_url = f"/api/staff/surveys/{survey.pk}/results"
    assert survey_selectors.results(survey).answers.cells["carer"] == 6
    assert coordinator_api_a.get(api_url).json()["answers"]["carer"] == 6
    set_seven(org_a)
    assert survey_selectors.results(Survey.objects.get(pk=survey.pk)).answers.cells["carer"] is None
    page = client.get(results_url).content.decode()
    assert "fewer than 7" in page and "Counts below 7 are hidden." in page
    assert PAGE not in page  # a coordinator is told who sets it, without a link they could not follow
    assert "admin sets this one number for every result and report" in page
    rows = b"".join(client.get(csv_url).streaming_content).decode().splitlines()
    assert rows[1] == "Number of answers,,0,<7,0,hidden,"
    body = coordinator_api_a.get(api_url).json()
    assert body["threshold"] == 7 and body["answers"]["carer"] is None


def levels_of(presence: dict[str, Any]) -> dict[str, Any]:
    return next(t for t in presence["tables"] if t["key"] == "levels")


def test_seven_hides_six_people_in_presence_on_the_page_in_the_csv_and_the_api(
    org_a: Organisation, coordinator_a: User, coordinator_api_a: ApiClient
) -> None:
    involve(org_a, 6)
    assert ["Consulted", 6, 6] in levels_of(report_selectors.presence(org_a, YEAR))["rows"]
    set_seven(org_a)
    assert ["Consulted", None, None] in levels_of(report_selectors.presence(org_a, YEAR))["rows"]
    page = staff_client(coordinator_a).get(reverse("reports:presence"), {"year": YEAR}).content.decode()
    assert "Counts below 7 are hidden." in page and "fewer than 7" in page
    body = coordinator_api_a.get("/api/reports/presence", {"year": YEAR}).json()
    assert body["small_number"] == 7 and body["involved"] is None
    assert ["Consulted", None, None] in levels_of(body)["rows"]


def test_seven_hides_six_concerns_in_the_summary_the_report_and_the_api(
    org_a: Organisation, coordinator_a: User, member_a: Any
) -> None:
    for _n in range(6):
        raise_one(org_a, today=date(YEAR, 5, 1))  # in calendar year YEAR and in the tax year starting in it
    assert concern_selectors.yearly_summary(org_a, YEAR).by_kind["concern"] == 6
    set_seven(org_a)
    summary = concern_selectors.yearly_summary(org_a, YEAR)
    assert summary.total is None and summary.by_kind["concern"] is None and summary.by_about["process"] is None
    page = staff_client(coordinator_a).get(reverse("concerns:summary"), {"year": YEAR}).content.decode()
    assert "Counts below 7 are hidden." in page and "fewer than 7" in page and "fewer than 5" not in page
    report = report_services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    report_services.invite(actor=coordinator_a, report=report, person=member_a)
    draft = api_as(member_a.user, org_a, Role.MEMBER).get(f"/api/reports/me/annual/{report.pk}").json()
    concerns = next(s for s in draft["sections"] if s["key"] == "concerns")
    kinds = next(t for t in concerns["tables"] if t["key"] == "concerns_kind")
    assert ["A concern", None] in kinds["rows"]
    assert ["Concerns and complaints received", None] in concerns["facts"]


def test_below_five_is_shown_once_the_admin_chooses_a_smaller_threshold(org_a: Organisation) -> None:
    """The concerns summary no longer keeps a 5 of its own: the organisation's number is the one."""
    for _n in range(3):
        raise_one(org_a, today=date(YEAR, 5, 1))
    assert concern_selectors.yearly_summary(org_a, YEAR).total is None
    services.set_small_number_threshold(actor=make_staff(org_a, Role.ADMIN), organisation=org_a, threshold=3)
    assert concern_selectors.yearly_summary(org_a, YEAR).total == 3
