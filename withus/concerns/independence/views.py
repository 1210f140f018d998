"""The independence risk register's pages: the register with what the records show, and a risk's review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors

from . import rules, selectors, services
from .forms import RiskForm


@staff_required(*SEEING_WORK)
def register(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    may_change = has_role(request.user, organisation, *COORDINATING)
    action = request.POST.get("action", "")
    form = RiskForm(request.POST if action == "add" else None, organisation=organisation) if may_change else None
    if request.method == "POST" and may_change:
        if action == "findings":
            added, gone = services.record_findings(actor=request.user, organisation=organisation)
            messages.success(
                request,
                _("%(added)s risks added from the records; %(gone)s no longer found.")
                % {"added": len(added), "gone": gone},
            )
            return redirect("concerns:independence_register")
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                services.add_risk(actor=request.user, organisation=organisation, **data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Risk added to the register."))
                return redirect("concerns:independence_register")
    today = timezone.localdate()
    risks = [
        (
            risk,
            rules.rating(likelihood=risk.likelihood, impact=risk.impact),
            rules.is_overdue(review_on=risk.review_on, today=today),
        )
        for risk in selectors.register(request.user, organisation)
    ]
    known = set(
        selectors.register(request.user, organisation).exclude(source_key="").values_list("source_key", flat=True)
    )
    new_findings = [f for f in selectors.findings(organisation) if f.key not in known]
    return render(
        request,
        "concerns/independence/register.html",
        {"risks": risks, "findings": new_findings, "form": form, "may_change": may_change},
    )


@staff_required(*COORDINATING)
def review(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    risk = get_object_or_404(selectors.register(request.user, organisation), pk=pk)
    form = RiskForm(request.POST or None, instance=risk, organisation=organisation, reviewing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The form must not save the instance itself: the service does, after its own checks.
        risk.refresh_from_db()
        try:
            services.review_risk(actor=request.user, risk=risk, **data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("concerns:independence_register")
    return render(request, "concerns/independence/review.html", {"risk": risk, "form": form})
