"""Bringing an existing register in, page by page: upload, match the columns, check, import, undo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING
from withus.core.forms import attach_errors

from . import rules, selectors, services
from .forms import MappingForm, UploadForm
from .models import Kind, RegisterImport

Status = RegisterImport.Status


@staff_required(*ADMINISTERING)
def imports_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Upload a register, and the organisation's imports so far."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > selectors.max_bytes():
            form.add_error(
                "file",
                _("The file is larger than %(mb)s MB. Split it into smaller files and import each.")
                % {"mb": selectors.max_bytes() // (1024 * 1024)},
            )
        else:
            try:
                found = services.upload(
                    actor=request.user,
                    organisation=organisation,
                    data=upload.read(),
                    file_name=upload.name or "",
                    kind=form.cleaned_data["kind"] or Kind.PEOPLE,
                )
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                return redirect("imports:columns", pk=found.pk)
    page = Paginator(selectors.imports_of(request.user, organisation), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/list.html",
        {"form": form, "page": page, "organisation": organisation, "undo_days": services.undo_days()},
        status=400 if form.errors else 200,
    )


@staff_required(*ADMINISTERING)
def import_columns(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Say which WithUs field each column is, and the lawful basis; saving runs the dry run."""
    found = selectors.import_for(request.user, organisation, pk)
    if found.status not in (Status.MAPPING, Status.CHECKED):
        return redirect("imports:detail", pk=found.pk)
    form = MappingForm(request.POST or None, register_import=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mapping(
                actor=request.user,
                register_import=found,
                mapping=form.mapping(),
                **form.service_fields(),
            )
        except ValidationError as error:
            attach_errors(form, error)  # the columns' problems ("mapping") go at the top of the form
        else:
            return redirect("imports:detail", pk=found.pk)
    return render(
        request,
        "imports/columns.html",
        {
            "form": form,
            "found": found,
            "organisation": organisation,
            "saved": selectors.mappings_of(organisation, found.kind),
        },
        status=400 if form.errors else 200,
    )


@staff_required(*ADMINISTERING)
def import_detail(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """The dry run (what would be added, updated, skipped, and why), the decisions on matches, then import."""
    found = selectors.import_for(request.user, organisation, pk)
    if found.status == Status.MAPPING:
        return redirect("imports:columns", pk=found.pk)
    error_text = ""
    if request.method == "POST" and found.status == Status.CHECKED:
        decisions = {
            key.removeprefix("decision_"): str(value)
            for key, value in request.POST.items()
            if key.startswith("decision_")
        }
        try:
            if request.POST.get("action") == "import":
                found = services.confirm(actor=request.user, register_import=found, decisions=decisions)
                counts = found.counts
                if found.status == Status.IMPORTING:
                    messages.success(request, _("The import has started. This page shows when it is done."))
                    return redirect("imports:detail", pk=found.pk)
                messages.success(
                    request,
                    _("Imported: %(added)s added, %(updated)s updated, %(skipped)s skipped.")
                    % {"added": counts["added"], "updated": counts["updated"], "skipped": counts["skipped"]},
                )
            else:
                services.decide(actor=request.user, register_import=found, decisions=decisions)
                messages.success(request, _("Decisions saved. Nothing is imported until you choose Import."))
            return redirect("imports:detail", pk=found.pk)
        except ValidationError as error:
            error_text = " ".join(error.messages)
            found.refresh_from_db()
    problems = selectors.problems(found)
    return render(
        request,
        "imports/detail.html",
        {
            "found": found,
            "organisation": organisation,
            "counts": found.counts,
            "problems": Paginator(problems, 100).get_page(request.GET.get("page")),
            "matches": selectors.matches(found) if found.status == Status.CHECKED else [],
            "error_text": error_text,
            "fields": [str(rules.fields_of(found.kind)[f].label) for f in found.mapping.values()],
            "can_undo": found.can_undo(),
        },
        status=400 if error_text else 200,
    )


@staff_required(*ADMINISTERING)
@require_POST
def import_undo(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.import_for(request.user, organisation, pk)
    try:
        services.undo(actor=request.user, register_import=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The import is undone: the people it added are removed and the details it changed are put back.")
            if found.kind == Kind.PEOPLE
            else _("The import is undone: what it brought in is removed."),
        )
    return redirect("imports:detail", pk=found.pk)


@staff_required(*ADMINISTERING)
@require_POST
def import_abandon(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.import_for(request.user, organisation, pk)
    try:
        services.abandon(actor=request.user, register_import=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Abandoned: nothing was imported and the file's rows are deleted."))
    return redirect("imports:list")
