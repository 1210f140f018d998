"""A payment batch's figures: one definition, the same on the page, the confirm page, the API and the command line."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import api_as
from tests.conftest import staff_client
from tests.rewards.finance.test_services import approved_lines, budget_for, holder_of
from withus.accounts.models import Role
from withus.rewards.finance import selectors, services
from withus.rewards.models import PaymentBatch

pytestmark = pytest.mark.django_db


def test_a_batchs_total_is_the_same_everywhere(org_a):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "0.05", "33.33"])
    out = StringIO()
    call_command("payments", "batch", "--organisation", org_a.slug, "--method", "bank_transfer", stdout=out)
    batch = PaymentBatch.objects.get()

    assert selectors.figures(batch) == (3, Decimal("43.38"))
    assert selectors.figures(selectors.batch_of(org_a, batch.pk)) == (3, Decimal("43.38"))
    assert "3 line(s), total £43.38" in out.getvalue()
    body = api_as(holder, org_a, Role.BUDGET_HOLDER).get("/api/staff/batches").json()["items"][0]
    assert (body["line_count"], body["total"]) == (3, "43.38")
    client = staff_client(holder)
    listed = html.unescape(client.get("/staff/payments/batches/").content.decode())
    cells = re.sub(r"<td[^>]*>", "<td>", listed)
    assert f"<td>{batch.pk}</td><td>Bank transfer</td><td>3</td><td>£43.38</td>" in cells
    confirm = html.unescape(client.get(f"/staff/payments/batches/{batch.pk}/paid/").content.decode())
    assert "£43.38" in confirm


def test_the_batches_page_and_api_read_the_figures_in_the_same_queries_however_many_batches(org_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder, "100000.00")
    client = staff_client(holder)
    api = api_as(holder, org_a, Role.BUDGET_HOLDER)

    def one_more_batch(amounts: list[str]) -> None:
        approved_lines(org_a, holder, budget, amounts)
        services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")

    one_more_batch(["1.00"])
    with CaptureQueriesContext(connection) as page_one, CaptureQueriesContext(connection):
        client.get("/staff/payments/batches/")
    with CaptureQueriesContext(connection) as api_one:
        api.get("/api/staff/batches")
    for amounts in (["2.00", "3.00"], ["4.00"], ["5.00", "6.00", "7.00"]):
        one_more_batch(amounts)
    with CaptureQueriesContext(connection) as page_four:
        assert client.get("/staff/payments/batches/").status_code == 200
    with CaptureQueriesContext(connection) as api_four:
        assert len(api.get("/api/staff/batches").json()["items"]) == 4
    assert len(page_four) == len(page_one)
    assert len(api_four) == len(api_one)
