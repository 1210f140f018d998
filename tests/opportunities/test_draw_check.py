"""A finished draw can be checked: its recorded seed re-run over its recorded inputs, on the web, API and CLI."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.opportunities.factories import make_opportunity
from withus.accounts.models import Organisation, Role, User
from withus.opportunities import selectors, services
from withus.opportunities.models import Application, Draw
from withus.people.models import ConsentRecord, Person

pytestmark = pytest.mark.django_db


def drawn(organisation: Organisation, coordinator: User, people: int = 5, places: int = 2) -> Draw:
    opportunity = make_opportunity(organisation, coordinator, places=places, application_process="none")
    for i in range(people):
        person = make_member(organisation, full_name=f"Drawn Person {i}", perspective="carer" if i % 2 else "both")
        assert person.user is not None
        services.respond(actor=person.user, person=person, opportunity=opportunity)
    return services.run_draw(
        actor=coordinator, opportunity=opportunity, places=places, strata_by=["perspective"], seed="check-me"
    )


def tamper(record: Draw) -> tuple[list[int], list[int]]:
    """Swap the first person drawn with the first on the waiting list, as someone editing the record might."""
    honest = list(record.result["selected"])
    changed = [record.result["waiting_list"][0], *honest[1:]]
    record.result = {
        **record.result,
        "selected": changed,
        "waiting_list": [honest[0], *record.result["waiting_list"][1:]],
    }
    record.save()
    return honest, changed


def name_of(application_id: int) -> str:
    return Application.objects.select_related("person").get(pk=application_id).person.full_name


# ---- The check ------------------------------------------------------------------------------


def test_a_draw_just_made_checks_out(org_a: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a)
    check = selectors.check_draw(Draw.objects.get(pk=record.pk))
    assert check.matches
    assert check.rerun is not None and list(check.rerun.selected) == record.result["selected"]


def test_tampering_with_a_recorded_result_makes_the_check_report_a_mismatch(
    org_a: Organisation, coordinator_a: User
) -> None:
    record = drawn(org_a, coordinator_a)
    honest, changed = tamper(record)
    check = selectors.check_draw(Draw.objects.get(pk=record.pk))
    assert not check.matches
    selected = next(d for d in check.differences if d.part == "selected")
    assert (selected.recorded, selected.recomputed) == (changed, honest)


def test_tampering_with_the_recorded_inputs_is_found_too(org_a: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a, people=6, places=1)
    winner = record.result["selected"][0]
    inputs = dict(record.inputs)
    inputs["candidates"] = [
        {**c, "previous_places": 40} if c["id"] == winner else c for c in record.inputs["candidates"]
    ]
    record.inputs = inputs
    record.save()
    assert not selectors.check_draw(Draw.objects.get(pk=record.pk)).matches


# ---- The draw's page ----------------------------------------------------------------------


def test_the_draw_page_shows_the_record_and_the_check_says_it_matches(org_a: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a)
    client = staff_client(coordinator_a)
    page = client.get(f"/staff/draws/{record.pk}/").content.decode()
    assert "check-me" in page
    assert name_of(record.result["selected"][0]) in page
    assert f'action="/staff/draws/{record.pk}/check/"' in page and 'method="get"' in page
    assert "The result matches" not in page

    checked = client.get(f"/staff/draws/{record.pk}/check/")
    assert checked.status_code == 200
    assert "The result matches." in checked.content.decode()

    # The opportunity's page links to it.
    detail = client.get(f"/staff/opportunities/{record.opportunity_id}/").content.decode()
    assert f"/staff/draws/{record.pk}/" in detail


def test_making_a_draw_leads_to_its_page(org_a: Organisation, coordinator_a: User) -> None:
    opportunity = make_opportunity(org_a, coordinator_a, places=1, application_process="none")
    for _ in range(3):
        person = make_member(org_a)
        assert person.user is not None
        services.respond(actor=person.user, person=person, opportunity=opportunity)
    response = staff_client(coordinator_a).post(f"/staff/opportunities/{opportunity.pk}/draw/", {"places": "1"})
    assert response["Location"] == f"/staff/draws/{Draw.objects.get().pk}/"


def test_the_check_page_shows_exactly_what_differs(org_a: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a)
    honest, changed = tamper(record)
    page = staff_client(coordinator_a).get(f"/staff/draws/{record.pk}/check/").content.decode()
    assert "The result does not match." in page
    assert "The people drawn, in draw order" in page
    assert "The waiting list, in order" in page
    assert ", ".join(name_of(i) for i in honest) in page
    assert ", ".join(name_of(i) for i in changed) in page


def test_an_old_draw_without_its_inputs_says_plainly_it_cannot_be_checked(
    org_a: Organisation, coordinator_a: User
) -> None:
    record = drawn(org_a, coordinator_a)
    record.inputs = {"candidates": [{"id": c["id"]} for c in record.inputs["candidates"]]}
    record.save()
    page = staff_client(coordinator_a).get(f"/staff/draws/{record.pk}/check/").content.decode()
    assert "This draw cannot be checked." in page
    assert "The result matches" not in page and "does not match" not in page


def test_people_who_do_not_share_are_not_named_on_the_draw_page(org_a: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a)
    first = record.result["selected"][0]
    person = Application.objects.get(pk=first).person
    ConsentRecord.objects.filter(person=person, organisation=org_a).update(withdrawn_at=timezone.now())
    page = staff_client(coordinator_a).get(f"/staff/draws/{record.pk}/check/").content.decode()
    assert person.full_name not in page
    assert f"application {first}" in page


def test_who_may_see_a_draw_may_check_it(org_a: Organisation, org_b: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a)
    decision_maker = make_staff(org_a, Role.DECISION_MAKER)
    assert staff_client(decision_maker).get(f"/staff/draws/{record.pk}/check/").status_code == 200
    budget_holder = make_staff(org_a, Role.BUDGET_HOLDER)
    assert staff_client(budget_holder).get(f"/staff/draws/{record.pk}/check/").status_code == 403
    other = make_staff(org_b, Role.COORDINATOR)
    assert staff_client(other).get(f"/staff/draws/{record.pk}/").status_code == 404
    assert staff_client(other).get(f"/staff/draws/{record.pk}/check/").status_code == 404
    member = make_member(org_a)
    assert member_client(member).get(f"/staff/draws/{record.pk}/check/").status_code == 403


def test_the_check_page_takes_the_same_queries_however_many_were_drawn(
    org_a: Organisation, coordinator_a: User, django_assert_max_num_queries: object
) -> None:
    small = drawn(org_a, coordinator_a, people=3, places=1)
    large = drawn(org_a, coordinator_a, people=15, places=4)
    client = staff_client(coordinator_a)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/staff/draws/{small.pk}/check/")
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        client.get(f"/staff/draws/{large.pk}/check/")


# ---- The API ----------------------------------------------------------------------------------


def test_the_api_checks_a_draw(org_a: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a)
    api = api_as(coordinator_a, org_a)

    listed = api.get(f"/api/staff/opportunities/{record.opportunity_id}/draws")
    assert listed.status_code == 200, listed.content
    assert [d["id"] for d in listed.json()["items"]] == [record.pk]
    one = api.get(f"/api/staff/draws/{record.pk}").json()
    assert (one["seed"], one["places"], one["people_in_draw"]) == ("check-me", 2, 5)
    assert one["result"]["selected"] == record.result["selected"]

    body = api.get(f"/api/staff/draws/{record.pk}/check").json()
    assert (body["outcome"], body["matches"], body["checkable"], body["differences"]) == ("matches", True, True, [])
    assert body["message"].startswith("The result matches")

    honest, changed = tamper(record)
    body = api.get(f"/api/staff/draws/{record.pk}/check").json()
    assert (body["outcome"], body["matches"]) == ("differs", False)
    selected = next(d for d in body["differences"] if d["part"] == "selected")
    assert (selected["recorded"], selected["recomputed"]) == (changed, honest)
    assert selected["label"] == "The people drawn, in draw order"


def test_the_api_says_when_a_draw_cannot_be_checked(org_a: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a)
    record.result = {**record.result, "method": "an-older-method/0"}
    record.save()
    body = api_as(coordinator_a, org_a).get(f"/api/staff/draws/{record.pk}/check").json()
    assert (body["outcome"], body["checkable"], body["matches"]) == ("method_changed", False, False)
    assert "cannot be checked" in body["message"]


def test_another_organisation_or_a_member_cannot_check_a_draw(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User, member_a: Person
) -> None:
    record = drawn(org_a, coordinator_a)
    assert_error(api_as(coordinator_b, org_b).get(f"/api/staff/draws/{record.pk}/check"), 404, "not_found")
    assert_error(api_as(coordinator_b, org_b).get(f"/api/staff/draws/{record.pk}"), 404, "not_found")
    assert_error(member_api(member_a, org_a).get(f"/api/staff/draws/{record.pk}/check"), 403, "forbidden")


# ---- The command line ---------------------------------------------------------------------------


def test_the_command_line_checks_a_draw(org_a: Organisation, coordinator_a: User) -> None:
    record = drawn(org_a, coordinator_a)
    out = StringIO()
    call_command("opportunities", "check-draw", str(record.pk), stdout=out)
    assert "The result matches" in out.getvalue()
    assert "seed check-me" in out.getvalue()

    tamper(record)
    out = StringIO()
    with pytest.raises(CommandError, match="does not match"):
        call_command("opportunities", "check-draw", str(record.pk), stdout=out)
    assert "The people drawn, in draw order: recorded" in out.getvalue()

    with pytest.raises(CommandError, match="No draw"):
        call_command("opportunities", "check-draw", "999999")
