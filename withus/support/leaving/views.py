"""Pages of leaving well: staff see who to thank, offer a step-down role and a thank-you, print the
letter and record an answer given by post or phone; the member reads the offer, answers it and
downloads their certificate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ASSIGNING_SUPPORT, SUPPORTING
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors

from .. import selectors as support_selectors
from . import documents, selectors, services
from .forms import AnswerForm, OfferForm, initial_from
from .models import LeavingOffer

PAGE_SIZE = 25


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@staff_required(*SUPPORTING)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    offers = selectors.offers_at(request.user, organisation)
    return render(
        request,
        "support/leaving/staff_list.html",
        {
            "to_thank": selectors.to_thank(request.user, organisation, today=timezone.localdate()),
            "page": Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_offer": has_role(request.user, organisation, *ASSIGNING_SUPPORT),
        },
    )


@staff_required(*ASSIGNING_SUPPORT)
def staff_new(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = support_selectors.person_for_support(request.user, organisation, pk)
    form = OfferForm(request.POST or None, organisation=organisation, person=person)
    if request.method == "GET" and (seat := request.GET.get("appointment", "")).isdigit():
        appointment = form.fields["appointment"].queryset.filter(pk=int(seat)).first()  # type: ignore[attr-defined]
        form = OfferForm(initial=initial_from(appointment), organisation=organisation, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.offer(actor=request.user, organisation=organisation, person=person, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The offer is made. %(name)s has been told.") % {"name": person.display_name})
            return redirect("support:leaving_staff_offer", pk=made.pk)
    return render(request, "support/leaving/staff_new.html", {"form": form, "person": person})


@staff_required(*SUPPORTING)
def staff_offer(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    offer = selectors.offer_for_staff(request.user, organisation, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(actor=request.user, offer=offer, accept=form.cleaned_data["accept"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Their answer is recorded."))
            return redirect("support:leaving_staff_offer", pk=offer.pk)
    return render(
        request,
        "support/leaving/staff_offer.html",
        {"offer": offer, "form": form, "can_record": has_role(request.user, organisation, *ASSIGNING_SUPPORT)},
        status=400 if form.errors else 200,
    )


@staff_required(*SUPPORTING)
def staff_letter(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    offer = selectors.offer_for_staff(request.user, organisation, pk)
    return _pdf(documents.letter_pdf(offer), f"thank-you-letter-{offer.pk}.pdf")


@staff_required(*SUPPORTING)
def staff_certificate(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    offer = selectors.offer_for_staff(request.user, organisation, pk)
    return _pdf(documents.certificate_pdf(offer), f"thank-you-{offer.pk}.pdf")


@login_required
def mine(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    offer = selectors.offer_for_member(person, pk)
    return render(request, "support/leaving/mine.html", {"offer": offer, "form": AnswerForm()})


@login_required
@require_POST
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    offer = selectors.offer_for_member(person, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(actor=request.user, offer=offer, accept=form.cleaned_data["accept"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            accepted = offer.answer == LeavingOffer.Answer.ACCEPTED and offer.offers_a_role
            messages.success(
                request,
                _("Thank you. Your new role has started.") if accepted else _("Thank you: we have your answer."),
            )
            return redirect("support:leaving_mine", pk=offer.pk)
    offer.refresh_from_db()
    return render(request, "support/leaving/mine.html", {"offer": offer, "form": form}, status=400)


@login_required
def my_certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    """The member's certificate, in the language they are reading WithUs in."""
    person = people_selectors.own_person_or_404(request.user)
    offer = selectors.offer_for_member(person, pk)
    language = translation.get_language() or documents.language_of(offer)
    return _pdf(documents.certificate_pdf(offer, language=language), f"thank-you-{offer.pk}.pdf")
