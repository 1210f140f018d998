from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_member, member_client, staff_client
from withus.accounts.models import Organisation, User
from withus.core import privacy
from withus.impact.stories import rules, services
from withus.impact.stories.models import Story, StoryUse
from withus.people.models import Person
from withus.rewards.models import IncomeLine

pytestmark = pytest.mark.django_db


def keep(actor: User, org: Organisation, person: Person, **fields: object) -> Story:
    values: dict[str, object] = {
        "title": "Finding my way back to work",
        "places": ["training", "campaign"],
        "campaign": "Time to Talk",
        "until": timezone.localdate() + timedelta(days=365),
    }
    values.update(fields)
    return services.record_story(actor=actor, organisation=org, person=person, **values)  # type: ignore[arg-type]


def test_a_consent_names_where_until_when_and_the_campaign() -> None:
    today = timezone.localdate()
    assert set(rules.consent_problems(places=[], campaign="", until=None, today=today)) == {"places", "until"}
    assert "campaign" in rules.consent_problems(
        places=["campaign"], campaign=" ", until=today + timedelta(1), today=today
    )
    assert "until" in rules.consent_problems(places=["website"], campaign="", until=today, today=today)


def test_a_use_within_the_consent_is_logged_and_a_use_outside_it_refused_with_nothing_written(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    story = keep(coordinator_a, org_a, member_a)
    today = timezone.localdate()
    used = services.use_story(actor=coordinator_a, story=story, place="training", used_on=today, member_present=True)
    assert used.fee is None
    for place, campaign, day, field in (
        ("website", "", today, "place"),
        ("campaign", "Another campaign", today, "campaign"),
        ("training", "", story.until + timedelta(days=1), "used_on"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.use_story(actor=coordinator_a, story=story, place=place, campaign=campaign, used_on=day)
        assert field in refused.value.message_dict
    assert StoryUse.objects.count() == 1
    services.use_story(actor=coordinator_a, story=story, place="campaign", campaign="time to talk", used_on=today)
    assert StoryUse.objects.count() == 2


def test_after_withdrawal_every_use_is_refused(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    story = keep(coordinator_a, org_a, member_a)
    other = make_member(org_a)
    assert member_a.user is not None and other.user is not None
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=other.user, story=story)
    services.withdraw(actor=member_a.user, story=story)
    with pytest.raises(ValidationError) as refused:
        services.use_story(actor=coordinator_a, story=story, place="training", used_on=timezone.localdate())
    assert "withdrawn" in refused.value.message_dict["place"][0]
    assert not StoryUse.objects.exists()


def test_a_fee_per_use_when_the_member_is_not_there_is_offered_through_rewards(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    story = keep(coordinator_a, org_a, member_a)
    used = services.use_story(
        actor=coordinator_a, story=story, place="training", used_on=timezone.localdate(), fee=Decimal("25.00")
    )
    line = IncomeLine.objects.get()
    assert used.fee == line and line.person == member_a and line.amount == Decimal("25.00")
    assert "Finding my way back to work" in line.description
    with pytest.raises(ValidationError) as refused:
        services.use_story(
            actor=coordinator_a,
            story=story,
            place="training",
            used_on=timezone.localdate(),
            member_present=True,
            fee=Decimal("10"),
        )
    assert "fee" in refused.value.message_dict
    assert IncomeLine.objects.count() == 1


def test_the_member_sees_their_stories_and_withdraws_on_the_page(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    story = keep(coordinator_a, org_a, member_a)
    client = member_client(member_a)
    assert "Finding my way back to work" in client.get(reverse("impact:stories_me")).content.decode()
    assert client.post(reverse("impact:stories_withdraw", args=[story.pk])).status_code == 302
    story.refresh_from_db()
    assert story.withdrawn_at is not None


def test_a_coordinator_keeps_a_story_and_a_use_outside_it_is_refused_on_the_page(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    client = staff_client(coordinator_a)
    until = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("impact:stories_new"),
        {
            "person": member_a.pk,
            "kind": "story",
            "title": "My recovery",
            "places": ["annual_report"],
            "until_day": until.day,
            "until_month": until.month,
            "until_year": until.year,
        },
    )
    assert response.status_code == 302, response.content.decode()
    story = Story.objects.get()
    today = timezone.localdate()
    refused = client.post(
        reverse("impact:stories_use", args=[story.pk]),
        {"place": "website", "used_on_day": today.day, "used_on_month": today.month, "used_on_year": today.year},
    )
    assert "The member has not agreed to this story being used there." in refused.content.decode()
    assert not StoryUse.objects.exists()


def test_stories_are_in_the_download_and_go_on_erasure(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    story = keep(coordinator_a, org_a, member_a)
    services.use_story(actor=coordinator_a, story=story, place="training", used_on=timezone.localdate())
    section = next(s for s in privacy.sections(member_a) if s.key == "stories")
    assert section.records[0]["title"] == "Finding my way back to work"  # type: ignore[index]
    privacy.erase(member_a)
    assert not Story.objects.exists() and not StoryUse.objects.exists()
