"""Files prepared in the background: ask for one, watch how far it has got, download it. Thin: the
services ask and prepare, the selectors find a person's own files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING, PAYING, SEEING_PEOPLE, SEEING_WORK, STAFF
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.people.outbox import selectors as outbox_selectors
from withus.rewards.models import PaymentBatch

from . import kinds, selectors, services
from .forms import PeopleFileForm
from .models import PreparedFile

PAGE_SIZE = 25


@staff_required(*STAFF)
def files_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    page = Paginator(selectors.files_of(request.user, organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    may_ask = [kind for kind, about in kinds.KINDS.items() if has_role(request.user, organisation, *about.roles)]
    return render(
        request,
        "downloads/list.html",
        {"page": page, "query": "", "keep_hours": services.keep_hours(), "may_ask": may_ask},
    )


@staff_required(*SEEING_PEOPLE)
def ask_people(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """The people list, with the filters it had, as a file made in the background (for a long list)."""
    filters = request.GET.copy()
    filters.pop("page", None)
    form = PeopleFileForm(request.POST if request.method == "POST" else None, initial={"filters": filters.urlencode()})
    if form.is_valid():
        try:
            prepared = services.ask_for_people(
                actor=request.user,
                organisation=organisation,
                filters=form.cleaned_data["filters"],
                file_format=form.cleaned_data["file_format"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("downloads:detail", pk=prepared.pk)
    filter_form = kinds.people_filter_form(form["filters"].value() or "")
    return render(
        request,
        "downloads/ask_people.html",
        {"form": form, "filtered": filter_form.is_valid() and any(filter_form.cleaned_data.values())},
        status=400 if form.errors else 200,
    )


@staff_required(*SEEING_WORK)
def ask_attendance(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Attendance between two days as a file made in the background (for a long span), with the days it had."""
    form = kinds.attendance_form(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        form.initial = {k: v for k, v in request.GET.items() if k in ("file_format",)}
    if form.is_bound and form.is_valid():
        try:
            prepared = services.ask_for_attendance(
                actor=request.user,
                organisation=organisation,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                file_format=form.cleaned_data["file_format"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("downloads:detail", pk=prepared.pk)
    return render(request, "downloads/ask_attendance.html", {"form": form}, status=400 if form.errors else 200)


@staff_required(*COORDINATING)
@require_POST
def ask_letters(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """The outbox's next batch of letters as one PDF made in the background."""
    upto = request.POST.get("upto", "")
    try:
        prepared = services.ask_for_letters(
            actor=request.user, organisation=organisation, upto=int(upto) if upto.isdigit() else None
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:outbox")
    return redirect("downloads:detail", pk=prepared.pk)


@staff_required(*PAYING)
@require_POST
def ask_payments(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """A payment batch's file (the first, or a copy) made in the background, from the batches page."""
    batch = request.POST.get("batch", "")
    try:
        prepared = services.ask_for_payment_file(
            actor=request.user,
            organisation=organisation,
            batch_id=int(batch) if batch.isdigit() else 0,
            copy=request.POST.get("copy") == "1",
            file_format=request.POST.get("file_format", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rewards_finance:batches")
    return redirect("downloads:detail", pk=prepared.pk)


@staff_required(*STAFF)
def file_detail(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    prepared = selectors.file_for(request.user, organisation, pk)
    posted: list[int] = []
    if prepared.kind == PreparedFile.Kind.LETTERS and prepared.status == PreparedFile.Status.READY:
        # The letters in the file still waiting, for "I have posted these" once they are printed.
        ids = prepared.params.get("messages", [])
        posted = list(outbox_selectors.waiting(organisation, "letters").filter(pk__in=ids).values_list("pk", flat=True))
    to_pay = None
    if prepared.kind == PreparedFile.Kind.PAYMENTS and prepared.status == PreparedFile.Status.READY:
        # Once the bank or payroll has the file: the batches page's own "mark paid".
        to_pay = PaymentBatch.objects.filter(
            organisation=organisation, pk=prepared.params.get("batch"), status=PaymentBatch.Status.EXPORTED
        ).first()
    return render(request, "downloads/detail.html", {"prepared": prepared, "letters_waiting": posted, "to_pay": to_pay})


@staff_required(*STAFF)
def file_download(request: AuthedRequest, organisation: Organisation, pk: int) -> FileResponse:
    prepared = selectors.file_for(request.user, organisation, pk)
    if prepared.status != PreparedFile.Status.READY or not prepared.file:
        raise Http404
    response = FileResponse(
        prepared.file.open("rb"),
        as_attachment=True,
        filename=prepared.file_name,
        content_type=kinds.CONTENT_TYPES[prepared.file_format],
    )
    response["Cache-Control"] = "no-store"
    return response
