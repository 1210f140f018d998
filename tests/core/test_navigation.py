"""Every app lists its pages on the home pages; the header stays short."""

from __future__ import annotations

import pytest
from django.urls import reverse

from withus.core import navigation
from withus.core.navigation import Page


def test_every_listed_page_has_an_address_and_a_line_saying_what_it_is_for() -> None:
    assert navigation.PAGES
    for page in navigation.PAGES:
        assert reverse(page.url_name)
        assert str(page.title) and len(str(page.description)) > 20


def test_a_page_under_a_section_the_home_page_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="no section 'nowhere'"):
        navigation.register(Page("nowhere", "home", "Home", "The home page."))
    assert all(p.section != "nowhere" for p in navigation.PAGES)


def test_the_staff_home_page_keeps_sections_in_order_and_offers_only_what_the_roles_open() -> None:
    everything = [title for title, _ in navigation.staff_sections({"coordinator", "admin", "budget_holder"})]
    assert everything == [t for k, t in navigation.STAFF_SECTIONS.items() if t in everything]
    pages = [p.url_name for _, listed in navigation.staff_sections({"budget_holder"}) for p in listed]
    assert "rewards_finance:budgets" in pages and "people:staff_list" not in pages


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_new_member_and_a_new_organisations_admin_can_open_every_page_listed_for_them(org_a, language) -> None:
    """With nothing recorded yet: the first visit of a new member, and of a new organisation's admin."""
    from tests.conftest import make_member, make_staff, member_client, staff_client
    from withus.accounts.models import Role

    member = member_client(make_member(org_a))
    admin = staff_client(make_staff(org_a, Role.ADMIN))
    for client in (member, admin):
        client.cookies["withus_language"] = language
    for page in navigation.PAGES:
        client = admin if page.staff else member
        response = client.get(reverse(page.url_name))
        assert response.status_code == 200, page.url_name
