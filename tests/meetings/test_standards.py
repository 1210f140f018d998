"""An organisation's thresholds for the meeting standards: one set of defaults, changed by an audited service."""

from dataclasses import asdict, fields, replace
from datetime import time

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import make_staff, staff_client
from withus.accounts.models import Role
from withus.meetings import rules, selectors, services
from withus.meetings.forms import StandardsForm
from withus.meetings.models import MeetingStandards

pytestmark = pytest.mark.django_db
NAMES = [f.name for f in fields(rules.Thresholds)]


def test_the_defaults_are_defined_once_and_everything_takes_them_from_there():
    columns = {f.name: f for f in MeetingStandards._meta.get_fields() if f.name in NAMES}
    assert set(columns) == set(NAMES)
    for name in NAMES:
        assert columns[name].default is getattr(rules.DEFAULT_THRESHOLDS, name), name
    assert list(StandardsForm.base_fields) == NAMES
    assert rules.Thresholds() == rules.DEFAULT_THRESHOLDS


def test_an_organisation_without_its_own_standards_has_the_defaults(org_a):
    assert selectors.thresholds(org_a) == rules.DEFAULT_THRESHOLDS
    MeetingStandards.objects.create(organisation=org_a)
    assert selectors.thresholds(org_a) == rules.DEFAULT_THRESHOLDS


def test_an_admin_changes_the_standards_and_the_change_is_audited(org_a):
    admin = make_staff(org_a, Role.ADMIN)
    changed = replace(rules.DEFAULT_THRESHOLDS, invitation_days=21, earliest_start=time(11, 0))

    services.set_standards(actor=admin, organisation=org_a, thresholds=changed)
    services.set_standards(actor=admin, organisation=org_a, thresholds=replace(changed, min_carers=3))

    assert selectors.thresholds(org_a) == replace(changed, min_carers=3)
    standards = MeetingStandards.objects.get(organisation=org_a)
    entries = list(LogEntry.objects.get_for_object(standards).order_by("timestamp", "pk"))
    assert [e.actor for e in entries] == [admin, admin]
    assert entries[0].action == LogEntry.Action.CREATE
    assert entries[1].changes_dict == {"min_carers": ["2", "3"]}


def test_only_an_admin_changes_the_standards(org_a, org_b, coordinator_a):
    with pytest.raises(PermissionDenied):
        services.set_standards(actor=coordinator_a, organisation=org_a, thresholds=rules.DEFAULT_THRESHOLDS)
    with pytest.raises(PermissionDenied):
        services.set_standards(
            actor=make_staff(org_b, Role.ADMIN), organisation=org_a, thresholds=rules.DEFAULT_THRESHOLDS
        )
    assert not MeetingStandards.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"papers_days": 15}, "papers_days"),  # papers due before the invitation goes out
        ({"event_invitation_days": 5}, "papers_days"),
        ({"invitation_days": 400}, "invitation_days"),
    ],
)
def test_thresholds_that_make_no_sense_are_refused(org_a, changes, field):
    admin = make_staff(org_a, Role.ADMIN)
    with pytest.raises(ValidationError) as error:
        services.set_standards(actor=admin, organisation=org_a, thresholds=replace(rules.DEFAULT_THRESHOLDS, **changes))
    assert field in error.value.message_dict
    assert not MeetingStandards.objects.exists()


def test_the_page_saves_through_the_service_and_keeps_what_was_typed(org_a):
    admin = make_staff(org_a, Role.ADMIN)
    client = staff_client(admin)
    form = {**asdict(rules.DEFAULT_THRESHOLDS), "earliest_start": "10:30", "reserve_at_high_level": "on"}

    refused = client.post("/staff/sessions/standards/", {**form, "papers_days": "20"})
    assert refused.status_code == 200
    assert 'value="20"' in refused.content.decode()
    assert "Papers go out with the invitation or after it" in refused.content.decode()
    assert not MeetingStandards.objects.exists()

    assert client.post("/staff/sessions/standards/", {**form, "invitation_days": "21"}).status_code == 302
    standards = MeetingStandards.objects.get(organisation=org_a)
    assert standards.invitation_days == 21
    assert LogEntry.objects.get_for_object(standards).get().actor == admin
    assert 'value="21"' in client.get("/staff/sessions/standards/").content.decode()
