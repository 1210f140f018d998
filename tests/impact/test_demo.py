from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from withus.impact.contributions.models import Contribution, Step
from withus.people.models import OutgoingMessage

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_shows_what_was_said_answered_and_changed_and_tells_nobody() -> None:
    call_command("demo", "--quiet", stdout=StringIO())
    call_command("demo", "--quiet", stdout=StringIO())
    assert Contribution.objects.count() == 3
    assert Contribution.objects.filter(minority_view=True, outcome="adopted").exists()
    assert Step.objects.filter(kind="checked_again").count() == 1
    assert not OutgoingMessage.objects.filter(subject__icontains="said").exists()
    page = Client().get(reverse("impact:public", args=["afon-health-board"])).content.decode()
    assert "Twelve members now get their papers by post" in page
