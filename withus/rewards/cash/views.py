"""Cash float pages: the floats with their balances, issuing one, repaying in cash, closing with the count.

Thin on purpose: every change is a ``services`` call, which holds the rules. The
organisation always comes from the user's own roles, and every id from the URL is
looked up inside it, so another organisation's float is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import HOLDING_FLOATS, SEEING_PAYMENTS
from withus.core.forms import attach_errors
from withus.rewards.errors import message as _message
from withus.rewards.models import CashFloat

from . import selectors, services
from .forms import CloseFloatForm, IssueFloatForm, RepayForm


@staff_required(*SEEING_PAYMENTS)
def floats(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    may_issue = selectors.may_issue(request.user, organisation)
    form = None
    if may_issue:
        form = IssueFloatForm(
            request.POST or None,
            organisation=organisation,
            budgets=selectors.issuable_budgets(request.user, organisation),
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                cash_float = services.issue_float(actor=request.user, organisation=organisation, **form.cleaned_data)
            except PermissionDenied as error:
                form.add_error(None, _message(error))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Cash float of £%(amount)s issued to %(holder)s.")
                    % {"amount": cash_float.issued, "holder": cash_float.held_by},
                )
                return redirect("rewards_cash:float", pk=cash_float.pk)
    rows = selectors.floats_with_figures(organisation)
    return render(
        request,
        "rewards/cash/floats.html",
        {"rows": rows, "form": form, "max_repayment": services.MAX_REPAYMENT},
        status=422 if form is not None and form.errors else 200,
    )


def _float(organisation: Organisation, pk: int) -> CashFloat:
    return get_object_or_404(
        CashFloat.objects.select_related("budget", "held_by", "organisation"), pk=pk, organisation=organisation
    )


def _render_float(
    request: AuthedRequest,
    organisation: Organisation,
    cash_float: CashFloat,
    repay_form: RepayForm | None = None,
    close_form: CloseFloatForm | None = None,
) -> HttpResponse:
    may_repay = selectors.may_repay(request.user, cash_float)
    may_close = cash_float.closed_at is None and selectors.may_close(request.user, cash_float)
    failed = repay_form is not None or close_form is not None
    if may_repay and repay_form is None:
        repay_form = RepayForm(organisation=organisation, initial={"activity_date": timezone.localdate()})
    if may_close and close_form is None:
        close_form = CloseFloatForm()
    # The error summary lists the form that failed.
    form = repay_form if repay_form is not None and repay_form.errors else close_form
    repayments = list(cash_float.repayments.select_related("person", "decided_by").order_by("-paid_at", "-pk"))
    repaid = selectors.repaid(cash_float)
    return render(
        request,
        "rewards/cash/float.html",
        {
            "float": cash_float,
            "repayments": repayments,
            "repaid": repaid,
            "balance": cash_float.issued - repaid,
            "repay_form": repay_form if may_repay else None,
            "close_form": close_form if may_close else None,
            "form": form if failed else None,
            "max_repayment": services.MAX_REPAYMENT,
            # Who may close the float may see its receipts (fees.selectors.may_see_receipt): asked once for them all.
            "may_see_receipts": selectors.may_close(request.user, cash_float),
        },
        status=422 if failed else 200,
    )


@staff_required(*SEEING_PAYMENTS)
def float_detail(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    return _render_float(request, organisation, _float(organisation, pk))


@staff_required(*HOLDING_FLOATS)
@require_POST
def repay(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    cash_float = _float(organisation, pk)
    form = RepayForm(request.POST, request.FILES, organisation=organisation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            line = services.repay_in_cash(
                actor=request.user,
                cash_float=cash_float,
                person=data["person"],
                category=data["category"],
                amount=data["amount"],
                activity_date=data["activity_date"],
                receipt=data.get("receipt") or None,
            )
        except PermissionDenied as error:
            messages.error(request, _message(error))
            return redirect("rewards_cash:float", pk=cash_float.pk)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("£%(amount)s repaid in cash to %(name)s.") % {"amount": line.amount, "name": line.person.full_name},
            )
            return redirect("rewards_cash:float", pk=cash_float.pk)
    return _render_float(request, organisation, cash_float, repay_form=form)


@staff_required(*SEEING_PAYMENTS)
@require_POST
def close(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    cash_float = _float(organisation, pk)
    form = CloseFloatForm(request.POST)
    if form.is_valid():
        try:
            closed = services.close_float(
                actor=request.user, cash_float=cash_float, counted_cash=form.cleaned_data["counted_cash"]
            )
        except PermissionDenied as error:
            messages.error(request, _message(error))
            return redirect("rewards_cash:float", pk=cash_float.pk)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if closed.difference:
                messages.warning(
                    request,
                    _("Float closed. The cash counted differs from the balance by £%(difference)s: this is recorded.")
                    % {"difference": closed.difference},
                )
            else:
                messages.success(request, _("Float closed. The cash counted matches the balance."))
            return redirect("rewards_cash:float", pk=cash_float.pk)
    return _render_float(request, organisation, cash_float, close_form=form)
