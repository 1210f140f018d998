"""The payment file for a batch (CSV, one layout per payment method; docs/payments.md lists the columns).

The whole file is built in memory before anything is marked (``services.export_batch``),
so a file that fails half way leaves the batch as it was.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from withus.core import spreadsheets
from withus.rewards import rules
from withus.rewards.models import IncomeLine, PaymentBatch, RewardMethod, RewardPreference

ZERO = rules.money(0)
COPY_MARK = "COPY"

BANK_COLUMNS = ["batch_id", "line_ids", "payee_name", "sort_code", "account_number", "amount", "reference", "copy"]
PAYROLL_COLUMNS = ["batch_id", "line_id", "person_id", "name", "amount", "description", "activity_date", "copy"]
OTHER_COLUMNS = ["batch_id", "line_ids", "person_id", "name", "pay_to", "amount", "description", "copy"]


def _by_person(lines: Iterable[IncomeLine]) -> list[list[IncomeLine]]:
    groups: dict[int, list[IncomeLine]] = {}
    for line in lines:
        groups.setdefault(line.person_id, []).append(line)
    return list(groups.values())


def payment_file(batch: PaymentBatch, lines: list[IncomeLine], *, copy: bool) -> str:
    """The whole file, in memory: nothing is written anywhere or marked until it is complete."""
    mark = COPY_MARK if copy else ""
    preferences = {p.person_id: p for p in RewardPreference.objects.filter(person__in={ln.person_id for ln in lines})}
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    if batch.method == RewardMethod.BANK_TRANSFER:
        missing = sorted(
            {
                ln.person.full_name
                for ln in lines
                if not ((p := preferences.get(ln.person_id)) and p.account_name and p.sort_code and p.account_number)
            }
        )
        if missing:
            raise ValidationError(
                _("Bank details are missing for: %(names)s. Ask them to add their details, then export again.")
                % {"names": ", ".join(missing)}
            )
        writer.writerow(BANK_COLUMNS)
        for group in _by_person(lines):
            p = preferences[group[0].person_id]
            writer.writerow(
                [
                    batch.pk,
                    " ".join(str(ln.pk) for ln in group),
                    p.account_name,
                    p.sort_code,
                    p.account_number,
                    rules.money(sum((ln.amount for ln in group), ZERO)),
                    # Bank references hold 18 characters.
                    f"WITHUS B{batch.pk} P{group[0].person_id}"[:18],
                    mark,
                ]
            )
    elif batch.method == RewardMethod.PAYROLL:
        writer.writerow(PAYROLL_COLUMNS)
        for ln in lines:
            writer.writerow(
                [
                    batch.pk,
                    ln.pk,
                    ln.person_id,
                    ln.person.full_name,
                    rules.money(ln.amount),
                    ln.shown_description,
                    ln.activity_date.isoformat(),
                    mark,
                ]
            )
    else:
        writer.writerow(OTHER_COLUMNS)
        for group in _by_person(lines):
            person = group[0].person
            p = preferences.get(person.pk)
            pay_to = person.full_name
            if batch.method == RewardMethod.DONATION and p and p.charity_name:
                pay_to = p.charity_name
            elif batch.method == RewardMethod.PAY_GROUP and p and p.group_name:
                pay_to = p.group_name
            writer.writerow(
                [
                    batch.pk,
                    " ".join(str(ln.pk) for ln in group),
                    person.pk,
                    person.full_name,
                    pay_to,
                    rules.money(sum((ln.amount for ln in group), ZERO)),
                    "; ".join(ln.shown_description for ln in group),
                    mark,
                ]
            )
    return out.getvalue()


def export_filename(batch: PaymentBatch, *, copy: bool = False) -> str:
    suffix = "-COPY" if copy else ""
    return f"withus-{batch.organisation.slug}-batch-{batch.pk}-{batch.method}{suffix}.csv"
