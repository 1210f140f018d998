from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import make_member, make_staff, staff_client
from tests.meetings.factories import AttendanceFactory, SessionFactory, london
from tests.opportunities.factories import OpportunityFactory
from withus.accounts import services as account_services
from withus.accounts.models import Organisation, Role, User
from withus.people.models import EqualityMonitoring
from withus.reports import rules, selectors, services

pytestmark = pytest.mark.django_db

YEAR = 2026


def table(found: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in found["tables"] if t["key"] == key)


def row(found: dict[str, Any], key: str, label: str) -> list[Any]:
    return next(r for r in table(found, key)["rows"] if r[0] == label)


def involve(
    organisation: Organisation, people: int, *, level: int = 2, role: str = "consultant", **fields: Any
) -> None:
    opportunity = OpportunityFactory(organisation=organisation, level=level, role_offered=role)
    session = SessionFactory(organisation=organisation, opportunity=opportunity, starts_at=london(2026, 6, 12, 10, 30))
    for _n in range(people):
        AttendanceFactory(session=session, person=make_member(organisation, **fields))


def test_a_count_under_the_threshold_is_held_back_and_zero_is_not() -> None:
    assert rules.held_back(4, 5) is None
    assert rules.held_back(5, 5) == 5
    assert rules.held_back(0, 5) == 0


def test_presence_counts_people_by_level_role_and_area_and_holds_back_small_numbers(org_a: Organisation) -> None:
    involve(org_a, 6, level=2, role="consultant", local_authority="cardiff", perspective="carer")
    involve(org_a, 2, level=5, role="co_worker", local_authority="newport", perspective="service_user")
    found = selectors.presence(org_a, YEAR)
    assert found["involved"] == 8
    assert row(found, "levels", "Consulted")[1:] == [6, 6]
    assert row(found, "levels", "Co-producing")[1:] == [None, None]  # two people: fewer than 5
    assert row(found, "roles", "Consultant")[1] == 6
    assert row(found, "roles", "Co-worker")[1] is None
    assert row(found, "areas", "Cardiff")[1] == 6
    assert row(found, "areas", "Newport")[1] is None
    assert row(found, "perspectives", "Carer")[1] == 6
    assert row(found, "perspectives", "Service user")[1] is None
    assert found["held_back"] == "fewer than 5"


def test_the_organisation_sets_its_own_threshold(org_a: Organisation) -> None:
    admin = make_staff(org_a, Role.ADMIN)
    involve(org_a, 6, level=2)
    account_services.set_small_number_threshold(actor=admin, organisation=org_a, threshold=10)
    found = selectors.presence(org_a, YEAR)
    assert found["involved"] is None
    assert row(found, "levels", "Consulted")[1] is None
    assert found["small_number"] == 10 and found["held_back"] == "fewer than 10"


def test_equality_answers_are_only_counted_together_and_held_back_when_few(org_a: Organisation) -> None:
    involve(org_a, 6, level=2)
    from withus.meetings.models import Attendance

    people = [a.person for a in Attendance.objects.filter(session__organisation=org_a)]
    for n, person in enumerate(people):
        EqualityMonitoring.objects.create(person=person, ethnicity="white" if n < 5 else "asian", disabled="yes")
    found = selectors.presence(org_a, YEAR)
    assert row(found, "equality", "Ethnic group: White")[1] == 5
    assert row(found, "equality", "Ethnic group: Asian, Asian Welsh or Asian British")[1] is None
    assert row(found, "equality", "Do you consider yourself disabled?: Yes")[1] == 6


def test_involvement_is_compared_with_the_population_served(org_a: Organisation) -> None:
    admin = make_staff(org_a, Role.ADMIN)
    involve(org_a, 6, local_authority="cardiff")
    services.enter_population(
        actor=admin, organisation=org_a, area="cardiff", category="", people=360000, source="Census 2021", year=2021
    )
    found = selectors.presence(org_a, YEAR)
    assert row(found, "areas", "Cardiff")[1:] == [6, 360000, 0.2]
    assert table(found, "areas")["sources"] == ["Census 2021 (2021)"]


def test_population_figures_without_a_source_or_that_do_not_add_up_are_refused(org_a: Organisation) -> None:
    admin = make_staff(org_a, Role.ADMIN)
    with pytest.raises(ValidationError) as no_source:
        services.enter_population(
            actor=admin, organisation=org_a, area="cardiff", category="", people=1000, source=" ", year=2021
        )
    assert "source" in no_source.value.message_dict
    with pytest.raises(ValidationError) as no_total:
        services.enter_population(
            actor=admin, organisation=org_a, area="cardiff", category="sex:female", people=10, source="C", year=2021
        )
    assert "category" in no_total.value.message_dict
    services.enter_population(
        actor=admin, organisation=org_a, area="cardiff", category="", people=1000, source="Census", year=2021
    )
    services.enter_population(
        actor=admin, organisation=org_a, area="cardiff", category="sex:female", people=600, source="Census", year=2021
    )
    with pytest.raises(ValidationError) as too_many:
        services.enter_population(
            actor=admin, organisation=org_a, area="cardiff", category="sex:male", people=500, source="Census", year=2021
        )
    assert "1100" in too_many.value.message_dict["people"][0]
    with pytest.raises(ValidationError):
        services.enter_population(
            actor=admin, organisation=org_a, area="cardiff", category="", people=500, source="Census", year=2021
        )


def test_only_an_admin_enters_population_figures(org_a: Organisation, coordinator_a: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.enter_population(
            actor=coordinator_a, organisation=org_a, area="cardiff", category="", people=1, source="C", year=2021
        )


def test_the_population_page_keeps_what_was_typed_and_says_what_is_wrong(org_a: Organisation) -> None:
    client = staff_client(make_staff(org_a, Role.ADMIN))
    response = client.post(
        reverse("reports:population"),
        {
            "figure-area": "cardiff",
            "figure-category": "",
            "figure-people": "1200",
            "figure-source": "",
            "figure-year": "2021",
        },
    )
    assert response.status_code == 200
    assert "Say where the figure comes from" in response.content.decode()
    assert 'value="1200"' in response.content.decode()


def test_the_presence_page_draws_charts_with_small_numbers_held_back(org_a: Organisation, coordinator_a: User) -> None:
    involve(org_a, 6, level=2)
    involve(org_a, 2, level=5)
    response = staff_client(coordinator_a).get(reverse("reports:presence"), {"year": YEAR})
    html = response.content.decode()
    assert 'role="img"' in html
    assert 'aria-describedby="chart-levels-desc chart-levels-table"' in html
    assert "fewer than 5" in html
    csv = staff_client(coordinator_a).get(reverse("reports:presence"), {"year": YEAR, "format": "csv"})
    lines = csv.content.decode().splitlines()
    assert "Co-producing,," in lines
    assert "Consulted,6,6" in lines


def test_presence_makes_the_same_queries_whatever_the_number_of_people(
    org_a: Organisation, django_assert_num_queries: Any
) -> None:
    involve(org_a, 2)
    with django_assert_num_queries(8) as few:
        selectors.presence(org_a, YEAR)
    involve(org_a, 20, level=4, role="co_worker")
    with django_assert_num_queries(len(few.captured_queries)):
        selectors.presence(org_a, YEAR)
