"""Finance pages: the budget holder's approvals, budgets, members' view of budgets, payment batches.

Thin on purpose: every change is a ``services`` call, which holds the rules
(nobody approves their own claim, a batch is exported once and paid once). The
organisation always comes from the user's own roles, and every id from the URL is
looked up inside it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import HOLDING_BUDGETS, MANAGING_BUDGETS, PAYING, SEEING_PAYMENTS, STAFF
from withus.accounts.selectors import has_role
from withus.core import spreadsheets
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors
from withus.rewards.errors import message as _message
from withus.rewards.models import Budget, IncomeLine, PaymentBatch

from . import documents, selectors, services
from .forms import BatchForm, BudgetForm, ReturnForm

# ---- Approvals ------------------------------------------------------------------------------


APPROVALS_PAGE = 25  # claims a budget holder decides on one page
BATCHES_PAGE = 25


def _render_approvals(
    request: AuthedRequest, organisation: Organisation, failed: tuple[int, ReturnForm] | None = None
) -> HttpResponse:
    page = Paginator(selectors.waiting_for_approval(organisation, holder=request.user), APPROVALS_PAGE).get_page(
        request.GET.get("page")
    )
    lines = list(page.object_list)
    checks = selectors.before_approval(lines, organisation)
    services.record_benefits_shown(reader=request.user, organisation=organisation, lines=lines, checks=checks)
    waiting = {line.pk for line in lines}
    rows = []
    for line in lines:
        form = failed[1] if failed and failed[0] == line.pk else ReturnForm(prefix=f"return-{line.pk}")
        own = line.person.user_id == request.user.pk
        duplicate_of = checks[line.pk].duplicate_of
        rows.append(
            {
                "line": line,
                "form": form,
                "own": own,
                "guard": checks[line.pk].guard_warnings,
                # Those also waiting here link to their place on the page; the others are named by number.
                "duplicates": [(pk, pk in waiting) for pk in duplicate_of],
            }
        )
    return render(
        request,
        "rewards/finance/approvals.html",
        {"rows": rows, "form": failed[1] if failed else None, "page": page, "query": ""},
        status=422 if failed else 200,
    )


@staff_required(*HOLDING_BUDGETS)
def approvals(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return _render_approvals(request, organisation)


def _held_line(request: AuthedRequest, organisation: Organisation, pk: int) -> IncomeLine:
    return get_object_or_404(IncomeLine, pk=pk, organisation=organisation, budget__holder=request.user)


@staff_required(*HOLDING_BUDGETS)
@require_POST
def approve(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    line = _held_line(request, organisation, pk)
    try:
        services.approve(actor=request.user, line=line)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("Approved: %(what)s for %(name)s.") % {"what": line.shown_description, "name": line.person.full_name},
        )
    return redirect("rewards_finance:approvals")


@staff_required(*HOLDING_BUDGETS)
@require_POST
def return_claim(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    line = _held_line(request, organisation, pk)
    form = ReturnForm(request.POST, prefix=f"return-{line.pk}")
    if form.is_valid():
        try:
            services.return_line(actor=request.user, line=line, reason=form.cleaned_data["reason"])
        except PermissionDenied as error:
            messages.error(request, _message(error))
            return redirect("rewards_finance:approvals")
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Returned to %(name)s with your reason.") % {"name": line.person.full_name})
            return redirect("rewards_finance:approvals")
    return _render_approvals(request, organisation, failed=(line.pk, form))


# ---- Budgets --------------------------------------------------------------------------------


@staff_required(*MANAGING_BUDGETS)
def route_claims(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Coordinators choose the budget each accepted fee or expense claim draws on; it then goes for approval."""
    open_budgets = list(Budget.objects.filter(organisation=organisation, closed=False).order_by("name"))
    if request.method == "POST":
        line = get_object_or_404(IncomeLine, pk=request.POST.get("line"), organisation=organisation)
        budget = next((b for b in open_budgets if str(b.pk) == request.POST.get("budget")), None)
        if budget is None:
            messages.error(request, _("Choose a budget."))
        else:
            try:
                services.submit_claim(actor=request.user, line=line, budget=budget)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _message(error))
            else:
                messages.success(request, _("Sent to %(holder)s for approval.") % {"holder": budget.holder})
        return redirect("rewards_finance:route")
    return render(
        request,
        "rewards/finance/route.html",
        {
            "lines": selectors.unrouted_claims(organisation),
            "budgets": open_budgets,
        },
    )


@staff_required(*STAFF)
def budgets(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    may_manage = has_role(request.user, organisation, *MANAGING_BUDGETS)
    form = BudgetForm(request.POST or None, organisation=organisation) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                budget = services.create_budget(actor=request.user, organisation=organisation, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Budget “%(name)s” set up.") % {"name": budget.name})
                return redirect("rewards_finance:budgets")
    rows = selectors.budgets_with_figures(
        Budget.objects.filter(organisation=organisation).select_related("holder", "group", "funded_by")
    )
    return render(
        request,
        "rewards/finance/budgets.html",
        {"rows": rows, "form": form, "may_manage": may_manage},
        status=422 if form is not None and form.errors else 200,
    )


@staff_required(*STAFF)
def budgets_download(request: AuthedRequest, organisation: Organisation, file_format: str) -> HttpResponseBase:
    """The budgets page's table as CSV or XLSX, for whoever sees the page."""
    filename, file = documents.budgets_file(organisation, spreadsheets.FILE_FORMATS[file_format])
    return FileResponse(
        file, as_attachment=True, filename=filename, content_type=spreadsheets.CONTENT_TYPES[file_format]
    )


@staff_required(*SEEING_PAYMENTS)
def funded(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Budgets the organisation funds and an independent host pays from: their totals, and nothing else."""
    return render(
        request, "rewards/finance/funded.html", {"rows": selectors.funded_budgets(request.user, organisation)}
    )


@staff_required(*MANAGING_BUDGETS)
@require_POST
def close_budget(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    budget = get_object_or_404(Budget, pk=pk, organisation=organisation)
    try:
        services.close_budget(actor=request.user, budget=budget)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("Budget “%(name)s” closed: no new claims can draw on it.") % {"name": budget.name})
    return redirect("rewards_finance:budgets")


@login_required
def me_budgets(request: AuthedRequest) -> HttpResponse:
    """Budgets of the groups the member sits on: totals only, never anyone's claims (001: budgets are transparent)."""
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    rows = selectors.budgets_with_figures(selectors.budgets_seen_by_member(person))
    return render(request, "rewards/finance/me_budgets.html", {"rows": rows})


# ---- Payment batches ------------------------------------------------------------------------


def _batch(organisation: Organisation, pk: int) -> PaymentBatch:
    batch = selectors.batch_of(organisation, pk)
    if batch is None:
        raise Http404
    return batch


@staff_required(*PAYING)
def batches(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_batch(
                actor=request.user, organisation=organisation, method=form.cleaned_data["method"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Batch %(id)s made: %(total)s.") % {"id": batch.pk, "total": f"£{selectors.batch_total(batch)}"},
            )
            return redirect("rewards_finance:batches")
    ready = selectors.ready_counts(organisation)
    page = Paginator(selectors.recent_batches(organisation), BATCHES_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rewards/finance/batches.html",
        {"form": form, "rows": page.object_list, "page": page, "query": "", "ready": ready},
        status=422 if form.errors else 200,
    )


@staff_required(*PAYING)
@require_POST
def export(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponseBase:
    batch = _batch(organisation, pk)
    copy = request.POST.get("copy") == "1"
    file_format = spreadsheets.FILE_FORMATS.get(request.POST.get("format", ""), "csv")
    try:
        filename, file = services.export_batch(actor=request.user, batch=batch, copy=copy, file_format=file_format)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _message(error))
        return redirect("rewards_finance:batches")
    response = FileResponse(
        file, as_attachment=True, filename=filename, content_type=spreadsheets.CONTENT_TYPES[file_format]
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_required(*PAYING)
def mark_paid(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """A confirm page, then the one button that records the batch paid."""
    batch = _batch(organisation, pk)
    if request.method == "POST":
        try:
            services.mark_paid(actor=request.user, batch=batch)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("Batch %(id)s recorded as paid.") % {"id": batch.pk})
        return redirect("rewards_finance:batches")
    figures = selectors.figures(batch)
    return render(
        request,
        "rewards/finance/batch_paid.html",
        {"batch": batch, "total": figures.total, "lines": figures.lines},
    )
