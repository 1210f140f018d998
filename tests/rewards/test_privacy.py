"""What reward and recognition holds about a person, in their download."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import make_member
from withus.core import privacy
from withus.rewards.guard import services as guard_services
from withus.rewards.models import IncomeLine, RewardPreference, Thanks
from withus.rewards.statements import services as statement_services

pytestmark = pytest.mark.django_db


SECTIONS = {
    "benefit_declarations",
    "reward_choice",
    "bank_details",
    "offers_and_fees",
    "expense_claims",
    "payments",
    "statements",
    "thanks",
}


def test_the_download_holds_every_rewards_section_and_never_the_whole_bank_account(org_a, coordinator_a, time_machine):
    time_machine.move_to(datetime(2025, 6, 2, 12, tzinfo=ZoneInfo("Europe/London")))
    member = make_member(org_a)
    guard_services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a])
    statement_services.set_reward_preference(
        actor=member.user,
        person=member,
        fields={
            "method": "bank_transfer",
            "account_name": "A Member",
            "sort_code": "30-90-12",
            "account_number": "00733445",
        },
    )
    fee = IncomeLine.objects.create(
        person=member,
        organisation=org_a,
        kind="fee",
        description="Panel",
        amount=Decimal("60.00"),
        activity_date=date(2025, 5, 1),
        status="paid",
        paid_at=datetime(2025, 5, 9, 10, tzinfo=ZoneInfo("UTC")),
    )
    IncomeLine.objects.create(
        person=member,
        organisation=org_a,
        kind="expense",
        expense_category="parking",
        description="Parking",
        amount=Decimal("4.50"),
        activity_date=date(2025, 5, 1),
        status="submitted",
    )
    Thanks.objects.create(person=member, organisation=org_a, contribution="The leaflet", message="Thank you")

    document = privacy.subject_access(member)

    assert set(document) >= SECTIONS
    assert document["labels"]["bank_details"]["title"] == "Bank details (shown in part)"
    assert document["labels"]["payments"]["fields"]["batch"] == "Payment batch"
    assert document["bank_details"] == {
        "account_name": "A Member",
        "sort_code": "••-••-12",
        "account_number": "••••••45",
    }
    text = json.dumps(document, ensure_ascii=False)
    assert "00733445" not in text and "733445" not in text and "309012" not in text
    assert document["reward_choice"]["method"] == "Bank transfer"
    [declaration] = document["benefit_declarations"]
    assert declaration["benefit"] == "Carer's Allowance" and declaration["shared_with"] == [org_a.name]
    [offer] = document["offers_and_fees"]
    assert (offer["description"], offer["amount"], offer["status"]) == ("Panel", "60.00", "Paid")
    [expense] = document["expense_claims"]
    assert (expense["category"], expense["amount"]) == ("Parking", "4.50")
    [payment] = document["payments"]
    assert payment["amount"] == "60.00" and payment["batch"] is None
    assert [s["tax_year"] for s in document["statements"]] == ["2025/26"]
    assert document["thanks"][0]["contribution"] == "The leaflet"
    assert fee.pk  # the paid fee is the one payment


def test_someone_with_nothing_has_empty_sections(org_a):
    member = make_member(org_a)
    document = privacy.subject_access(member)
    assert document["reward_choice"] is None and document["bank_details"] is None
    assert document["offers_and_fees"] == [] and document["payments"] == [] and document["thanks"] == []
    RewardPreference.objects.create(person=member, method="volunteer")
    assert privacy.subject_access(member)["bank_details"] is None
