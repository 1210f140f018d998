"""Pages for rate cards, offering a fee (by hand, or the fee an attendance earns), expense claims and their receipts.

Thin views: every rule is in ``services`` and ``rules``; a service's ValidationError comes
back next to the field it is about, with the error summary, and nothing typed is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING, COORDINATING, SEEING_PAYMENTS
from withus.core import uploads
from withus.core.forms import attach_errors
from withus.meetings.models import Attendance
from withus.people import selectors as people_selectors
from withus.people import services as people_services
from withus.people.models import SensitiveRead
from withus.rewards.guard import selectors as guard_selectors
from withus.rewards.models import IncomeLine

from . import selectors, services
from .forms import ExpenseClaimForm, OfferFeeForm, OfferForm, RateCardForm


@staff_required(*ADMINISTERING)
def staff_rate_cards(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = RateCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.RATE_CARD_FIELDS}
        try:
            card = services.set_rate_card(actor=request.user, organisation=organisation, fields=fields)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Rate card added: %(card)s.") % {"card": card.get_activity_type_display()})
            return redirect("rewards_claims:staff_rate_cards")
    return render(
        request,
        "rewards/claims/staff_rate_cards.html",
        {
            "form": form,
            "cards": selectors.rate_cards(organisation),
        },
    )


@staff_required(*COORDINATING)
def staff_offer(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = people_selectors.person_for_staff(request.user, organisation, pk)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            line = services.offer_fee(
                actor=request.user,
                organisation=organisation,
                person=person,
                description=d["description"],
                amount=d["amount"],
                hours=d["hours"],
                activity_date=d["activity_date"],
                kind=d["kind"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("The offer is made. %(name)s will see it on WithUs.") % {"name": person.display_name}
            )
            return redirect("rewards:staff_offer_made", pk=person.pk, line_pk=line.pk)
    # Before offering: what the guard counts so far this period, for the benefits shared with us.
    guarded = guard_selectors.guard(person, viewer_organisation=organisation)
    if guarded:
        people_services.record_reads(
            reader=request.user, organisation=organisation, people=[person], what=[SensitiveRead.What.BENEFITS]
        )
    periods = [
        (declaration, verdict, max(verdict.limit.amount - verdict.counted_with_offer, 0) if verdict.limit else None)
        for declaration, verdict in guarded
    ]
    return render(
        request,
        "rewards/staff_offer.html",
        {"form": form, "person": person, "organisation": organisation, "periods": periods},
    )


@staff_required(*COORDINATING)
def staff_offer_made(request: AuthedRequest, organisation: Organisation, pk: int, line_pk: int) -> HttpResponse:
    """The offer and the guard's view, only for the declarations the person shares with this organisation."""
    person = people_selectors.person_for_staff(request.user, organisation, pk)
    line = get_object_or_404(IncomeLine, pk=line_pk, person=person, organisation=organisation)
    guarded = guard_selectors.guard(person, offer=line, viewer_organisation=organisation)
    if guarded:
        people_services.record_reads(
            reader=request.user, organisation=organisation, people=[person], what=[SensitiveRead.What.BENEFITS]
        )
    return render(
        request,
        "rewards/staff_offer_made.html",
        {"person": person, "line": line, "guarded": guarded, "organisation": organisation},
    )


@require_POST
@staff_required(*COORDINATING)
def staff_offer_fee(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.select_related("person", "session"), pk=pk, session__organisation=organisation
    )
    back = redirect("meetings:staff_attendance", pk=attendance.session_id)
    form = OfferFeeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return back
    try:
        line, _breakdown = services.offer_fee_for_attendance(
            actor=request.user, attendance=attendance, travel_minutes=form.cleaned_data["travel_minutes"] or 0
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Fee of £%(amount)s offered to %(name)s (%(detail)s). They will see it, and check it, before accepting.")
            % {"amount": line.amount, "name": attendance.person.full_name, "detail": line.shown_description},
        )
    return back


@staff_required(*SEEING_PAYMENTS)
def staff_receipt(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponseBase:
    """An expense's receipt, for those who may see it (``selectors.receipt_for``), only ever as a download.

    Sent as the type its content is, under a name of ours, never displayed in the page
    (``core.uploads.attachment``).
    """
    line = selectors.receipt_for(request.user, organisation, pk)
    if line is None:
        raise Http404
    try:
        file = line.receipt.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return uploads.attachment(file, services.receipt_kind(file), f"receipt-{line.pk}")


@login_required
def me_claim_expense(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    form = ExpenseClaimForm(
        request.POST or None, request.FILES or None, organisations=people_selectors.organisations_shared_with(person)
    )
    looks_like: list[IncomeLine] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line = services.claim_expense(
                actor=request.user,
                person=person,
                organisation=data["organisation"],
                category=data["category"],
                activity_date=data["activity_date"],
                amount=data["amount"],
                miles=data["miles"],
                passengers=data["passengers"] or 0,
                receipt=data["receipt"] or None,
                agreed_beforehand=data["agreed_beforehand"],
                confirm_duplicate=data["confirm_duplicate"],
            )
        except services.PossibleDuplicate as warning:
            # A question, not an error: everything typed stays, and the box sends it as it is.
            looks_like = selectors.own_expense_claims(person, warning.duplicate_of)
            form.ask_to_confirm_duplicate()
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your claim has been sent. We will tell you when it is approved."))
            return redirect("rewards_claims:me_expense", pk=line.pk)
    return render(request, "rewards/claims/me_claim_expense.html", {"form": form, "looks_like": looks_like})


@login_required
def me_expense(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    line = get_object_or_404(IncomeLine, pk=pk, person=person, kind=IncomeLine.Kind.EXPENSE)
    return render(request, "rewards/claims/me_expense.html", {"line": line})
