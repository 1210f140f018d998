"""The member's benefits page comes in short headed sections, and the adviser's contact details say whose they are."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import make_member, member_client, staff_client
from tests.rewards.guard.test_views import WEDNESDAY, declare, offer

pytestmark = pytest.mark.django_db

SECTIONS = ["receive", "counted", "offers", "tell", "advice", "tax"]


def sections(page: str) -> dict[str, str]:
    """Each section of the page by the id of its heading."""
    found = re.findall(r'<section class="page-section" aria-labelledby="(\w+)">(.*?)</section>', page, re.S)
    return dict(found)


def test_the_page_is_split_into_sections_listed_at_the_top(org_a, coordinator_a, time_machine):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a, perspective="carer")
    client = member_client(member)
    assert declare(client, "carers_allowance", org_a).status_code == 302
    assert offer(staff_client(coordinator_a), member, activity_date="2025-06-12").status_code == 302

    page = html.unescape(client.get("/me/benefits/").content.decode())
    contents = re.search(r'<nav class="contents" aria-labelledby="contents-title">.*?</nav>', page, re.S)
    assert contents, "no list of the page's sections"
    assert re.findall(r'<a href="#(\w+)">', contents.group(0)) == SECTIONS
    assert "Offers waiting for your answer</a> (1)" in contents.group(0)

    parts = sections(page)
    assert list(parts) == SECTIONS
    for name, body in parts.items():
        assert body.lstrip().startswith(f'<h2 id="{name}">'), name
    # What the member receives, what is counted, and the offer each sit in their own section.
    assert "Carer's Allowance" in parts["receive"] and "Told us on" in parts["receive"]
    assert "This period" not in parts["receive"]
    assert "This period" in parts["counted"] and "Next period" in parts["counted"]
    assert "Counted so far: £200.00" in parts["counted"]
    assert "Recruitment panel" in parts["offers"] and "Recruitment panel" not in parts["counted"]
    assert '<form method="post" action="/me/benefits/"' in parts["tell"]


def test_with_nothing_told_each_section_says_so(org_a):
    page = html.unescape(member_client(make_member(org_a)).get("/me/benefits/").content.decode())
    parts = sections(page)
    assert "You have not told us about any benefits." in parts["receive"]
    assert "Once you tell us about a benefit" in parts["counted"]
    assert "No offers are waiting for your answer." in parts["offers"]


def test_the_advisers_contact_details_are_labelled_as_the_advisers(org_a):
    org_a.welfare_adviser = "Afon Welfare Rights Service"
    org_a.welfare_adviser_contact = "01632 960500"
    org_a.contact_phone = "01632 960000"
    org_a.save()
    page = html.unescape(member_client(make_member(org_a)).get("/me/benefits/").content.decode())
    advice = sections(page)["advice"]
    rows = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", advice, re.S))
    assert rows["The welfare rights adviser Organisation A works with"] == "Afon Welfare Rights Service"
    assert rows["Your adviser’s phone number or e-mail"] == "01632 960500"
    assert rows["Organisation A’s phone number"] == "01632 960000"
    assert "<dt>Phone</dt>" not in page and "Phone 01632" not in page
