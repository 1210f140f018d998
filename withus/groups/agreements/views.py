"""Group agreements and the code of conduct: coordinators keep them, members read and agree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors
from withus.people.models import Person

from ..models import Group
from . import selectors, services
from .forms import HowForm, RecordAgreedForm, TextForm


@staff_required(*COORDINATING)
def staff_agreement(request: AuthedRequest, organisation: Organisation, group_id: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=group_id, organisation=organisation)
    page = selectors.agreement_page(group)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    initial = {"text": page.agreement.text, "text_cy": page.agreement.text_cy} if page.agreement else None
    text_form = TextForm(request.POST if action == "adopt" else None, initial=initial)
    people = [(p.pk, p.full_name) for p in page.waiting]
    record_form = RecordAgreedForm(request.POST if action == "record" else None, people=people)
    if action == "adopt" and text_form.is_valid():
        try:
            services.adopt_agreement(actor=request.user, group=group, **text_form.cleaned_data)
        except ValidationError as error:
            attach_errors(text_form, error)
        else:
            messages.success(request, _("Saved. The members are asked to agree to this version."))
            return redirect("groups:agreement", group_id=group.pk)
    if action == "record" and record_form.is_valid() and page.agreement is not None:
        person = Person.objects.get(pk=record_form.cleaned_data["person"])
        try:
            services.agree(
                actor=request.user, agreement=page.agreement, person=person, how=record_form.cleaned_data["how"]
            )
        except ValidationError as error:
            attach_errors(record_form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("groups:agreement", group_id=group.pk)
    invalid = text_form.errors or record_form.errors
    return render(
        request,
        "groups/agreements/staff_agreement.html",
        {
            "page": page,
            "text_form": text_form,
            "record_form": record_form,
            "form": text_form if text_form.errors else record_form,
        },
        status=400 if invalid else 200,
    )


@staff_required(*COORDINATING)
def staff_code(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    code = selectors.current_code(organisation)
    initial = {"text": code.text, "text_cy": code.text_cy} if code else None
    form = TextForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_code(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Published. Members accept it before they take up a seat."))
            return redirect("groups:code_of_conduct")
    return render(
        request,
        "groups/agreements/staff_code.html",
        {"code": code, "form": form, "accepted": selectors.code_acceptances(code) if code else []},
        status=400 if form.errors else 200,
    )


@staff_required(*COORDINATING)
def staff_person_code(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Record that a member accepted the code of conduct on paper, by phone or in person."""
    person = selectors.member_person(request.user, organisation, pk)
    code = selectors.current_code(organisation)
    if code is None:
        messages.info(request, _("There is no code of conduct yet: write it here first."))
        return redirect("groups:code_of_conduct")
    form = HowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_code(actor=request.user, code=code, person=person, how=form.cleaned_data["how"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("people:staff_person", pk=person.pk)
    accepted = code.accepted.filter(person=person).first()
    return render(
        request,
        "groups/agreements/staff_person_code.html",
        {"person": person, "code": code, "form": form, "accepted": accepted},
        status=400 if form.errors else 200,
    )


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    if request.method == "POST":
        kind, pk = request.POST.get("kind"), request.POST.get("pk", "")
        try:
            number = int(pk)
        except ValueError:
            raise Http404 from None
        try:
            if kind == "group":
                services.agree(
                    actor=request.user, agreement=selectors.agreement_for_member(person, number), person=person
                )
            elif kind == "code":
                services.accept_code(actor=request.user, code=selectors.code_for_member(person, number), person=person)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: you have agreed."))
        return redirect("groups:my_agreements")
    return render(request, "groups/agreements/mine.html", {"items": selectors.for_member(person)})
