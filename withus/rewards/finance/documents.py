"""The payment file for a batch (CSV or XLSX, one layout per payment method; docs/payments.md lists the columns).

The file is written, a chunk of lines at a time, to a temporary file that spills to disk
past a few megabytes, so a batch of any size fits in little memory; it is complete
before anything is marked (``services.export_batch``), so a file that fails half way
leaves the batch as it was.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Generator, Iterable, Iterator
from itertools import groupby
from typing import IO, Any, cast

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation
from withus.core import spreadsheets
from withus.rewards import rules
from withus.rewards.models import Budget, IncomeLine, PaymentBatch, RewardMethod, RewardPreference

from . import selectors

ZERO = rules.money(0)
COPY_MARK = "COPY"
CHUNK = 2000
IN_MEMORY_UP_TO = 4 * 1024 * 1024  # bytes of file kept in memory before it spills to disk

BANK_COLUMNS = ["batch_id", "line_ids", "payee_name", "sort_code", "account_number", "amount", "reference", "copy"]
PAYROLL_COLUMNS = ["batch_id", "line_id", "person_id", "name", "amount", "description", "activity_date", "copy"]
OTHER_COLUMNS = ["batch_id", "line_ids", "person_id", "name", "pay_to", "amount", "description", "copy"]


def lines_of(batch: PaymentBatch) -> Generator[IncomeLine]:
    """The batch's lines, each person's together, with the person and their reward choice, a chunk at a time.

    A generator (Django's ``iterator``), so that whoever stops early can close its database cursor.
    """
    lines = (
        batch.lines.select_related("person", "person__reward_preference")
        .order_by("person_id", "pk")
        .iterator(chunk_size=CHUNK)
    )
    return cast(Generator[IncomeLine], lines)


def _preference(line: IncomeLine) -> RewardPreference | None:
    try:
        return line.person.reward_preference
    except ObjectDoesNotExist:
        return None


def payment_columns(batch: PaymentBatch) -> list[str]:
    columns = {RewardMethod.BANK_TRANSFER: BANK_COLUMNS, RewardMethod.PAYROLL: PAYROLL_COLUMNS}
    return columns.get(batch.method, OTHER_COLUMNS)  # type: ignore[call-overload, no-any-return]


def payment_rows(
    batch: PaymentBatch, lines: Iterable[IncomeLine], *, copy: bool, paid: list[int], missing: list[str]
) -> Iterator[list[Any]]:
    """The file's rows, typed (amounts ``Decimal``, dates ``date``, ids ``int``), once for the CSV and the XLSX.

    ``paid`` gets the id of each person paid, in order; ``missing`` the name of each person
    paid by bank transfer without bank details (their row is left out, and the export refused).
    """
    mark = COPY_MARK if copy else ""
    for person_id, grouped in groupby(lines, key=lambda ln: ln.person_id):
        group = list(grouped)
        paid.append(person_id)
        person = group[0].person
        p = _preference(group[0])
        if batch.method == RewardMethod.BANK_TRANSFER:
            if not (p and p.account_name and p.sort_code and p.account_number):
                missing.append(person.full_name)
                continue
            yield [
                batch.pk,
                " ".join(str(ln.pk) for ln in group),
                p.account_name,
                p.sort_code,
                p.account_number,
                rules.money(sum((ln.amount for ln in group), ZERO)),
                # Bank references hold 18 characters.
                f"WITHUS B{batch.pk} P{person_id}"[:18],
                mark,
            ]
        elif batch.method == RewardMethod.PAYROLL:
            for ln in group:
                yield [
                    batch.pk,
                    ln.pk,
                    ln.person_id,
                    person.full_name,
                    rules.money(ln.amount),
                    ln.shown_description,
                    ln.activity_date,
                    mark,
                ]
        else:
            pay_to = person.full_name
            if batch.method == RewardMethod.DONATION and p and p.charity_name:
                pay_to = p.charity_name
            elif batch.method == RewardMethod.PAY_GROUP and p and p.group_name:
                pay_to = p.group_name
            yield [
                batch.pk,
                " ".join(str(ln.pk) for ln in group),
                person.pk,
                person.full_name,
                pay_to,
                rules.money(sum((ln.amount for ln in group), ZERO)),
                "; ".join(ln.shown_description for ln in group),
                mark,
            ]


def payment_file(
    batch: PaymentBatch,
    lines: Iterable[IncomeLine],
    *,
    copy: bool,
    paid: list[int],
    file_format: spreadsheets.FileFormat = "csv",
) -> IO[bytes]:
    """The whole file, CSV or XLSX, as a temporary file at its start; nothing is marked until it is complete.

    ``paid`` gets the id of each person paid, in order, for the record of who saw whose bank details.
    Both formats hold the same rows (``payment_rows``); the workbook's one sheet has the same header.
    """
    missing: list[str] = []
    rows = payment_rows(batch, lines, copy=copy, paid=paid, missing=missing)
    spool: IO[bytes]
    if file_format == "xlsx":
        title = _("Batch %(id)s") % {"id": batch.pk} + (f" {COPY_MARK}" if copy else "")
        spool = spreadsheets.workbook([spreadsheets.Sheet(title, payment_columns(batch), rows)])
    else:
        spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO, mode="w+b")  # noqa: SIM115 -- handed on
        out = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        writer = spreadsheets.writer(out)
        writer.writerow(payment_columns(batch))
        for row in rows:
            writer.writerow(row)
        out.flush()
        out.detach()
        spool.seek(0)
    if missing:
        spool.close()
        raise ValidationError(
            _("Bank details are missing for: %(names)s. Ask them to add their details, then export again.")
            % {"names": ", ".join(sorted(set(missing)))}
        )
    return spool


def export_filename(batch: PaymentBatch, *, copy: bool = False, file_format: spreadsheets.FileFormat = "csv") -> str:
    suffix = "-COPY" if copy else ""
    return f"withus-{batch.organisation.slug}-batch-{batch.pk}-{batch.method}{suffix}.{file_format}"


# ---- Budgets ---------------------------------------------------------------------------------

BUDGET_COLUMNS = [
    "budget",
    "group",
    "holder",
    "funded_by",
    "allocation",
    "committed",
    "spent",
    "remaining",
    "state",
]


def budget_rows(organisation: Organisation) -> Iterator[list[Any]]:
    """The budgets page's table, a row per budget, typed: what it shows, figures from the same selector.

    ``committed`` is accepted, claimed or approved and not yet paid; ``spent`` is paid;
    ``remaining`` may be below zero; ``state`` is ``open`` or ``closed``; ``funded_by`` is the
    organisation a budget is paid at arm's length for, blank otherwise.
    """
    budgets = (
        Budget.objects.filter(organisation=organisation)
        .select_related("holder", "group", "funded_by")
        .order_by("name", "pk")
    )
    for budget, figures in selectors.budgets_with_figures(budgets):
        yield [
            budget.name,
            str(budget.group) if budget.group else "",
            str(budget.holder),
            budget.funded_by.name if budget.funded_by else "",
            figures.allocation,
            figures.committed,
            figures.spent,
            figures.remaining,
            "closed" if budget.closed else "open",
        ]


def budgets_file(organisation: Organisation, file_format: spreadsheets.FileFormat) -> tuple[str, IO[bytes]]:
    """The organisation's budgets as CSV or XLSX, and the file's name: the page, the API and the CLI use this."""
    name = f"withus-{organisation.slug}-budgets-{timezone.localdate().isoformat()}.{file_format}"
    rows = budget_rows(organisation)
    if file_format == "xlsx":
        return name, spreadsheets.workbook([spreadsheets.Sheet(_("Budgets"), BUDGET_COLUMNS, rows)])
    return name, io.BytesIO("".join(spreadsheets.csv_pieces(BUDGET_COLUMNS, rows)).encode())
