"""What each kind of prepared file is: who may ask for it, what it is called, and how it is written.

Each kind writes with the same function its own app's page or command uses (the people register's
``documents.write_register``, the outbox's ``documents.write_letters``, the payment batch's
``services.export_batch``), so a prepared file is the file the page would give, only made in the
background with its progress saved.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING, PAYING, SEEING_PEOPLE, SEEING_WORK, RoleGroup
from withus.core import spreadsheets
from withus.core.progress import Progress
from withus.meetings import documents as meetings_documents
from withus.meetings import selectors as meetings_selectors
from withus.meetings.forms import AttendanceDownloadForm
from withus.people import documents as people_documents
from withus.people.forms import PeopleFilterForm
from withus.people.outbox import documents as outbox_documents
from withus.people.outbox import selectors as outbox_selectors
from withus.people.outbox import services as outbox_services
from withus.rewards.finance import documents as finance_documents
from withus.rewards.finance import services as finance_services
from withus.rewards.models import PaymentBatch

from .models import PreparedFile

Kind = PreparedFile.Kind
Writer = Callable[[PreparedFile, IO[bytes], Progress], None]


@dataclass(frozen=True)
class FileKind:
    roles: RoleGroup  # who may ask for it, and still download it
    formats: tuple[str, ...]
    write: Writer


def people_filter_form(filters: str) -> PeopleFilterForm:
    """The people list's filter form, from its query string as the list page had it."""
    return PeopleFilterForm(QueryDict(filters))


def _write_people(prepared: PreparedFile, out: IO[bytes], progress: Progress) -> None:
    form = people_filter_form(prepared.params.get("filters", ""))
    people_filter = form.people_filter() if form.is_valid() else None
    people_documents.write_register(
        prepared.requested_by,
        prepared.organisation,
        out,
        people_filter=people_filter,
        file_format=prepared.file_format,  # type: ignore[arg-type]  # checked when asked for
        progress=progress,
    )


def _write_letters(prepared: PreparedFile, out: IO[bytes], progress: Progress) -> None:
    ids = [int(pk) for pk in prepared.params.get("messages", [])]
    letters = list(
        outbox_selectors.waiting(prepared.organisation, "letters").filter(pk__in=ids).select_related("organisation")
    )
    if not letters:
        raise ValidationError(_("These letters have all been posted or dealt with since you asked for them."))
    outbox_documents.write_letters(letters, out, progress=progress)
    outbox_services.record_contacts_shown(
        reader=prepared.requested_by, organisation=prepared.organisation, shown=letters
    )


def attendance_form(data: dict[str, str] | None) -> AttendanceDownloadForm:
    """The attendance download's form (which days, which format), as its own page has it."""
    return AttendanceDownloadForm(data)


def _write_attendance(prepared: PreparedFile, out: IO[bytes], progress: Progress) -> None:
    start, end = (prepared.params.get(k) or None for k in ("start", "end"))
    meetings_documents.write_attendance(
        meetings_selectors.sessions_for_staff(prepared.requested_by, prepared.organisation),
        prepared.organisation,
        out,
        file_format=prepared.file_format,
        start=date.fromisoformat(start) if start else None,
        end=date.fromisoformat(end) if end else None,
        progress=progress,
    )


def payment_batch(organisation: Organisation, params: dict[str, Any]) -> PaymentBatch:
    """The batch a payment file is for: the organisation's own, or refused."""
    pk = params.get("batch")
    batch = PaymentBatch.objects.filter(organisation=organisation, pk=pk).first() if isinstance(pk, int) else None
    if batch is None:
        raise ValidationError({"batch": _("There is no such payment batch here.")})
    return batch


def _write_payments(prepared: PreparedFile, out: IO[bytes], progress: Progress) -> None:
    """The payment file, as the batches page exports it: the first marks the batch exported, a later one is a copy."""
    _name, file = finance_services.export_batch(
        actor=prepared.requested_by,
        batch=payment_batch(prepared.organisation, prepared.params),
        copy=bool(prepared.params.get("copy")),
        file_format=prepared.file_format,  # type: ignore[arg-type]  # checked when asked for
        progress=progress,
    )
    with file:
        shutil.copyfileobj(file, out)


KINDS: dict[str, FileKind] = {
    Kind.PEOPLE: FileKind(SEEING_PEOPLE, ("csv", "xlsx"), _write_people),
    Kind.LETTERS: FileKind(COORDINATING, ("pdf",), _write_letters),
    Kind.ATTENDANCE: FileKind(SEEING_WORK, ("csv", "xlsx"), _write_attendance),
    Kind.PAYMENTS: FileKind(PAYING, ("csv", "xlsx"), _write_payments),
}


CONTENT_TYPES = {**spreadsheets.CONTENT_TYPES, "pdf": "application/pdf"}


def file_name(kind: str, organisation: Organisation, file_format: str, params: dict[str, Any]) -> str:
    """The name the file downloads as, the name the page's own download has."""
    if kind == Kind.PAYMENTS:
        return finance_documents.export_filename(
            payment_batch(organisation, params),
            copy=bool(params.get("copy")),
            file_format=file_format,  # type: ignore[arg-type]
        )
    if kind == Kind.LETTERS:
        return f"letters-{timezone.localdate().isoformat()}.pdf"
    if kind == Kind.ATTENDANCE:
        start, end = (date.fromisoformat(params[k]) if params.get(k) else None for k in ("start", "end"))
        return meetings_documents.attendance_filename(file_format, start=start, end=end)
    return people_documents.register_filename(organisation, file_format)  # type: ignore[arg-type]
