"""Who has seen a person's sensitive details is recorded, and the person can see it."""

from __future__ import annotations

import pytest

from tests.api.helpers import api_as
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.people.factories import PersonFactory, share
from withus.accounts.models import Role
from withus.people.models import ConsentRecord, SensitiveRead

pytestmark = pytest.mark.django_db


def reads(person) -> set[tuple[str, str, str]]:
    return {(r.reader.email, r.what, r.via) for r in SensitiveRead.objects.filter(person=person)}


def test_a_staff_member_opening_a_persons_page_is_recorded_and_the_person_sees_it(org_a, coordinator_a, member_a):
    staff_client(coordinator_a).get(f"/staff/people/{member_a.pk}/")
    assert reads(member_a) == {
        (coordinator_a.email, "contact", "web"),
        (coordinator_a.email, "needs", "web"),
        (coordinator_a.email, "dbs", "web"),
    }
    page = member_client(member_a).get("/me/").content.decode()
    assert "Who has looked at your details" in page
    assert coordinator_a.email in page or str(coordinator_a) in page
    assert "Contact details on WithUs" in page


def test_the_list_and_the_api_record_what_they_show(org_a, coordinator_a, member_a):
    other = make_member(org_a, full_name="Osian Other")
    staff_client(coordinator_a).get("/staff/people/")
    assert (coordinator_a.email, "needs", "web") in reads(member_a) and reads(other)
    SensitiveRead.objects.all().delete()
    client = api_as(coordinator_a, org_a)
    assert client.get("/api/people").status_code == 200
    assert reads(member_a) == {(coordinator_a.email, "contact", "api"), (coordinator_a.email, "needs", "api")}
    SensitiveRead.objects.all().delete()
    client.get(f"/api/people/{other.pk}")
    assert reads(other) == {(coordinator_a.email, "contact", "api"), (coordinator_a.email, "needs", "api")}
    assert not SensitiveRead.objects.filter(person=member_a).exists()


def test_opening_a_section_records_only_what_it_shows(org_a, coordinator_a):
    person = make_member(org_a)
    ConsentRecord.objects.create(person=person, purpose=ConsentRecord.Purpose.ACT_ON_BEHALF, organisation=org_a)
    client = staff_client(coordinator_a)
    client.get(f"/staff/people/{person.pk}/details/contact/")
    client.get(f"/staff/people/{person.pk}/details/skills/")
    assert reads(person) == {(coordinator_a.email, "contact", "web")}


def test_what_someone_reads_of_themself_is_not_recorded(org_a):
    staff = make_staff(org_a, Role.COORDINATOR)
    person = PersonFactory(user=staff, email=staff.email)
    share(person, org_a)
    staff_client(staff).get(f"/staff/people/{person.pk}/")
    assert not SensitiveRead.objects.filter(person=person).exists()


def test_a_person_never_sees_others_reads(org_a, coordinator_a, member_a):
    other = make_member(org_a, full_name="Osian Other")
    staff_client(coordinator_a).get(f"/staff/people/{other.pk}/")
    page = member_client(member_a).get("/me/").content.decode()
    assert "Nobody at an organisation has looked at them yet." in page


def test_the_admin_reviews_the_organisations_reads_and_nobody_else_can(org_a, org_b, coordinator_a, member_a):
    staff_client(coordinator_a).get(f"/staff/people/{member_a.pk}/")
    admin = make_staff(org_a, Role.ADMIN)
    page = staff_client(admin).get("/staff/people/reads/")
    assert page.status_code == 200
    text = page.content.decode()
    assert member_a.full_name in text and "DBS record on WithUs" in text
    assert staff_client(coordinator_a).get("/staff/people/reads/").status_code == 403
    other_admin = make_staff(org_b, Role.ADMIN)
    assert member_a.full_name not in staff_client(other_admin).get("/staff/people/reads/").content.decode()
