"""The coordinator's groups page, at the address it has always had."""

import pytest
from django.urls import reverse

from tests.conftest import make_member, member_client, staff_client
from tests.groups.factories import AppointmentFactory, GroupFactory
from withus.groups.models import Group

pytestmark = pytest.mark.django_db


def test_the_groups_page_keeps_its_address():
    assert reverse("groups:groups") == "/staff/opportunities/groups/"


def test_a_coordinator_adds_a_group_and_sees_who_sits_on_each(org_a, coordinator_a):
    board = GroupFactory(organisation=org_a, name="Partnership board")
    AppointmentFactory(group=board, person=make_member(org_a, full_name="Alaw Member"))
    client = staff_client(coordinator_a)

    page = client.get("/staff/opportunities/groups/").content.decode()
    assert "Partnership board" in page and "Alaw Member" in page

    refused = client.post("/staff/opportunities/groups/", {"name": "", "kind": "panel"})
    assert refused.status_code == 200
    assert "Give the group a name." in refused.content.decode()

    response = client.post("/staff/opportunities/groups/", {"name": "Crisis care panel", "kind": "panel"})
    assert response.status_code == 302
    assert Group.objects.filter(organisation=org_a, name="Crisis care panel", kind="panel").exists()


def test_the_groups_page_is_for_the_organisations_coordinators(org_a, org_b, coordinator_b):
    GroupFactory(organisation=org_a, name="Secret board")
    assert "Secret board" not in staff_client(coordinator_b).get("/staff/opportunities/groups/").content.decode()
    assert member_client(make_member(org_a)).get("/staff/opportunities/groups/").status_code == 403
