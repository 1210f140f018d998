"""Pages of planned supervision: staff plan, move, cancel and record it as held; the member sees the
invitation and says whether they can come. Thin: the services decide, the selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import SUPPORTING
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors

from .. import selectors as support_selectors
from . import selectors, services
from .forms import CancelForm, ComingForm, HeldForm, PlanForm, StaffComingForm
from .models import PlannedSupervision

PAGE_SIZE = 25


def _form_page(request: AuthedRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "support/form.html", {"form": form, **context}, status=400 if form.errors else 200)


@staff_required(*SUPPORTING)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    page = Paginator(selectors.plans_at(request.user, organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "support/planning/staff_list.html", {"page": page, "query": ""})


def _new(
    request: AuthedRequest, organisation: Organisation, *, caption: str, back: str, back_pk: int, **who: Any
) -> HttpResponse:
    form = PlanForm(request.POST or None, initial={"minutes": 60})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.plan(actor=request.user, organisation=organisation, **who, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Supervision planned. Everyone invited has been told."))
            return redirect("support:planning_staff_plan", pk=made.pk)
    return _form_page(
        request,
        form,
        title=_("Plan a supervision"),
        intro=_("You are the supervisor. A member's support contact cannot supervise them."),
        caption=caption,
        back=back,
        back_pk=back_pk,
        submit=_("Plan and invite"),
    )


@staff_required(*SUPPORTING)
def staff_new_for_person(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = support_selectors.person_for_support(request.user, organisation, pk)
    return _new(
        request, organisation, caption=person.full_name, back="support:staff_person", back_pk=person.pk, person=person
    )


@staff_required(*SUPPORTING)
def staff_new_for_group(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    group = support_selectors.supervision_group(request.user, organisation, pk)
    return _new(request, organisation, caption=group.name, back="support:staff_group", back_pk=group.pk, group=group)


@staff_required(*SUPPORTING)
def staff_plan(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.plan_for_staff(request.user, organisation, pk)
    return render(
        request,
        "support/planning/staff_plan.html",
        {"plan": found, "is_planned": found.status == PlannedSupervision.Status.PLANNED},
    )


@staff_required(*SUPPORTING)
def staff_move(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.plan_for_staff(request.user, organisation, pk)
    form = PlanForm(request.POST or None, instance=PlannedSupervision.objects.get(pk=found.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.move(actor=request.user, plan=found, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved. Everyone invited has been told."))
            return redirect("support:planning_staff_plan", pk=found.pk)
    return _form_page(
        request,
        form,
        title=_("Move or change a supervision"),
        intro=_("Everyone invited is told, and asked again whether they can come."),
        back="support:planning_staff_plan",
        back_pk=found.pk,
        submit=_("Save and tell them"),
    )


@staff_required(*SUPPORTING)
def staff_cancel(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.plan_for_staff(request.user, organisation, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(actor=request.user, plan=found, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Cancelled. Everyone invited has been told."))
            return redirect("support:planning_staff_plan", pk=found.pk)
    return _form_page(
        request,
        form,
        title=_("Cancel a supervision"),
        intro="",
        back="support:planning_staff_plan",
        back_pk=found.pk,
        submit=_("Cancel the supervision"),
    )


@staff_required(*SUPPORTING)
def staff_held(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.plan_for_staff(request.user, organisation, pk)
    form = HeldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_held(actor=request.user, plan=found, note=form.cleaned_data["note"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Supervision recorded."))
            return redirect("support:planning_staff_plan", pk=found.pk)
    return _form_page(
        request,
        form,
        title=_("Record the supervision as held"),
        intro=_("It becomes the record of the supervision, with your note for everyone who was there."),
        back="support:planning_staff_plan",
        back_pk=found.pk,
        submit=_("Record as held"),
    )


@staff_required(*SUPPORTING)
def staff_answer(request: AuthedRequest, organisation: Organisation, pk: int, invitation_pk: int) -> HttpResponse:
    """A member's answer given by phone or letter, recorded by their supervisor or a coordinator."""
    invitation = selectors.invitation_for_staff(request.user, organisation, pk, invitation_pk)
    form = StaffComingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_for(actor=request.user, invitation=invitation, coming=form.cleaned_data["coming"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved: their answer is recorded."))
            return redirect("support:planning_staff_plan", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Record %(name)s's answer") % {"name": invitation.person.full_name},
        intro=_("For an answer given by phone, by letter or in person."),
        back="support:planning_staff_plan",
        back_pk=pk,
        submit=_("Save their answer"),
    )


@login_required
def mine(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    invitation = selectors.invitation_for_member(person, pk)
    form = ComingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(actor=request.user, invitation=invitation, coming=form.cleaned_data["coming"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you: we have your answer."))
            return redirect("support:planning_mine", pk=invitation.pk)
    return render(
        request,
        "support/planning/mine.html",
        {
            "invitation": invitation,
            "plan": invitation.plan,
            "form": form,
            "may_answer": invitation.plan.status == PlannedSupervision.Status.PLANNED,
        },
        status=400 if form.errors else 200,
    )
