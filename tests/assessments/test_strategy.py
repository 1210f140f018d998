from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import open_4pi, score_all
from tests.conftest import make_staff, staff_client
from withus.accounts.models import Organisation, User
from withus.assessments import selectors, services

pytestmark = pytest.mark.django_db


def test_a_strategy_with_aims_milestones_and_linked_actions_flags_an_overdue_review(
    org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    strategy = services.save_strategy(actor=coordinator_a, organisation=org_a, title="Involving people 2026-29")
    aim = services.add_aim(actor=coordinator_a, strategy=strategy, text="Reach more carers", owner=coordinator_a)
    with pytest.raises(ValidationError):
        services.add_aim(actor=coordinator_a, strategy=strategy, text="x", owner=make_staff(org_b))
    services.add_milestone(
        actor=coordinator_a, aim=aim, text="Carers' group meets", owner=coordinator_a, due_on=date(2020, 1, 1)
    )
    assert selectors.strategy_of(org_a)["review_overdue"]  # never reviewed
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.review_strategy(actor=coordinator_a, strategy=strategy, on=today, note="")
    services.review_strategy(actor=coordinator_a, strategy=strategy, on=today, note="Reviewed with the members' group")
    plan = selectors.strategy_of(org_a)
    assert plan is not None and not plan["review_overdue"] and plan["milestones_overdue"] == 1
    assert selectors.strategy_of(org_a, today=today + timedelta(days=366))["review_overdue"]  # type: ignore[index]

    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=0, staff=0)
    services.close_scoring(actor=coordinator_a, assessment=scored.assessment)
    action = services.create_action(
        actor=coordinator_a,
        assessment=scored.assessment,
        item=scored.items[0],
        description="Carers' outreach",
        owner=coordinator_a,
        due_on=today,
        monitoring="Quarterly",
    )
    services.link_action(actor=coordinator_a, action=action, aim=aim)
    page = staff_client(coordinator_a).get(reverse("assessments:staff_strategy")).content.decode()
    assert "Reach more carers" in page and "Carers&#x27; outreach" in page


def test_the_strategy_page_says_when_the_review_is_overdue(org_a: Organisation, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)
    client.post(reverse("assessments:staff_strategy_edit"), {"title": "Our strategy", "summary": ""})
    assert "review is overdue" in client.get(reverse("assessments:staff_strategy")).content.decode()
