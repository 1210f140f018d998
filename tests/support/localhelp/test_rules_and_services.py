from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_member
from tests.support.localhelp.factories import days_ago, make_entry
from withus.support.localhelp import rules, selectors, services
from withus.support.localhelp.models import HelpEntry

TODAY = date(2030, 6, 1)
REACH = {"phone": "", "text_number": "", "email": "", "website": "", "address": ""}


def test_an_entry_is_stale_a_year_after_it_was_checked():
    assert not rules.is_stale(date(2029, 6, 2), today=TODAY)
    assert rules.is_stale(date(2029, 6, 1), today=TODAY)
    assert rules.review_due(date(2029, 2, 28)) == date(2030, 2, 28)


def test_an_entry_needs_a_name_a_way_to_reach_them_and_a_check_date_not_in_the_future():
    problems = rules.entry_problems(name=" ", reviewed_on=TODAY + timedelta(days=1), today=TODAY, **REACH)
    assert set(problems) == {"name", "phone", "reviewed_on"}
    assert rules.entry_problems(name="Mind", reviewed_on=TODAY, today=TODAY, **{**REACH, "website": "x"}) == {}
    assert "reviewed_on" in rules.entry_problems(name="Mind", reviewed_on=None, today=TODAY, **REACH)


@pytest.mark.django_db
def test_a_coordinator_adds_an_entry_and_bad_input_writes_nothing(org_a, coordinator_a):
    with pytest.raises(ValidationError) as error:
        services.save_entry(
            actor=coordinator_a,
            organisation=org_a,
            fields={"kind": "crisis", "name": "C.A.L.L.", "reviewed_on": timezone.localdate()},
        )
    assert "phone" in error.value.message_dict
    assert not HelpEntry.objects.exists()
    entry = services.save_entry(
        actor=coordinator_a,
        organisation=org_a,
        fields={"kind": "crisis", "name": "C.A.L.L.", "phone": "0800 132 737", "reviewed_on": timezone.localdate()},
    )
    assert entry.reviewed_by == coordinator_a


@pytest.mark.django_db
def test_only_the_organisations_coordinators_change_its_directory(org_a, org_b, coordinator_b):
    entry = make_entry(org_a)
    with pytest.raises(PermissionDenied):
        services.mark_checked(actor=coordinator_b, entry=entry)
    with pytest.raises(PermissionDenied):
        services.save_entry(actor=coordinator_b, organisation=org_b, fields={"name": "X"}, entry=entry)


@pytest.mark.django_db
def test_checking_an_entry_makes_it_current_again(org_a, coordinator_a):
    entry = make_entry(org_a, reviewed_on=days_ago(400))
    assert selectors.stale([entry]) == [entry]
    services.mark_checked(actor=coordinator_a, entry=entry)
    assert selectors.stale([entry]) == []


@pytest.mark.django_db
def test_help_for_gives_only_the_kinds_asked_of_that_organisation(org_a, org_b, django_assert_num_queries):
    welfare = make_entry(org_a)
    make_entry(org_a, kind="crisis", name="C.A.L.L.")
    make_entry(org_b)
    with django_assert_num_queries(1):
        assert list(selectors.help_for(org_a, ["welfare_rights", "nonsense"])) == [welfare]


@pytest.mark.django_db
def test_a_member_sees_the_help_of_organisations_they_share_with(org_a, org_b):
    member = make_member(org_a)
    mine = make_entry(org_a)
    make_entry(org_b)
    assert list(selectors.directory_for(member)) == [mine]


def test_the_year_of_staleness_an_entry_is_in_is_named_by_the_day_it_began():
    assert rules.stale_year_began(date(2029, 6, 2), today=TODAY) is None
    assert rules.stale_year_began(date(2029, 6, 1), today=TODAY) == TODAY
    assert rules.stale_year_began(date(2028, 6, 2), today=TODAY) == date(2029, 6, 2)
    assert rules.stale_year_began(date(2028, 6, 1), today=TODAY) == TODAY


@pytest.mark.django_db
def test_the_coordinators_are_told_of_entries_unchecked_for_a_year_once_per_entry_per_year(
    org_a, org_b, coordinator_a, mailoutbox
):
    from tests.conftest import make_staff
    from withus.accounts.models import Role

    old = make_entry(org_a, name="Old Advice", reviewed_on=days_ago(400))
    make_entry(org_a, name="Fresh Advice", reviewed_on=days_ago(10))
    make_entry(org_b, name="Elsewhere", reviewed_on=days_ago(10))
    make_staff(org_a, Role.SUPERVISOR, "not-a-coordinator@example.org")
    assert services.tell_about_stale() == 1
    assert [m.to for m in mailoutbox] == [[coordinator_a.email]]
    assert "Old Advice" in mailoutbox[0].body and "Fresh Advice" not in mailoutbox[0].body
    assert f"/staff/local-help/{old.pk}/" in mailoutbox[0].body
    assert services.tell_about_stale() == 0  # the same year: not again
    assert len(mailoutbox) == 1
    later = timezone.localdate() + timedelta(days=366)  # still not checked a year on: told again
    assert services.tell_about_stale(today=later) == 3  # and the other two have gone stale by then too
    services.mark_checked(actor=coordinator_a, entry=old, today=later)
    assert services.tell_about_stale(today=later + timedelta(days=1)) == 0


@pytest.mark.django_db
def test_a_coordinator_who_asked_for_welsh_is_told_of_stale_help_in_welsh(org_a, coordinator_a, mailoutbox):
    from tests.people.factories import PersonFactory

    PersonFactory(user=coordinator_a, email=coordinator_a.email, prefers_welsh=True)
    make_entry(org_a, reviewed_on=days_ago(400))
    assert services.tell_about_stale() == 1
    assert "Help lleol i'w wirio" in mailoutbox[0].subject
    assert "Cyngor ar Bopeth Aberafon" in mailoutbox[0].body  # the entry's Welsh name
