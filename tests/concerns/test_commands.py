from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.concerns.factories import raise_one
from withus.accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_overdue_flags_each_late_concern_once_however_often_it_runs(org_a: Organisation, coordinator_a: User) -> None:
    concern = raise_one(org_a, today=date(2025, 4, 30)).concern
    out = StringIO()
    call_command("concerns", "overdue", "--date", "2025-05-06", stdout=out)
    assert f"{concern.reference}: acknowledgement was due 02 May 2025" in out.getvalue()
    call_command("concerns", "overdue", "--date", "2025-05-07", stdout=StringIO())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["coord-a@example.org"]


def test_the_summary_is_printed_with_small_numbers_suppressed(org_a: Organisation) -> None:
    raise_one(org_a, today=date(2025, 4, 30))
    out = StringIO()
    call_command("concerns", "summary", "--organisation", org_a.slug, "--year", "2025", stdout=out)
    assert "Concerns received in 2025: fewer than 5" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_demo_shows_concerns_at_every_stage_once() -> None:
    from withus.concerns.models import Concern

    call_command("demo", "--quiet", stdout=StringIO())
    call_command("demo", "--quiet", stdout=StringIO())
    concerns = Concern.objects.filter(organisation__slug="afon-health-board")
    assert concerns.count() == 4
    assert concerns.filter(anonymous=True, raised_by__isnull=True).exists()
    assert concerns.filter(stage="closed", outcome="well_founded", actions__isnull=False).exists()
    assert concerns.filter(mediator__isnull=False).exists()
