"""Pages of the benefits guard: the member's own page and their answer to an offer, the admin's reference table.

The guard warns and explains; it never decides for the person and never gives benefits
advice. Every figure on these pages comes from ``selectors.guard`` and ``rules``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors
from withus.rewards.descriptions import hours_taking_part
from withus.rewards.fees import services as fee_services
from withus.rewards.models import BenefitDeclaration, BenefitLimit, GuardChoice, IncomeLine
from withus.rewards.statements import selectors as statement_selectors

from . import documents, selectors, services
from .forms import BenefitLimitForm, ChoiceForm, DeclareBenefitForm

# ---- The member's page ------------------------------------------------------------------------


@dataclass
class OfferView:
    line: IncomeLine
    warnings: selectors.Guarded = field(default_factory=list)
    form: ChoiceForm | None = None


def _choice_form(line: IncomeLine, data: Any = None) -> ChoiceForm:
    return ChoiceForm(
        data,
        prefix=f"offer-{line.pk}",
        taking_part=hours_taking_part(line),
        least_fee=fee_services.least_lower_fee(line),
    )


def _offer_views(lines: list[IncomeLine], form: ChoiceForm | None = None) -> list[OfferView]:
    """Each offer with the guard's warnings about it (read for all the offers at once)."""
    guarded = selectors.guard_offers(lines)
    return [
        OfferView(
            line=line,
            warnings=[(d, v) for d, v in guarded[line.pk] if v.warns],
            form=form or _choice_form(line),
        )
        for line in lines
    ]


@login_required
def me_benefits(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    form = DeclareBenefitForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_benefit(actor=request.user, person=person, **form.service_arguments())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you. We will check offers against this benefit's limits for you."))
            return redirect("rewards:me_benefits")
    today = timezone.localdate()
    waiting = selectors.offers_for(person).filter(status=IncomeLine.Status.OFFERED).order_by("activity_date", "pk")
    offers = _offer_views(list(waiting))
    return render(
        request,
        "rewards/me_benefits.html",
        {
            "person": person,
            "form": form,
            "declarations": selectors.this_period_and_next(person, on=today),
            "offers": offers,
            "trading": statement_selectors.trading_allowance(person, today),
            "advice_from": people_selectors.organisations_shared_with(person).order_by("name"),
            "today": today,
        },
    )


@login_required
@require_POST
def me_stop(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    declaration = get_object_or_404(BenefitDeclaration, pk=pk, person=person, ended_at__isnull=True)
    services.end_declaration(actor=request.user, declaration=declaration)
    messages.success(
        request,
        _("We have stopped using what you told us about %(benefit)s.") % {"benefit": declaration.get_benefit_display()},
    )
    return redirect("rewards:me_benefits")


@login_required
def me_offer(request: AuthedRequest, pk: int) -> HttpResponse:
    """One offer: the guard's warning and the member's answer. The member can always accept."""
    person = people_selectors.own_person_or_404(request.user)
    line = get_object_or_404(IncomeLine.objects.select_related("organisation"), pk=pk, person=person)
    if line.status != IncomeLine.Status.OFFERED:
        messages.info(request, _("You have already answered this offer."))
        return redirect("rewards:me_benefits")
    form = _choice_form(line, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record = services.choose(
                actor=request.user,
                line=line,
                choice=d["choice"],
                hours=d.get("hours"),
                amount=d.get("amount"),
                method=d.get("method") or None,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _answered(record))
            return redirect("rewards:me_benefits")
    return render(request, "rewards/me_offer.html", {"offer": _offer_views([line], form)[0], "person": person})


def _answered(record: GuardChoice) -> str:
    line = record.income_line
    amount = f"£{line.amount:,.2f}"
    if record.choice == GuardChoice.Choice.DECLINE:
        return _("You have declined the offer.")
    if record.choice == GuardChoice.Choice.EXPENSES_ONLY:
        return _("You have chosen expenses only: no fee will be paid for this.")
    if record.choice == GuardChoice.Choice.DONATE:
        return _("You have chosen to give the fee of %(amount)s to a charity.") % {"amount": amount}
    return _("You have accepted %(amount)s for %(description)s.") % {
        "amount": amount,
        "description": line.shown_description,
    }


@login_required
def me_letter(request: AuthedRequest) -> HttpResponse:
    """The letter for the member's benefits office, as a tagged PDF in their language."""
    person = people_selectors.own_person_or_404(request.user)
    response = HttpResponse(documents.benefits_letter_pdf(person), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="involvement-and-payments.pdf"'
    return response


# ---- Admins -----------------------------------------------------------------------------------


@staff_required(*ADMINISTERING)
def staff_limits(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = BenefitLimitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in BenefitLimitForm.Meta.fields}
        try:
            row = services.add_limit(actor=request.user, fields=fields)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Added: %(row)s.") % {"row": row.get_rule_display()})
            return redirect("rewards:staff_limits")
    today = timezone.localdate()
    labels = dict(BenefitLimit.Rule.choices)
    return render(
        request,
        "rewards/staff_limits.html",
        {
            "form": form,
            "rows": BenefitLimit.objects.all(),
            "uncovered": [labels[rule] for rule in selectors.uncovered_rules(today)],
            "today": today,
        },
    )
