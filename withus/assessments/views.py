"""Pages of assessments: the scorer's (member or staff) and the coordinator's. Thin: services decide, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, COORDINATING, SEEING_WORK
from withus.accounts.selectors import has_role
from withus.core.charts import Chart
from withus.core.forms import attach_errors
from withus.meetings.models import Session
from withus.reports.presentation import chart_of

from . import selectors, services
from .forms import (
    ActionForm,
    ActionProgressForm,
    AgreeForm,
    AimForm,
    FrameworkForm,
    InviteForm,
    ItemWordingForm,
    MilestoneForm,
    OpenAssessmentForm,
    ReviewForm,
    ScoringForm,
    StrategyForm,
)
from .models import Aim, Assessment, Item, Strategy


def _item(assessment: Assessment, pk: int) -> Item:
    item = Item.objects.filter(pk=pk, framework=assessment.framework).first()
    if item is None:
        raise Http404
    return item


def _score_page(request: AuthedRequest, assessment: Assessment, *, back: str) -> HttpResponse:
    """Scoring while open (own scores only, blind); every score side by side once closed."""
    scorer = selectors.scorer_of(request.user, assessment)
    steps = selectors.scale_of(assessment.framework)
    if not assessment.is_open:
        return render(
            request,
            "assessments/compare.html",
            {"assessment": assessment, "rows": selectors.comparison(request.user, assessment), "back": back},
        )
    if scorer is None:
        raise Http404
    items = selectors.items_of(assessment.framework)
    form = ScoringForm(
        request.POST or None,
        assessment=assessment,
        items=items,
        steps=steps,
        own=selectors.own_scores(request.user, assessment),
    )
    if request.method == "POST" and form.is_valid():
        wanted = {form.cleaned_data[f"session_{item.pk}"] for item in items} - {None}
        sessions = {s.pk: s for s in Session.objects.filter(pk__in=wanted)}
        try:
            with transaction.atomic():
                for item in items:
                    session_pk = form.cleaned_data[f"session_{item.pk}"]
                    session = sessions.get(session_pk) if session_pk else None
                    try:
                        services.record_score(
                            actor=request.user,
                            assessment=assessment,
                            item=item,
                            value=form.cleaned_data[f"score_{item.pk}"],
                            evidence=form.cleaned_data[f"evidence_{item.pk}"],
                            evidence_session=session,
                        )
                    except ValidationError as error:
                        names = {"value": f"score_{item.pk}", "evidence_session": f"session_{item.pk}"}
                        for name, errors in error.message_dict.items():
                            form.add_error(names.get(name), errors)
                if form.errors:
                    raise ValidationError("")
        except ValidationError:
            pass
        else:
            messages.success(request, _("Your scores are saved. Nobody sees them until scoring closes."))
            return redirect(request.path)
    return render(
        request,
        "assessments/score.html",
        {"assessment": assessment, "form": form, "items": items, "back": back},
    )


# ---- A member's pages ------------------------------------------------------------------------


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    return render(request, "assessments/me.html", {"assessments": selectors.assessments_invited(request.user)})


@login_required
def me_score(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, None, pk)
    return _score_page(request, assessment, back="assessments:me")


# ---- Staff pages -----------------------------------------------------------------------------


@staff_required(*SEEING_WORK)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "assessments/staff_list.html",
        {
            "assessments": selectors.assessments_for(request.user, organisation),
            "frameworks": selectors.frameworks_for(organisation),
            "coordinating": has_role(request.user, organisation, *COORDINATING),
            "actions": selectors.actions_for(request.user, organisation).filter(status="open")[:50],
        },
    )


@staff_required(*COORDINATING)
def staff_open(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = OpenAssessmentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.open_assessment(
                actor=request.user,
                organisation=organisation,
                framework=selectors.framework_for(organisation, data["framework"]),
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The assessment is open. Invite its scorers next."))
            return redirect("assessments:staff_detail", assessment.pk)
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("Open an assessment"),
            "submit": _("Open the assessment"),
            "back": "assessments:staff_list",
        },
    )


# ---- Frameworks: the shipped ones, the organisation's own and its copies -----------------------


@staff_required(*COORDINATING)
def staff_frameworks(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Every framework the organisation may use, with its scale and items; admins copy, create and reword."""
    frameworks = list(selectors.frameworks_in_full(organisation))
    return render(
        request,
        "assessments/frameworks.html",
        {
            "shipped": [f for f in frameworks if f.shipped],
            "own": [f for f in frameworks if not f.shipped],
            "administering": has_role(request.user, organisation, *ADMINISTERING),
        },
    )


@require_POST
@staff_required(*ADMINISTERING)
def staff_framework_copy(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    framework = selectors.framework_for(organisation, pk)
    try:
        copy = services.copy_framework(actor=request.user, organisation=organisation, framework=framework)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:staff_frameworks")
    messages.success(
        request,
        _("Your organisation's copy of %(name)s is made: you can change the wording of its items.")
        % {"name": framework.title},
    )
    return redirect(reverse("assessments:staff_frameworks") + f"#framework-{copy.pk}")


@staff_required(*ADMINISTERING)
def staff_framework_new(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.create_framework(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your organisation's framework %(name)s is made.") % {"name": framework.title})
            return redirect(reverse("assessments:staff_frameworks") + f"#framework-{framework.pk}")
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("Create your organisation's own framework"),
            "intro": _(
                "For standards your organisation has adopted, such as a charter written with members. "
                "Its items are scored on its own scale, like any framework."
            ),
            "submit": _("Create the framework"),
            "back": "assessments:staff_frameworks",
        },
    )


@staff_required(*ADMINISTERING)
def staff_item_wording(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Reword one item of the organisation's own framework or copy; a shipped original is refused."""
    item = selectors.item_for(organisation, pk)
    form = ItemWordingForm(request.POST or None, initial={"text": item.text, "text_cy": item.text_cy})
    if request.method == "POST" and form.is_valid():
        try:
            services.reword_item(
                actor=request.user, item=item, text=form.cleaned_data["text"], text_cy=form.cleaned_data["text_cy"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The wording of %(code)s is changed.") % {"code": item.code})
            return redirect(reverse("assessments:staff_frameworks") + f"#framework-{item.framework_id}")
    return render(
        request,
        "assessments/item_wording.html",
        {"form": form, "item": item, "shipped_unchanged": services.SHIPPED_UNCHANGED},
    )


def _progress_chart(progress: dict[str, Any]) -> Chart | None:
    """The share of items met per standard, this cycle against the last, drawn as the annual report draws it."""
    if progress["previous"] is None:
        return None
    return chart_of(
        {
            "key": f"progress-{progress['assessment']['id']}",
            "title": _("Share of items met per standard, %(now)s against %(before)s")
            % {"now": progress["assessment"]["title"], "before": progress["previous"]["title"]},
            "columns": [_("Standard"), _("Met this cycle (%)"), _("Met last cycle (%)")],
            "rows": [[s["standard"], s["share_met"], s["share_met_before"]] for s in progress["standards"]],
        },
        held_back="",
    )


@staff_required(*SEEING_WORK)
def staff_detail(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, organisation, pk)
    context: dict[str, Any] = {
        "assessment": assessment,
        "coordinating": has_role(request.user, organisation, *COORDINATING),
        "scorer": selectors.scorer_of(request.user, assessment),
        "scoring": selectors.scoring_progress(assessment),
        "progress": selectors.progress(assessment),
    }
    context["progress_chart"] = _progress_chart(context["progress"])
    if assessment.is_open:
        context["invite_form"] = InviteForm(organisation=organisation)
    else:
        context["rows"] = selectors.comparison(request.user, assessment)
    return render(request, "assessments/staff_detail.html", context)


@staff_required(*COORDINATING)
def staff_invite(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, organisation, pk)
    form = InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(pk=form.cleaned_data["user"]).first()
        try:
            if user is None:
                raise ValidationError({"user": _("Choose someone.")})
            services.invite_scorer(actor=request.user, assessment=assessment, user=user, side=form.cleaned_data["side"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Invited to score."))
            return redirect("assessments:staff_detail", assessment.pk)
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("Invite a scorer"),
            "caption": assessment.title,
            "submit": _("Invite"),
            "back": "assessments:staff_detail",
            "back_pk": assessment.pk,
        },
    )


@staff_required(*SEEING_WORK)
def staff_score(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, organisation, pk)
    return _score_page(request, assessment, back="assessments:staff_list")


@require_POST
@staff_required(*COORDINATING)
def staff_close(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, organisation, pk)
    try:
        services.close_scoring(actor=request.user, assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Scoring is closed. Everyone's scores now show side by side."))
    return redirect("assessments:staff_detail", assessment.pk)


@staff_required(*COORDINATING)
def staff_agree(request: AuthedRequest, organisation: Organisation, pk: int, item_pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, organisation, pk)
    item = _item(assessment, item_pk)
    form = AgreeForm(request.POST or None, steps=selectors.scale_of(assessment.framework))
    if request.method == "POST" and form.is_valid():
        try:
            services.agree_score(
                actor=request.user,
                assessment=assessment,
                item=item,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Recorded for %(code)s.") % {"code": item.code})
            return redirect("assessments:staff_detail", assessment.pk)
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("Agree the score for %(code)s") % {"code": item.code},
            "caption": assessment.title,
            "intro": item.wording,
            "submit": _("Record"),
            "back": "assessments:staff_detail",
            "back_pk": assessment.pk,
        },
    )


@staff_required(*COORDINATING)
def staff_action(request: AuthedRequest, organisation: Organisation, pk: int, item_pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, organisation, pk)
    item = _item(assessment, item_pk)
    form = ActionForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            owner = User.objects.filter(pk=data["owner"]).first()
            if owner is None:
                raise ValidationError({"owner": _("Choose someone.")})
            services.create_action(
                actor=request.user,
                assessment=assessment,
                item=item,
                description=data["description"],
                owner=owner,
                due_on=data["due_on"],
                monitoring=data["monitoring"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The action is planned."))
            return redirect("assessments:staff_detail", assessment.pk)
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("Plan an action for %(code)s") % {"code": item.code},
            "caption": assessment.title,
            "intro": item.wording,
            "submit": _("Plan the action"),
            "back": "assessments:staff_detail",
            "back_pk": assessment.pk,
        },
    )


@staff_required(*SEEING_WORK)
def staff_action_progress(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    action = selectors.actions_for(request.user, organisation).filter(pk=pk).first()
    if action is None:
        raise Http404
    form = ActionProgressForm(
        request.POST or None, initial={"progress": action.progress, "done": action.status == "done"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(
                actor=request.user,
                action=action,
                progress=form.cleaned_data["progress"],
                done=form.cleaned_data["done"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("assessments:staff_detail", action.assessment_id)
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("Progress of an action"),
            "caption": action.item.code,
            "intro": action.description,
            "submit": _("Save"),
            "back": "assessments:staff_detail",
            "back_pk": action.assessment_id,
        },
    )


# ---- The engagement strategy -----------------------------------------------------------------


def _strategy_form_page(request: AuthedRequest, form: Any, title: str) -> HttpResponse:
    return render(
        request,
        "assessments/form.html",
        {"form": form, "title": title, "submit": _("Save"), "back": "assessments:staff_strategy"},
    )


def _owner(pk: int) -> User:
    owner = User.objects.filter(pk=pk).first()
    if owner is None:
        raise ValidationError({"owner": _("Choose someone.")})
    return owner


@staff_required(*SEEING_WORK)
def staff_strategy(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "assessments/strategy.html",
        {
            "plan": selectors.strategy_of(organisation),
            "coordinating": has_role(request.user, organisation, *COORDINATING),
        },
    )


@staff_required(*COORDINATING)
def staff_strategy_edit(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    strategy = Strategy.objects.filter(organisation=organisation).first()
    initial = {"title": strategy.title, "summary": strategy.summary} if strategy else {}
    form = StrategyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_strategy(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("assessments:staff_strategy")
    return _strategy_form_page(request, form, _("The engagement strategy"))


def _strategy_or_404(organisation: Organisation) -> Strategy:
    strategy = Strategy.objects.filter(organisation=organisation).first()
    if strategy is None:
        raise Http404
    return strategy


@staff_required(*COORDINATING)
def staff_aim(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    strategy = _strategy_or_404(organisation)
    form = AimForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_aim(
                actor=request.user,
                strategy=strategy,
                text=form.cleaned_data["text"],
                owner=_owner(form.cleaned_data["owner"]),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("assessments:staff_strategy")
    return _strategy_form_page(request, form, _("Add an aim"))


@staff_required(*COORDINATING)
def staff_milestone(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    aim = Aim.objects.filter(pk=pk, strategy__organisation=organisation).select_related("strategy").first()
    if aim is None:
        raise Http404
    form = MilestoneForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_milestone(
                actor=request.user, aim=aim, text=data["text"], owner=_owner(data["owner"]), due_on=data["due_on"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("assessments:staff_strategy")
    return _strategy_form_page(request, form, _("Add a milestone"))


@staff_required(*COORDINATING)
def staff_review(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    strategy = _strategy_or_404(organisation)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_strategy(actor=request.user, strategy=strategy, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("assessments:staff_strategy")
    return _strategy_form_page(request, form, _("Record the strategy's review"))
