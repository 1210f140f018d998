from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.conftest import make_member
from tests.support.training.factories import approved_learning, make_course
from withus.core import privacy
from withus.people.models import OutgoingMessage
from withus.support.training.models import ExpiryWarning, LoggedLearning

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_logged_learning_is_in_the_persons_data_and_goes_when_they_are_erased(org_a):
    member = make_member(org_a)
    approved_learning(member, make_course(org_a, title="Scrutiny skills"), TODAY)
    sections = {s.key: s for s in privacy.sections(member)}
    assert sections["logged_learning"].records[0]["course"] == "Scrutiny skills"
    privacy.erase(member)
    assert not LoggedLearning.objects.filter(person=member).exists()


def test_the_daily_command_warns_of_expiring_training(org_a):
    member = make_member(org_a)
    approved_learning(member, make_course(org_a, refresh_months=12), TODAY - timedelta(days=340))
    out = StringIO()
    call_command("training", "expiring", stdout=out)
    assert "Warned 1 people" in out.getvalue()
    assert OutgoingMessage.objects.filter(person=member).count() == 1
    assert ExpiryWarning.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("training", "expiring", "--date", "soon")
