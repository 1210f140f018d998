from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.assessments.helpers import open_4pi, score_all
from withus.accounts.models import Organisation, User
from withus.assessments import services
from withus.assessments.models import Action

pytestmark = pytest.mark.django_db


def test_an_action_due_soon_is_reminded_once_and_not_when_done(org_a: Organisation, coordinator_a: User) -> None:
    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=0, staff=1)
    services.close_scoring(actor=coordinator_a, assessment=scored.assessment)
    action = services.create_action(
        actor=coordinator_a,
        assessment=scored.assessment,
        item=scored.items[0],
        description="Send papers a week ahead",
        owner=coordinator_a,
        due_on=timezone.localdate() + timedelta(days=1),
        monitoring="Checked at each meeting",
    )
    call_command("assessments", "remind")
    call_command("assessments", "remind")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator_a.email]
    assert "Send papers a week ahead" in mail.outbox[0].body
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    services.update_action(actor=coordinator_a, action=action, progress="", done=True)
    call_command("assessments", "remind")
    assert len(mail.outbox) == 1
