"""Pages for concerns: anyone raises one and follows it up by PIN; members see their own; staff handle them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING, HANDLING_CONCERNS, REVIEWING_APPEALS
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.groups.agreements import selectors as agreement_selectors
from withus.groups.models import Appointment
from withus.opportunities.models import Application
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules, selectors, services
from .forms import (
    ActionForm,
    AppealForm,
    AskForm,
    DecisionForm,
    ExtensionForm,
    FollowUpForm,
    MediationForm,
    MediationOutcomeForm,
    MessageForm,
    MoveForm,
    OutcomeForm,
    PolicyForm,
    RaiseForm,
    RecordForm,
    ReviewerForm,
    ReviewForm,
)
from .models import Concern

# ---- Anyone ----------------------------------------------------------------------------------


def _agreements(organisation: Organisation) -> list[tuple[int, str]]:
    """The current ground rules of the organisation's groups, as choices for a concern to point to."""
    return [
        (a.pk, _("Ground rules of %(group)s") % {"group": a.group})
        for a in agreement_selectors.current_agreements_of(organisation)
    ]


def choose_organisation(request: HttpRequest) -> HttpResponse:
    """Where a concern starts for someone who came from any page: which organisation it is for."""
    return render(request, "concerns/choose.html", {"organisations": Organisation.objects.order_by("name")})


def raise_concern(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    """Raise a concern with an organisation, signed in or not; anonymously if wished."""
    organisation = get_object_or_404(Organisation, slug=organisation_slug)
    person = people_selectors.own_person(request.user)
    shares = person is not None and people_selectors.shares_with(person, organisation)
    form = RaiseForm(
        request.POST or None, signed_in=person is not None, agreements=_agreements(organisation) if shares else None
    )
    status = 200
    if request.method == "POST" and form.is_valid() and not selectors.may_raise(request):
        form.add_error(None, str(selectors.RAISED_TOO_OFTEN) % {"organisation": organisation})
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            raised = services.raise_concern(organisation=organisation, fields=form.cleaned_data, raised_by=person)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            # Shown once, never kept: the PIN is in this page and nowhere else.
            return render(
                request,
                "concerns/raised.html",
                {"concern": raised.concern, "pin": raised.pin, "clock": selectors.clock_of(raised.concern)},
            )
    return render(
        request,
        "concerns/raise.html",
        {"form": form, "organisation": organisation, "signed_in": person is not None},
        status=status if status != 200 else (400 if form.errors else 200),
    )


def follow_up(request: HttpRequest) -> HttpResponse:
    """Follow a concern up with its reference and PIN: read the replies, answer, appeal. No account needed.

    Nothing is kept in the session (which would tie the concern to whoever is signed in):
    each form on the page sends the reference and PIN again.
    """
    form = FollowUpForm(request.POST or None)
    concern = None
    status = 200
    message_form = MessageForm()
    appeal_form = AppealForm()
    if request.method == "POST" and form.is_valid():
        try:
            concern = selectors.followed_up(request, form.cleaned_data["reference"], form.cleaned_data["pin"])
        except selectors.TooManyTries:
            form.add_error(None, _("Too many wrong PINs have been tried. Wait a few minutes and try again."))
            status = 429
        else:
            if concern is None:
                form.add_error("pin", _("The reference or the PIN is not right. Check them and try again."))
                status = 400
    if concern is not None:
        action = request.POST.get("action")
        if action == "message":
            message_form = MessageForm(request.POST)
            if message_form.is_valid():
                services.answer(concern=concern, text=message_form.cleaned_data["text"])
                messages.success(request, _("Your message is sent."))
                message_form = MessageForm()
        elif action == "appeal":
            appeal_form = AppealForm(request.POST)
            if appeal_form.is_valid():
                try:
                    services.appeal(concern=concern, grounds=appeal_form.cleaned_data["grounds"])
                except ValidationError as error:
                    attach_errors(appeal_form, error)
                else:
                    messages.success(request, _("Your appeal is sent. Someone not involved before will review it."))
                    appeal_form = AppealForm()
        concern = selectors.with_timeline(Concern.objects.filter(pk=concern.pk)).get()
    return render(
        request,
        "concerns/follow_up.html",
        {
            "form": form,
            "concern": concern,
            **(_for_raiser(concern) if concern is not None else {}),
            "message_form": message_form,
            "appeal_form": appeal_form,
        },
        status=status,
    )


def _for_raiser(concern: Concern) -> dict[str, Any]:
    return {
        "timeline": selectors.timeline(concern),
        "clock": selectors.clock_of(concern),
        "waiting": selectors.open_pause(concern),
        "can_appeal": concern.stage in (rules.Stage.RESPONSE, rules.Stage.CLOSED),
    }


# ---- Members ---------------------------------------------------------------------------------


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    concerns = list(selectors.with_timeline(selectors.concerns_raised_by(person)))
    return render(
        request,
        "concerns/mine.html",
        {
            "concerns": [(c, _for_raiser(c)) for c in concerns],
            "organisations": people_selectors.organisations_shared_with(person),
        },
    )


@login_required
@require_POST
def my_message(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    concern = get_object_or_404(selectors.concerns_raised_by(person), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "appeal":
            services.appeal(concern=concern, grounds=request.POST.get("grounds", ""))
            messages.success(request, _("Your appeal is sent. Someone not involved before will review it."))
        else:
            services.answer(concern=concern, text=request.POST.get("text", ""))
            messages.success(request, _("Your message is sent."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("concerns:mine")


# ---- Staff -----------------------------------------------------------------------------------


@staff_required(*REVIEWING_APPEALS)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    concerns = selectors.concerns_for_staff(request.user, organisation).prefetch_related("pauses")
    if show != "all":
        concerns = concerns.exclude(stage=rules.Stage.CLOSED)
    rows = []
    for concern in concerns:
        clock = selectors.clock_of(concern, today=today)
        rows.append((concern, clock, rules.overdue(stage=concern.stage, due=clock, today=today)))
    return render(
        request,
        "concerns/staff_list.html",
        {"rows": rows, "show": show, "can_record": has_role(request.user, organisation, *HANDLING_CONCERNS)},
    )


@staff_required(*HANDLING_CONCERNS)
def record(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Write down a concern raised by phone, letter or in person."""
    form = RecordForm(request.POST or None, agreements=_agreements(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            raised = services.raise_concern(
                organisation=organisation, fields=form.cleaned_data, recorded_by=request.user
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return render(
                request,
                "concerns/raised.html",
                {
                    "concern": raised.concern,
                    "pin": raised.pin,
                    "clock": selectors.clock_of(raised.concern),
                    "staff": True,
                },
            )
    return render(request, "concerns/record.html", {"form": form}, status=400 if form.errors else 200)


def _handlers(organisation: Organisation, concern: Concern) -> Any:
    return (
        User.objects.filter(memberships__organisation=organisation, memberships__role__in=HANDLING_CONCERNS)
        .exclude(pk=concern.about_staff_id or 0)
        .distinct()
        .order_by("first_name", "email")
    )


def _reviewers(organisation: Organisation, concern: Concern) -> Any:
    involved = selectors.involved_in(concern)
    return (
        User.objects.filter(memberships__organisation=organisation, memberships__role__in=REVIEWING_APPEALS)
        .exclude(Q(pk__in=involved))
        .distinct()
        .order_by("first_name", "email")
    )


def _detail(request: AuthedRequest, organisation: Organisation, concern: Concern, **forms: Any) -> HttpResponse:
    handlers = _handlers(organisation, concern)
    context: dict[str, Any] = {
        "concern": concern,
        "steps": list(concern.steps.all()),
        "actions": list(concern.actions.select_related("owner")),
        **_for_raiser(concern),
        "ombudsman": concern.ombudsman,
        "move_form": MoveForm(stage=concern.stage, holders=handlers),
        "ask_form": AskForm(),
        "extension_form": ExtensionForm(),
        "mediation_form": MediationForm(services=selectors.mediation_services(organisation)),
        "mediation_outcome_form": MediationOutcomeForm(),
        "reviewer_form": ReviewerForm(reviewers=_reviewers(organisation, concern)),
        "outcome_form": OutcomeForm(initial={"outcome": concern.outcome, "learning": concern.learning}),
        "action_form": ActionForm(owners=handlers),
        "is_reviewer": concern.appeal_reviewer_id == request.user.pk,
    }
    context.update(forms)
    bound = [f for f in forms.values() if f.errors]
    context["form"] = bound[0] if bound else None
    return render(request, "concerns/staff_detail.html", context, status=400 if bound else 200)


def _concern(request: AuthedRequest, organisation: Organisation, pk: int) -> Concern:
    concern = selectors.concern_for_staff(request.user, organisation, pk)
    return selectors.with_timeline(Concern.objects.filter(pk=concern.pk)).select_related("holder", "mediator").get()


@staff_required(*REVIEWING_APPEALS)
def staff_detail(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    return _detail(request, organisation, _concern(request, organisation, pk))


@staff_required(*REVIEWING_APPEALS)
@require_POST
def staff_act(request: AuthedRequest, organisation: Organisation, pk: int, action: str) -> HttpResponse:
    """Every change a member of staff makes to a concern: one form each, all through ``services``."""
    concern = _concern(request, organisation, pk)
    handlers = _handlers(organisation, concern)
    form: Any
    if action == "move":
        form = MoveForm(request.POST, stage=concern.stage, holders=handlers)
    elif action == "ask":
        form = AskForm(request.POST)
    elif action == "extend":
        form = ExtensionForm(request.POST)
    elif action == "mediation":
        form = MediationForm(request.POST, services=selectors.mediation_services(organisation))
    elif action == "mediation-outcome":
        form = MediationOutcomeForm(request.POST)
    elif action == "reviewer":
        form = ReviewerForm(request.POST, reviewers=_reviewers(organisation, concern))
    elif action == "outcome":
        form = OutcomeForm(request.POST)
    elif action == "learning-action":
        form = ActionForm(request.POST, owners=handlers)
    else:
        return HttpResponse(status=404)
    name = {
        "move": "move_form",
        "ask": "ask_form",
        "extend": "extension_form",
        "mediation": "mediation_form",
        "mediation-outcome": "mediation_outcome_form",
        "reviewer": "reviewer_form",
        "outcome": "outcome_form",
        "learning-action": "action_form",
    }[action]
    if form.is_valid():
        data = form.cleaned_data
        actor = request.user
        try:
            if action == "move":
                services.move(
                    actor=actor,
                    concern=concern,
                    stage=data["stage"],
                    told=data["told"],
                    note=data["note"],
                    holder=data["holder"],
                )
            elif action == "ask":
                services.ask_raiser(actor=actor, concern=concern, asked=data["asked"])
            elif action == "extend":
                services.extend(
                    actor=actor,
                    concern=concern,
                    agreed_on=data["agreed_on"],
                    respond_by=data["respond_by"],
                    reason=data["reason"],
                )
            elif action == "mediation":
                services.refer_to_mediation(actor=actor, concern=concern, service=data["service"], told=data["told"])
            elif action == "mediation-outcome":
                services.record_mediation_outcome(actor=actor, concern=concern, outcome=data["outcome"])
            elif action == "reviewer":
                services.assign_appeal_reviewer(actor=actor, concern=concern, reviewer=data["reviewer"])
            elif action == "outcome":
                services.record_outcome(
                    actor=actor, concern=concern, outcome=data["outcome"], learning=data["learning"]
                )
            else:
                services.add_action(
                    actor=actor, concern=concern, text=data["text"], owner=data["owner"], due_on=data["due_on"]
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Concern %(reference)s is updated.") % {"reference": concern.reference})
            return redirect("concerns:staff_detail", pk=concern.pk)
    return _detail(request, organisation, _concern(request, organisation, pk), **{name: form})


@staff_required(*HANDLING_CONCERNS)
def settings_page(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    policy = selectors.policy_of(organisation)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(actor=request.user, organisation=organisation, fields=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The rules for concerns are saved."))
            return redirect("concerns:staff_list")
    return render(request, "concerns/settings.html", {"form": form, "rule_sets": list(rules.RULE_SETS.values())})


@staff_required(*HANDLING_CONCERNS)
def summary(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    found = selectors.yearly_summary(organisation, year)
    return render(
        request,
        "concerns/summary.html",
        {
            "summary": found,
            "kinds": [(label, found.by_kind[value]) for value, label in Concern.Kind.choices],
            "abouts": [(label, found.by_about[value]) for value, label in Concern.About.choices],
            "outcomes": [(label, found.by_outcome[value]) for value, label in Concern.Outcome.choices],
        },
    )


@staff_required(*REVIEWING_APPEALS)
def decisions(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Decisions about members who raised a concern lately: recorded with a reason, reviewed independently."""
    can_record = has_role(request.user, organisation, *COORDINATING)
    form = DecisionForm(request.POST or None, choices=selectors.decisions_open_to_record(organisation))
    status = 200
    if request.method == "POST" and can_record and form.is_valid():
        kind, _sep, pk = form.cleaned_data["what"].partition(":")
        label = dict(form.fields["what"].choices)[form.cleaned_data["what"]]  # type: ignore[attr-defined]
        person = _decision_person(organisation, kind, int(pk))
        try:
            services.record_decision(
                actor=request.user,
                organisation=organisation,
                person=person,
                kind=kind,
                subject_id=int(pk),
                subject=label,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("The reason is recorded. Someone independent of the decision must now review it.")
            )
            return redirect("concerns:decisions")
    if form.errors:
        status = 400
    return render(
        request,
        "concerns/decisions.html",
        {
            "form": form,
            "can_record": can_record,
            "decisions": selectors.decisions_for_staff(request.user, organisation),
            "review_form": ReviewForm(),
        },
        status=status,
    )


def _decision_person(organisation: Organisation, kind: str, pk: int) -> Any:
    if kind == "seat":
        return get_object_or_404(Appointment, pk=pk, group__organisation=organisation).person
    if kind == "place":
        return get_object_or_404(Application, pk=pk, opportunity__organisation=organisation).person
    return people_selectors.person_sharing_with(organisation, get_object_or_404(Person, pk=pk))


@staff_required(*REVIEWING_APPEALS)
@require_POST
def review(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions_for_staff(request.user, organisation), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_decision(
                actor=request.user,
                decision=decision,
                upheld=form.cleaned_data["upheld"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your review is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("concerns:decisions")
