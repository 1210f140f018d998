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


def test_the_daily_round_tells_coordinators_of_local_help_unchecked_for_a_year(
    org_a: Organisation, coordinator_a: User, mailoutbox: list[Any]
) -> None:
    from tests.support.localhelp.factories import days_ago, make_entry

    make_entry(org_a, name="Old Advice", reviewed_on=days_ago(400))
    assert "coordinators told of 1 local help entries" in run("daily")
    assert "coordinators told of 0 local help entries" in run("daily")
    assert [m.to for m in mailoutbox] == [[coordinator_a.email]]


def test_the_daily_round_makes_a_debrief_asking_for_a_call_a_call_request(
    org_a: Organisation, coordinator_a: User
) -> None:
    from tests.meetings.factories import DebriefFactory

    DebriefFactory(person=make_member(org_a), session__organisation=org_a, wants_call=True, answered_at=timezone.now())
    assert "1 calls asked for in debriefs made call requests" in run("daily")
    assert CallRequest.objects.get().how == CallRequest.How.DEBRIEF
