"""``withus support digest`` and ``withus support daily``."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.conftest import make_member
from tests.support.factories import CallRequestFactory, SupportAssignmentFactory
from withus.accounts.models import Organisation, User
from withus.support.models import CallRequest

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("support", *args, stdout=out)
    return out.getvalue()


def test_the_weekly_digest_is_emailed(org_a: Organisation, worker_a: User, mailoutbox: list[Any]) -> None:
    SupportAssignmentFactory(person=make_member(org_a), organisation=org_a, staff=worker_a)
    CallRequestFactory(person=make_member(org_a), organisation=org_a)  # nobody supports them: not in anyone's digest
    assert "Sent 0 support digests" in run("digest", "--organisation", org_a.slug)
    later = (timezone.localdate() + timedelta(days=45)).isoformat()
    assert "Sent 1 support digests" in run("digest", "--date", later)
    assert mailoutbox[0].to == [worker_a.email]
    with pytest.raises(CommandError):
        run("digest", "--organisation", "nowhere")


def test_the_daily_round_escalates_calls_not_returned(
    org_a: Organisation, coordinator_a: User, mailoutbox: list[Any]
) -> None:
    CallRequestFactory(person=make_member(org_a), organisation=org_a, due_at=timezone.now() - timedelta(hours=1))
    assert "Escalated 1 calls" in run("daily")
    assert CallRequest.objects.get().escalated_at is not None
    assert mailoutbox[0].to == [coordinator_a.email]
