"""Asking for a file to be prepared in the background, preparing it (the task), and deleting it in time.

The web, the API and the command line all ask through the ``ask_for_...`` functions; the worker runs
``prepare``. A file is written to a temporary file first and saved whole, so a download
never gets half a file; its progress is saved as it goes, outside any transaction, for its page.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.selectors import require
from withus.core.progress import Progress
from withus.people.outbox import selectors as outbox_selectors
from withus.rewards.finance import services as finance_services

from . import kinds, selectors
from .models import PreparedFile

Status = PreparedFile.Status
# Files one person may have waiting or being prepared at once: enough for a day's work, not a flood.
AT_ONCE = 5
# A file not made this long after it was asked for has lost its worker (the server stopped, or no worker runs).
STALLED_AFTER = timedelta(hours=2)


def keep_hours() -> int:
    """How long a prepared file is kept for its download: a day unless the installation says otherwise."""
    return int(getattr(settings, "WITHUS_PREPARED_FILE_HOURS", 24))


def _ask(
    *, actor: User, organisation: Organisation, kind: str, file_format: str, params: dict[str, Any], total: int
) -> PreparedFile:
    require(actor, organisation, kinds.KINDS[kind].roles)
    if file_format not in kinds.KINDS[kind].formats:
        raise ValidationError({"file_format": _("Choose CSV or XLSX.")})
    give_up_stalled(requested_by=actor)
    working = PreparedFile.objects.filter(requested_by=actor, status__in=(Status.WAITING, Status.PREPARING)).count()
    if working >= AT_ONCE:
        raise ValidationError(
            _("You already have %(count)d files being prepared. Wait for one to be ready, then ask again.")
            % {"count": working}
        )
    prepared = PreparedFile.objects.create(
        organisation=organisation,
        requested_by=actor,
        kind=kind,
        file_format=file_format,
        params=params,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        file_name=kinds.file_name(kind, organisation, file_format, params),
        progress_total=total,
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.prepare_file_task.enqueue(prepared.pk))
    return prepared


@transaction.atomic
def ask_for_people(*, actor: User, organisation: Organisation, filters: str, file_format: str) -> PreparedFile:
    """The people list, with the filters of its query string (``filters``), as CSV or XLSX, made in the background."""
    form = kinds.people_filter_form(filters)
    if not form.is_valid():
        raise ValidationError(
            _("The list's filters are not ones the people list knows. Go back to the list and filter again.")
        )
    return _ask(
        actor=actor,
        organisation=organisation,
        kind=PreparedFile.Kind.PEOPLE,
        file_format=file_format,
        params={"filters": filters},
        total=0,
    )


@transaction.atomic
def ask_for_letters(*, actor: User, organisation: Organisation, upto: int | None = None) -> PreparedFile:
    """The outbox's next batch of letters (``outbox_selectors.letter_batch``) as one PDF, prepared in the background."""
    require(actor, organisation, kinds.KINDS[PreparedFile.Kind.LETTERS].roles)
    ids = outbox_selectors.letter_batch(organisation, upto)
    if not ids:
        raise ValidationError(_("There are no letters waiting to be printed."))
    return _ask(
        actor=actor,
        organisation=organisation,
        kind=PreparedFile.Kind.LETTERS,
        file_format="pdf",
        params={"messages": ids},
        total=len(ids),
    )


@transaction.atomic
def ask_for_attendance(
    *, actor: User, organisation: Organisation, start: date | None, end: date | None, file_format: str
) -> PreparedFile:
    """Attendance at the organisation's sessions between two days (both included, either may be left out),
    as CSV or XLSX, made in the background: the attendance download's file, for a long span."""
    if start and end and end < start:
        raise ValidationError({"end": _("The last day must be on or after the first.")})
    return _ask(
        actor=actor,
        organisation=organisation,
        kind=PreparedFile.Kind.ATTENDANCE,
        file_format=file_format,
        params={"start": start.isoformat() if start else "", "end": end.isoformat() if end else ""},
        total=0,
    )


@transaction.atomic
def ask_for_payment_file(
    *, actor: User, organisation: Organisation, batch_id: int, copy: bool, file_format: str
) -> PreparedFile:
    """A payment batch's file (CSV or XLSX), made in the background: a big batch's file without a long wait.

    The rule is the export's own (``finance.services.export_refusal``): the first file marks the batch
    exported when it is made, any later one is a copy. A batch whose first file is already being
    prepared is not asked for twice.
    """
    require(actor, organisation, kinds.KINDS[PreparedFile.Kind.PAYMENTS].roles)
    batch = kinds.payment_batch(organisation, {"batch": batch_id})
    refusal = finance_services.export_refusal(batch, copy=copy)
    if refusal:
        raise ValidationError(refusal)
    if (
        not copy
        and PreparedFile.objects.filter(
            organisation=organisation,
            kind=PreparedFile.Kind.PAYMENTS,
            status__in=(Status.WAITING, Status.PREPARING),
            params__batch=batch.pk,
            params__copy=False,
        ).exists()
    ):
        raise ValidationError(
            _("This batch's payment file is already being prepared. Look for it under Files prepared for you.")
        )
    return _ask(
        actor=actor,
        organisation=organisation,
        kind=PreparedFile.Kind.PAYMENTS,
        file_format=file_format,
        params={"batch": batch.pk, "copy": copy},
        total=batch.lines.count(),
    )


def _saving_progress(prepared_id: int) -> Progress:
    def saved(done: int, total: int) -> None:
        PreparedFile.objects.filter(pk=prepared_id).update(progress_done=done, progress_total=total)

    return saved


def prepare(prepared_id: int) -> str:
    """Write the file (the background task's work): outside a transaction, so its page sees how far it has got.

    Only a file waiting is taken, and only by one worker. Someone who has lost the role that let them ask
    gets no file. What the file's kind refuses (letters all posted since) is said on its page.
    """
    if not PreparedFile.objects.filter(pk=prepared_id, status=Status.WAITING).update(status=Status.PREPARING):
        return ""
    prepared = PreparedFile.objects.select_related("organisation", "requested_by").get(pk=prepared_id)
    problem = ""
    with translation.override(prepared.language), tempfile.TemporaryFile() as out:
        try:
            if not selectors.may_still_have(prepared.requested_by, prepared):
                raise PermissionDenied
            kinds.KINDS[prepared.kind].write(prepared, out, _saving_progress(prepared_id))
        except PermissionDenied:
            problem = _("You no longer have a role that may see what this file would hold, so it was not made.")
        except ValidationError as error:
            problem = " ".join(error.messages)
        except Exception:
            PreparedFile.objects.filter(pk=prepared_id).update(
                status=Status.FAILED,
                finished_at=timezone.now(),
                problem=_("Something went wrong while the file was being made. Ask for it again."),
            )
            raise
        if problem:
            PreparedFile.objects.filter(pk=prepared_id).update(
                status=Status.FAILED, finished_at=timezone.now(), problem=problem[:500]
            )
            return Status.FAILED
        size = out.tell()
        out.seek(0)
        prepared.file.save(f"{uuid.uuid4().hex}.{prepared.file_format}", File(out), save=False)
    now = timezone.now()
    PreparedFile.objects.filter(pk=prepared_id).update(
        status=Status.READY,
        problem="",
        file=prepared.file.name,
        size=size,
        finished_at=now,
        expires_at=now + timedelta(hours=keep_hours()),
    )
    return Status.READY


def give_up_stalled(now: datetime | None = None, *, requested_by: User | None = None) -> int:
    """Say so of files still waiting or being made long after they were asked for: their worker stopped.

    They then no longer count against the five at once, and their page tells the person to ask again. A
    worker that was only slow and finishes after all still makes the file ready.
    """
    now = now or timezone.now()
    stalled = PreparedFile.objects.filter(
        status__in=(Status.WAITING, Status.PREPARING), created_at__lte=now - STALLED_AFTER
    )
    if requested_by is not None:
        stalled = stalled.filter(requested_by=requested_by)
    given_up = 0
    for prepared in stalled.only("pk", "status", "language"):
        with translation.override(prepared.language):
            if prepared.status == Status.WAITING:
                problem = _(
                    "The file was never started: the server's task worker (withus worker) did not take it up. "
                    "Ask for it again, and tell whoever runs the server if it happens again."
                )
            else:
                problem = _("The file was not finished: the server stopped while it was being made. Ask for it again.")
        given_up += PreparedFile.objects.filter(pk=prepared.pk, status=prepared.status).update(
            status=Status.FAILED, finished_at=now, problem=problem
        )
    return given_up


def _delete_file(prepared: PreparedFile) -> None:
    if prepared.file:
        prepared.file.delete(save=False)


def purge_expired(now: datetime | None = None) -> int:
    """Delete every prepared file past its time (the daily ``withus privacy purge``); how many went."""
    now = now or timezone.now()
    give_up_stalled(now)
    gone = 0
    for prepared in PreparedFile.objects.filter(status=Status.READY, expires_at__lte=now).iterator():
        _delete_file(prepared)
        PreparedFile.objects.filter(pk=prepared.pk).update(status=Status.EXPIRED, file="", size=0)
        gone += 1
    # What failed, or expired, is kept as a line on its owner's list for a week, then goes.
    PreparedFile.objects.filter(
        status__in=(Status.FAILED, Status.EXPIRED), created_at__lte=now - timedelta(days=7)
    ).delete()
    return gone


def delete_for_organisation(organisation_id: int) -> None:
    """Every file prepared at an organisation, gone: when someone whose details they may hold is erased."""
    for prepared in PreparedFile.objects.filter(organisation_id=organisation_id).exclude(file=""):
        _delete_file(prepared)
    PreparedFile.objects.filter(organisation_id=organisation_id, status=Status.READY).update(
        status=Status.EXPIRED, file="", size=0
    )
