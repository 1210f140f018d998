"""Pages of support: the member's own, and the staff's. Thin: the services decide, the selectors read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING, ASSIGNING_SUPPORT, SUPPORTING
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors

from . import selectors, services
from .forms import (
    AnswerCallForm,
    AskCallForm,
    AssignForm,
    CheckInForm,
    ContactForm,
    EndMentoringForm,
    GoalForm,
    HandoverForm,
    MentoringCheckInForm,
    MentoringForm,
    StaffCallForm,
    SupervisionForm,
    SupervisionGroupForm,
    SupervisionNoteForm,
    SupportSettingsForm,
)
from .leaving import selectors as leaving_selectors
from .models import CallRequest
from .planning import selectors as planning_selectors

PAGE_SIZE = 25


def _form_page(
    request: AuthedRequest, form: forms.BaseForm, *, title: str, intro: str, back: str, **extra: Any
) -> HttpResponse:
    return render(request, "support/form.html", {"form": form, "title": title, "intro": intro, "back": back, **extra})


# ---- The member's pages --------------------------------------------------------------------


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    return render(
        request,
        "support/me.html",
        {
            "person": person,
            "support": selectors.my_support(person),
            "contacts": selectors.contacts_for_member(person)[:50],
            "calls": person.call_requests.filter(answered_at__isnull=True).select_related("organisation"),
            "supervisions": selectors.supervisions_of(person)[:20],
            "goals": selectors.goals_of(person),
            "mentoring": selectors.mentoring_of(person).filter(ended_on__isnull=True),
            "leaving_offers": leaving_selectors.offers_to(person),
            "planned": planning_selectors.invitations_of(person, now=timezone.now()),
        },
    )


@login_required
def me_call(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    organisations = list(people_selectors.organisations_shared_with(person))
    if not organisations:
        raise Http404(_("You do not share your details with an organisation yet."))
    form = AskCallForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.ask_for_call(
                actor=request.user,
                person=person,
                organisation=form.cleaned_data["organisation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("We have asked for someone to call you by %(due)s.")
                % {"due": date_format(timezone.localtime(call.due_at), "j F Y, H:i")},
            )
            return redirect("support:me")
    return _form_page(
        request,
        form,
        title=_("Ask for a call"),
        intro=_("You can ask for a call at any time. Your support contact will call you back."),
        back="support:me",
        submit=_("Ask for a call"),
        crisis=True,
    )


@login_required
def me_check_ins(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    organisations = list(people_selectors.organisations_shared_with(person))
    if not organisations:
        raise Http404(_("You do not share your details with an organisation yet."))
    form = CheckInForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_check_ins(
                actor=request.user,
                person=person,
                organisation=form.cleaned_data["organisation"],
                every_days=form.cleaned_data["every_days"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your choice of check-ins has been saved."))
            return redirect("support:me")
    return _form_page(
        request,
        form,
        title=_("Wellbeing check-ins"),
        intro=_("Your support contact can get in touch now and then to ask how you are. Choose how often suits you."),
        back="support:me",
        submit=_("Save"),
    )


# ---- Staff pages ---------------------------------------------------------------------------


@staff_required(*SUPPORTING)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    page = Paginator(selectors.support_list(organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/staff_list.html",
        {
            "page": page,
            "organisation": organisation,
            "query": "",
            "can_assign": has_role(request.user, organisation, *ASSIGNING_SUPPORT),
            "can_change_settings": has_role(request.user, organisation, *ADMINISTERING),
        },
    )


@staff_required(*SUPPORTING)
def staff_person(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = selectors.person_for_support(request.user, organisation, pk)
    return render(
        request,
        "support/staff_person.html",
        {
            "person": person,
            "organisation": organisation,
            "current": selectors.current_assignments(person, organisation),
            "history": selectors.assignment_history(person, organisation),
            "contacts": selectors.contacts_for_staff(request.user, organisation, person)[:100],
            "calls": selectors.waiting_calls(person, organisation),
            "supervisions": selectors.supervisions_of(person, organisation)[:20],
            "next_supervision": selectors.next_supervision_due(person, organisation),
            "reads_safeguarding": selectors.may_read_safeguarding(request.user, organisation),
            "can_assign": has_role(request.user, organisation, *ASSIGNING_SUPPORT),
            "answer_form": AnswerCallForm(),
            "leaving_offers": leaving_selectors.offers_to_person_at(person, organisation),
        },
    )


@staff_required(*ASSIGNING_SUPPORT)
def staff_assign(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = selectors.person_for_support(request.user, organisation, pk)
    form = AssignForm(request.POST or None, organisation=organisation, initial={"part": request.GET.get("part")})
    if request.method == "POST" and form.is_valid():
        try:
            services.assign(actor=request.user, person=person, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved. %(name)s has been told.") % {"name": person.display_name})
            return redirect("support:staff_person", pk=person.pk)
    return _form_page(
        request,
        form,
        title=_("Support contact or supervisor"),
        intro=_("The support contact and the supervisor must be different people."),
        back="support:staff_person",
        back_pk=person.pk,
        caption=person.full_name,
        submit=_("Save"),
    )


@staff_required(*SUPPORTING)
def staff_contact(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = selectors.person_for_support(request.user, organisation, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(actor=request.user, person=person, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("support:staff_person", pk=person.pk)
    return _form_page(
        request,
        form,
        title=_("Record a contact"),
        intro="",
        back="support:staff_person",
        back_pk=person.pk,
        caption=person.full_name,
        submit=_("Save"),
    )


@staff_required(*SUPPORTING)
def staff_call(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = selectors.person_for_support(request.user, organisation, pk)
    form = StaffCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_for_call(actor=request.user, person=person, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The request for a call has been passed on."))
            return redirect("support:staff_person", pk=person.pk)
    return _form_page(
        request,
        form,
        title=_("Record a call asked for"),
        intro=_("For a member who asked for a call by letter, by phone or in person."),
        back="support:staff_person",
        back_pk=person.pk,
        caption=person.full_name,
        submit=_("Save"),
    )


@staff_required(*SUPPORTING)
@require_POST
def staff_answer(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    call = CallRequest.objects.filter(pk=pk, organisation=organisation).select_related("person").first()
    if call is None:
        raise Http404
    selectors.person_for_support(request.user, organisation, call.person)
    form = AnswerCallForm(request.POST)
    if form.is_valid():
        try:
            services.answer_call(actor=request.user, call=call, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The call is recorded as returned."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("support:staff_person", pk=call.person_id)


@staff_required(*ASSIGNING_SUPPORT)
def staff_handover(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = HandoverForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.hand_over(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("%(count)s people handed over, and each has been told.") % {"count": len(handover.handed)}
            )
            return redirect("support:staff_list")
    return _form_page(
        request,
        form,
        title=_("Hand people over to cover"),
        intro=_(
            "When a support contact or supervisor is away or leaves, hand all their people to someone else in one step."
        ),
        back="support:staff_list",
        submit=_("Hand over"),
    )


@staff_required(*SUPPORTING)
def staff_digest(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "support/staff_digest.html",
        {"lines": selectors.digest_for(request.user, organisation), "organisation": organisation},
    )


# ---- Supervision and development plans --------------------------------------------------------


@staff_required(*SUPPORTING)
def staff_supervision(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = selectors.person_for_support(request.user, organisation, pk)
    form = SupervisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_supervision(
                actor=request.user, organisation=organisation, person=person, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Supervision recorded."))
            return redirect("support:staff_person", pk=person.pk)
    return _form_page(
        request,
        form,
        title=_("Record a one-to-one supervision"),
        intro=_("You are recorded as the supervisor. A member's support contact cannot supervise them."),
        back="support:staff_person",
        back_pk=person.pk,
        caption=person.full_name,
        submit=_("Save"),
    )


@staff_required(*SUPPORTING)
def staff_groups(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    may_create = has_role(request.user, organisation, *ASSIGNING_SUPPORT)
    form = SupervisionGroupForm(request.POST or None, organisation=organisation) if may_create else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            group = services.create_supervision_group(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                supervisor=form.cleaned_data["supervisor"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Peer supervision group made."))
            return redirect("support:staff_group", pk=group.pk)
    return render(
        request,
        "support/staff_groups.html",
        {"groups": selectors.supervision_groups(request.user, organisation), "form": form},
    )


@staff_required(*SUPPORTING)
def staff_group(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    group = selectors.supervision_group(request.user, organisation, pk)
    form = SupervisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_supervision(actor=request.user, organisation=organisation, group=group, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Supervision recorded."))
            return redirect("support:staff_group", pk=group.pk)
    return render(
        request,
        "support/staff_group.html",
        {"group": group, "supervisions": selectors.group_supervisions(group), "form": form},
    )


@login_required
def me_supervision(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    supervision = selectors.supervision_for_member(person, pk)
    form = SupervisionNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_supervision_note(actor=request.user, supervision=supervision, text=form.cleaned_data["text"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your note has been added."))
            return redirect("support:me_supervision", pk=supervision.pk)
    return render(request, "support/me_supervision.html", {"supervision": supervision, "form": form})


@login_required
def me_plan(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    return render(request, "support/me_plan.html", {"goals": selectors.goals_of(person)})


@login_required
def me_goal(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    existing = selectors.goal_for_member(person, pk) if pk is not None else None
    organisations = list(people_selectors.organisations_shared_with(person))
    if not organisations:
        raise Http404(_("You do not share your details with an organisation yet."))
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "goal": existing.goal,
            "steps": existing.steps,
            "who_helps": existing.who_helps,
            "review_on": existing.review_on,
            "progress": existing.progress,
            "organisation": existing.organisation_id,
        }
    form = GoalForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_goal(actor=request.user, person=person, existing=existing, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your plan has been saved."))
            return redirect("support:me_plan")
    return _form_page(
        request,
        form,
        title=_("Change a goal") if existing else _("Add a goal"),
        intro=_("Your plan is yours: only you can change it. Your supervisor and support contact can help."),
        back="support:me_plan",
        submit=_("Save"),
    )


# ---- Mentors and buddies ---------------------------------------------------------------------


@staff_required(*SUPPORTING)
def staff_mentoring(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    may_start = has_role(request.user, organisation, *ASSIGNING_SUPPORT)
    form = MentoringForm(request.POST or None, organisation=organisation) if may_start else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.start_mentoring(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The pairing has started."))
            return redirect("support:staff_mentoring")
    pairs = selectors.mentoring_at(request.user, organisation)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "support/staff_mentoring.html", {"page": page, "query": "", "form": form})


@login_required
def me_mentoring(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    pair = selectors.mentoring_for_member(person, pk)
    form = MentoringCheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentoring_check_in(actor=request.user, mentoring=pair, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("support:me_mentoring", pk=pair.pk)
    return render(request, "support/me_mentoring.html", {"pair": pair, "form": form, "person": person})


def _end_mentoring_page(request: AuthedRequest, pair: Any, *, done: str, back: str, mine: bool) -> HttpResponse:
    form = EndMentoringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_mentoring(actor=request.user, mentoring=pair, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The pairing has ended. The other person has been told."))
            return redirect(done, pk=pair.pk) if mine else redirect(done)
    names = {"mentor": pair.mentor.full_name, "new_member": pair.new_member.full_name}
    return _form_page(
        request,
        form,
        title=_("End the pairing"),
        intro=_("%(mentor)s mentors %(new_member)s.") % names,
        back=back,
        back_pk=pair.pk if mine else None,
        submit=_("End the pairing"),
    )


@staff_required(*ASSIGNING_SUPPORT)
def staff_end_mentoring(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    pair = selectors.mentoring_for_staff(request.user, organisation, pk)
    return _end_mentoring_page(
        request, pair, done="support:staff_mentoring", back="support:staff_mentoring", mine=False
    )


@login_required
def me_end_mentoring(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    pair = selectors.mentoring_for_member(person, pk)
    return _end_mentoring_page(request, pair, done="support:me_mentoring", back="support:me_mentoring", mine=True)


@staff_required(*ADMINISTERING)
def staff_settings(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = SupportSettingsForm(request.POST or None, instance=selectors.support_settings(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("support:staff_list")
    return _form_page(
        request,
        form,
        title=_("Support"),
        intro="",
        back="support:staff_list",
        caption=str(organisation),
        submit=_("Save"),
    )
