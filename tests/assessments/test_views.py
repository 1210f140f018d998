from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import four_pi, open_4pi, score_all
from tests.conftest import make_member, member_client, staff_client
from tests.meetings.factories import SessionFactory
from withus.accounts.models import Organisation, User
from withus.assessments import services
from withus.assessments.models import Action, Agreement, Assessment, Score

pytestmark = pytest.mark.django_db


def _scores(items: list, value: int, evidence: str = "because") -> dict[str, object]:
    data: dict[str, object] = {}
    for item in items:
        data[f"score_{item.pk}"] = value
        data[f"evidence_{item.pk}"] = evidence
        data[f"session_{item.pk}"] = ""
    return data


def test_a_coordinator_opens_an_assessment_and_invites_a_member(org_a: Organisation, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)
    page = client.get(reverse("assessments:staff_open"))
    assert "4PI National Involvement Standards" in page.content.decode()
    bad = client.post(reverse("assessments:staff_open"), {"framework": four_pi().pk, "title": "4PI 2026"})
    assert bad.status_code == 200 and "4PI 2026" in bad.content.decode()
    response = client.post(
        reverse("assessments:staff_open"),
        {
            "framework": four_pi().pk,
            "title": "4PI 2026",
            "period_start_day": "1",
            "period_start_month": "1",
            "period_start_year": "2026",
            "period_end_day": "31",
            "period_end_month": "12",
            "period_end_year": "2026",
        },
    )
    assessment = Assessment.objects.get()
    assert response.url == reverse("assessments:staff_detail", args=[assessment.pk])
    member = make_member(org_a)
    assert member.user is not None
    client.post(reverse("assessments:staff_invite", args=[assessment.pk]), {"user": member.user.pk, "side": "member"})
    assert assessment.scorers.get().user == member.user


def test_a_member_scores_blind_on_the_web_and_sees_nobody_elses_scores(
    org_a: Organisation, coordinator_a: User
) -> None:
    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=2, staff=0)
    Score.objects.filter(scorer__user=scored.member_users[1]).update(evidence="SECRET-OTHER-REASON")
    client = member_client(scored.members[0])
    url = reverse("assessments:me_score", args=[scored.assessment.pk])
    assert "SECRET-OTHER-REASON" not in client.get(url).content.decode()
    data = _scores(scored.items, 1)
    data[f"score_{scored.items[0].pk}"] = 9
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    other = SessionFactory(organisation=Organisation.objects.create(name="Elsewhere", slug="elsewhere"))
    data = _scores(scored.items, 1)
    data[f"session_{scored.items[0].pk}"] = other.pk
    assert client.post(url, data).status_code == 200
    assert set(Score.objects.filter(scorer__user=scored.member_users[0]).values_list("value", flat=True)) == {2}
    assert client.post(url, _scores(scored.items, 1, "papers late")).status_code == 302
    assert set(Score.objects.filter(scorer__user=scored.member_users[0]).values_list("value", flat=True)) == {1}
    staff_page = staff_client(coordinator_a).get(reverse("assessments:staff_detail", args=[scored.assessment.pk]))
    assert "papers late" not in staff_page.content.decode()


def test_after_close_disagreement_shows_is_kept_and_gaps_become_actions(
    org_a: Organisation, coordinator_a: User
) -> None:
    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=0, staff=2)
    client = staff_client(coordinator_a)
    client.post(reverse("assessments:staff_close", args=[scored.assessment.pk]))
    page = client.get(reverse("assessments:staff_detail", args=[scored.assessment.pk])).content.decode()
    assert "Members and staff disagree" in page and "members&#x27; reason" in page
    item = scored.items[0]
    agree = reverse("assessments:staff_agree", args=[scored.assessment.pk, item.pk])
    assert "Say why" in client.post(agree, {"value": "", "note": ""}).content.decode()
    client.post(agree, {"value": "", "note": "Members say papers come late"})
    assert Agreement.objects.get().disagreement_kept
    client.post(
        reverse("assessments:staff_action", args=[scored.assessment.pk, item.pk]),
        {
            "description": "Papers a week ahead",
            "owner": coordinator_a.pk,
            "due_on_day": "1",
            "due_on_month": "1",
            "due_on_year": "2099",
            "monitoring": "Checked each meeting",
        },
    )
    assert Action.objects.get().monitoring == "Checked each meeting"
    member_page = member_client(scored.members[0]).get(reverse("assessments:me_score", args=[scored.assessment.pk]))
    assert "staff reason" in member_page.content.decode()


def test_the_pages_are_in_welsh(org_a: Organisation, coordinator_a: User) -> None:
    scored = open_4pi(org_a, coordinator_a)
    client = member_client(scored.members[0])
    client.cookies["django_language"] = "cy"
    page = client.get(reverse("assessments:me_score", args=[scored.assessment.pk]), HTTP_ACCEPT_LANGUAGE="cy")
    assert "Egwyddorion" in page.content.decode()


def _closed_and_agreed(org: Organisation, coordinator: User, year: int, met: set[str]) -> Assessment:
    """A 4PI cycle for ``year``, closed, with the items in ``met`` agreed as met and the rest as not met."""
    scored = open_4pi(org, coordinator, year=year)
    services.close_scoring(actor=coordinator, assessment=scored.assessment)
    for item in scored.items:
        services.agree_score(
            actor=coordinator, assessment=scored.assessment, item=item, value=2 if item.code in met else 0
        )
    return scored.assessment


def test_the_progress_page_draws_the_share_met_per_standard_with_its_table(
    org_a: Organisation, coordinator_a: User
) -> None:
    principles = list(four_pi().items.filter(standard="Principles").values_list("code", flat=True))
    _closed_and_agreed(org_a, coordinator_a, 2025, met=set(principles[:1]))
    now = _closed_and_agreed(org_a, coordinator_a, 2026, met=set(principles))
    page = staff_client(coordinator_a).get(reverse("assessments:staff_detail", args=[now.pk])).content.decode()
    key = f"chart-progress-{now.pk}"
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert f'aria-describedby="{key}-desc {key}-table"' in svg
    title = "Grouped bar chart: Share of items met per standard, 4PI 2026 against 4PI 2025"
    assert f'<title id="{key}-title">{title}</title>' in svg
    assert f'<desc id="{key}-desc">Grouped bar chart: ' in svg and "from 0 to 100" in svg
    table = page[page.index(f'<table class="table" id="{key}-table">') :]
    table = table[: table.index("</table>")]
    assert "Met this cycle (%)" in table and "Met last cycle (%)" in table
    share_before = f"{100 / len(principles):.1f}".removesuffix(".0")
    assert '<th scope="row">Principles</th><td class="numeric" data-label="Met this cycle (%)">100</td>' in table
    assert f'data-label="Met last cycle (%)">{share_before}</td></tr>' in table
    assert '<th scope="row">Purpose</th><td class="numeric" data-label="Met this cycle (%)">0</td>' in table


def test_the_progress_shares_are_in_the_api_too(org_a: Organisation, coordinator_a: User) -> None:
    from tests.api.helpers import api_as

    principles = list(four_pi().items.filter(standard="Principles").values_list("code", flat=True))
    _closed_and_agreed(org_a, coordinator_a, 2025, met=set())
    now = _closed_and_agreed(org_a, coordinator_a, 2026, met=set(principles))
    standards = api_as(coordinator_a, org_a).get(f"/api/assessments/{now.pk}/progress").json()["standards"]
    found = {s["standard"]: (s["share_met"], s["share_met_before"]) for s in standards}
    assert found["Principles"] == (100.0, 0.0)
    assert found["Purpose"] == (0.0, 0.0)


def test_without_a_last_cycle_there_is_no_chart(org_a: Organisation, coordinator_a: User) -> None:
    now = _closed_and_agreed(org_a, coordinator_a, 2026, met=set())
    page = staff_client(coordinator_a).get(reverse("assessments:staff_detail", args=[now.pk])).content.decode()
    assert "<svg" not in page
