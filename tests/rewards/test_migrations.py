"""Data migrations of the rewards app that rewrite what is already stored."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps

from tests.conftest import make_member
from tests.rewards.factories import IncomeLineFactory
from withus.rewards.models import IncomeLine

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"\x00" * 64


def test_receipts_kept_under_the_uploaders_name_move_to_a_generated_name_and_nothing_is_lost(
    org_a, media, django_capture_on_commit_callbacks
):
    migration = importlib.import_module("withus.rewards.migrations.0008_receipts_under_generated_names")
    member = make_member(org_a)
    folder = media / "receipts" / "2025"
    folder.mkdir(parents=True)
    (folder / "My address, Aberystwyth.html").write_bytes(PDF)
    (folder / "receipt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)
    named = IncomeLineFactory(person=member, organisation=org_a, kind="expense", amount="4.50")
    missing = IncomeLineFactory(person=member, organisation=org_a, kind="expense", amount="5.50")
    none = IncomeLineFactory(person=member, organisation=org_a, kind="expense", amount="6.50")
    IncomeLine.objects.filter(pk=named.pk).update(receipt="receipts/2025/My address, Aberystwyth.html")
    IncomeLine.objects.filter(pk=missing.pk).update(receipt="receipts/2024/gone.jpg")

    with django_capture_on_commit_callbacks(execute=True):
        migration.move_receipts_to_generated_names(apps, None)

    named.refresh_from_db()
    # Only an extension of ours is kept; the receipt view sends the file as the PDF its content is.
    assert re.fullmatch(r"receipts/2025/[0-9a-f]{32}", named.receipt.name), named.receipt.name
    assert named.receipt_name == "My address, Aberystwyth.html"
    with named.receipt.open("rb") as stored:
        assert stored.read() == PDF
    assert not (folder / "My address, Aberystwyth.html").exists()
    missing.refresh_from_db()
    assert (missing.receipt.name, missing.receipt_name) == ("receipts/2024/gone.jpg", "gone.jpg")  # no file to move
    none.refresh_from_db()
    assert (none.receipt.name, none.receipt_name) == ("", "")
    # Run again, nothing changes.
    moved = named.receipt.name
    migration.move_receipts_to_generated_names(apps, None)
    named.refresh_from_db()
    assert named.receipt.name == moved and named.receipt_name == "My address, Aberystwyth.html"
    assert (folder / "receipt.png").exists()  # a file no row points at is left alone
