"""Pages of "you said, we did": staff record and answer, members add theirs and follow each on its timeline,
and anyone reads what was published. Thin: the services decide, the selectors read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import (
    ADMINISTERING,
    ANSWERING_CONTRIBUTIONS,
    RECORDING_CONTRIBUTIONS,
    SEEING_CONTRIBUTIONS,
    STAFF,
)
from withus.accounts.selectors import current_organisation, has_role
from withus.core.forms import attach_errors
from withus.core.public_cache import public_page
from withus.groups import selectors as group_selectors
from withus.groups.models import Group
from withus.meetings.models import Attendance, Session
from withus.people import selectors as people_selectors

from . import rules, selectors, services
from .forms import AnswerForm, FollowUpForm, ImpactSettingsForm, RecordForm, ReplyForm, SubmitForm
from .models import FollowUp

PAGE_SIZE = 25
PUBLIC_PAGE_SIZE = 20


def _form_page(request: HttpRequest, form: forms.BaseForm, **context: Any) -> HttpResponse:
    return render(request, "impact/form.html", {"form": form, **context})


# ---- Staff ---------------------------------------------------------------------------------


@staff_required(*SEEING_CONTRIBUTIONS)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    outcome = request.GET.get("outcome", "")
    page = Paginator(selectors.contributions_for_staff(organisation, outcome=outcome), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "impact/staff_list.html",
        {
            "page": page,
            "outcome": outcome,
            "decisions": rules.Decision.choices,
            "follow_ups": selectors.follow_ups_waiting(request.user, organisation)[:50],
            "can_record": has_role(request.user, organisation, *RECORDING_CONTRIBUTIONS),
            "can_change_settings": has_role(request.user, organisation, *ADMINISTERING),
        },
    )


@staff_required(*STAFF)
def staff_record(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Coordinators, and the contact of the session (who takes its notes), record what was said."""
    session = None
    if request.GET.get("session", "").isdigit():
        session = Session.objects.filter(pk=int(request.GET["session"])).first()
    initial = {"session": session} if session is not None and session.organisation_id == organisation.pk else {}
    form = RecordForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        publish, named = set(d["publish"]), set(d["named"])
        try:
            contribution = services.record_contribution(
                actor=request.user,
                organisation=organisation,
                text=d["text"],
                kind=d["kind"],
                perspective=d["perspective"],
                view=d["view"],
                minority_view=d["minority_view"],
                contributors=[services.ContributorChoice(p, p in publish, p in named) for p in d["contributors"]],
                session=d["session"],
                opportunity=d["opportunity"],
                project=d["project"],
                on_behalf_of=d["on_behalf_of"],
                service=d["service"],
                decision_maker=d["decision_maker"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Recorded. The people who said it have been told."))
            return redirect("impact:timeline", pk=contribution.pk)
    return _form_page(
        request,
        form,
        title=_("Record what was said"),
        intro=_("Record each view as it was said, one at a time. A minority view is kept and answered like any other."),
        submit=_("Record it"),
        back="impact:staff_list",
    )


@staff_required(*ANSWERING_CONTRIBUTIONS)
def staff_answer(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    contribution = selectors.contribution_for(request.user, pk, organisation=organisation)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_contribution(actor=request.user, contribution=contribution, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Answered. The people who said it have been told."))
            return redirect("impact:timeline", pk=contribution.pk)
    return _form_page(
        request,
        form,
        title=_("Answer what was said"),
        quote=contribution.text,
        intro=_("Say what was decided and why. The people who said it are told through their own channel."),
        submit=_("Send the answer"),
        back="impact:timeline",
        back_pk=contribution.pk,
    )


@staff_required(*STAFF)
def staff_follow_up(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("contribution"), contribution_id=pk, answered_at__isnull=True
    )
    if follow_up.contribution.organisation_id != organisation.pk:
        raise Http404
    if follow_up.owner_id != request.user.pk and not has_role(request.user, organisation, *ANSWERING_CONTRIBUTIONS):
        raise Http404
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_follow_up(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you. The people who said it have been told what changed."))
            return redirect("impact:timeline", pk=pk)
    return _form_page(
        request,
        form,
        title=_("What changed?"),
        quote=follow_up.contribution.text,
        intro=_("Some months have passed since this was answered. Say what changed, with the five questions."),
        submit=_("Send"),
        back="impact:timeline",
        back_pk=pk,
    )


@staff_required(*ADMINISTERING)
def staff_settings(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = ImpactSettingsForm(request.POST or None, instance=selectors.settings_for(organisation))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("impact:staff_list")
    return _form_page(
        request, form, title=_("Answers and follow-ups"), submit=_("Save"), back="impact:staff_list", intro=""
    )


# ---- The timeline (contributors and staff) -------------------------------------------------


@login_required
def timeline(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = current_organisation(request)
    contribution = selectors.contribution_for(request.user, pk, organisation=organisation)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply(actor=request.user, contribution=contribution, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Sent."))
            return redirect("impact:timeline", pk=pk)
    is_staff = organisation is not None and has_role(request.user, organisation, *SEEING_CONTRIBUTIONS)
    return render(
        request,
        "impact/timeline.html",
        {
            "timeline": selectors.timeline(contribution),
            "contribution": contribution,
            "form": form,
            "is_staff": is_staff,
            "can_answer": organisation is not None
            and contribution.organisation_id == organisation.pk
            and has_role(request.user, organisation, *ANSWERING_CONTRIBUTIONS),
        },
    )


# ---- Members -------------------------------------------------------------------------------


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    attended = (
        Session.objects.filter(
            attendance__person=person, attendance__status=Attendance.Status.ATTENDED, status=Session.Status.HELD
        )
        .select_related("organisation")
        .order_by("-starts_at")[:10]
    )
    return render(
        request,
        "impact/me.html",
        {"contributions": selectors.contributions_of(person)[:100], "sessions": attended},
    )


@login_required
def me_submit(request: AuthedRequest, session_pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    session = get_object_or_404(Session, pk=session_pk, attendance__person=person)
    groups = Group.objects.filter(pk__in=group_selectors.seats_held_by(person).values("group"))
    form = SubmitForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.submit_contribution(
                actor=request.user, person=person, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you. You will be told what is decided about it and why."))
            return redirect("impact:timeline", pk=contribution.pk)
    return _form_page(
        request,
        form,
        title=_("Add what you said"),
        caption=str(session),
        intro=_("Add something you said or asked at this session. It is answered like everything said there."),
        submit=_("Send"),
        back="impact:me",
    )


# ---- The public page -----------------------------------------------------------------------


@public_page
def public(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    service = request.GET.get("service", "")
    outcome = request.GET.get("outcome", "")
    page = Paginator(selectors.published(organisation, service=service, outcome=outcome), PUBLIC_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "impact/public.html",
        {
            "organisation": organisation,
            "page": page,
            "services": selectors.published_services(organisation),
            "decisions": rules.Decision.choices,
            "service": service,
            "outcome": outcome,
        },
    )
