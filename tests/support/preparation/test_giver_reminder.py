"""Whoever gives a briefing or meet-and-greet is reminded the day before, once, by their channel;
a cancelled session's preparation is not reminded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import make_member, make_staff
from tests.meetings.factories import SessionFactory
from tests.support.preparation.factories import make_preparation
from withus.accounts.models import Organisation, Role
from withus.meetings.models import Session
from withus.people.models import OutgoingMessage
from withus.support.preparation import services

pytestmark = pytest.mark.django_db


def test_the_giver_is_reminded_once_the_day_before_and_not_for_a_cancelled_session(org_a: Organisation) -> None:
    now = timezone.now()
    giver = make_staff(org_a, Role.COORDINATOR, "giver@example.org")
    tomorrow = SessionFactory(organisation=org_a, starts_at=now + timedelta(days=1, hours=1))
    make_preparation(tomorrow, at=now + timedelta(days=1), by_staff=giver, arranged_at=now - timedelta(days=5))
    supporter = make_member(org_a, preferred_channel="post")
    other = SessionFactory(organisation=org_a, starts_at=now + timedelta(days=1, hours=1))
    make_preparation(other, at=now + timedelta(days=1), by_person=supporter, arranged_at=now - timedelta(days=5))
    cancelled = SessionFactory(
        organisation=org_a, starts_at=now + timedelta(days=1, hours=1), status=Session.Status.CANCELLED
    )
    make_preparation(cancelled, at=now + timedelta(days=1), by_staff=giver, arranged_at=now - timedelta(days=5))
    assert services.remind_givers(now=now) == 2
    assert services.remind_givers(now=now + timedelta(hours=1)) == 0
    assert [m.to for m in mail.outbox] == [["giver@example.org"]]
    assert "The Hub, room 2" in mail.outbox[0].body
    letter = OutgoingMessage.objects.get(person=supporter)
    assert letter.status == "to_print" and "The Hub, room 2" in letter.body
