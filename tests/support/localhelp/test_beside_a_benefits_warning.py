"""Welfare rights advice from the directory is shown where the member reads the benefits guard's warning."""

import pytest

from tests.conftest import member_client
from tests.rewards.guard.test_limit_meaning import a_carer_with_an_offer_over_the_limit
from tests.rewards.guard.test_views import text
from tests.support.localhelp.factories import make_entry
from withus.rewards.models import IncomeLine

pytestmark = pytest.mark.django_db


def test_welfare_rights_advice_is_beside_the_benefits_warning(org_a, coordinator_a, time_machine):
    make_entry(org_a, name="Welfare Rights Aberafon", name_cy="Hawliau Lles Aberafon", phone="01234 567890")
    make_entry(org_a, kind="crisis", name="C.A.L.L. helpline")
    member, client, _coordinator, _made = a_carer_with_an_offer_over_the_limit(org_a, coordinator_a, time_machine)
    line = IncomeLine.objects.get()
    for url in ("/me/benefits/", f"/me/benefits/offers/{line.pk}/"):
        page = text(client.get(url))
        assert "This offer could affect your benefits." in page
        assert "Welfare rights advice near you" in page and "Welfare Rights Aberafon" in page, url
        assert "01234 567890" in page and "C.A.L.L. helpline" not in page
    welsh = member_client(member)
    welsh.cookies["withus_language"] = "cy"
    assert "Hawliau Lles Aberafon" in text(welsh.get("/me/benefits/"))


def test_no_help_is_shown_beside_an_offer_without_a_warning(org_a, coordinator_a, time_machine):
    make_entry(org_a, name="Welfare Rights Aberafon")
    _member, client, _c, _m = a_carer_with_an_offer_over_the_limit(org_a, coordinator_a, time_machine)
    IncomeLine.objects.update(amount="10.00")
    assert "Welfare Rights Aberafon" not in text(client.get("/me/benefits/"))
