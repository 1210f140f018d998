"""Pages: the public board, responding, and the coordinator's opportunities, selection and dashboard."""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING, COORDINATING, SEEING_WORK
from withus.accounts.selectors import has_role
from withus.core import spreadsheets
from withus.core.forms import attach_errors
from withus.core.public_cache import public_page
from withus.groups import selectors as group_selectors
from withus.groups.forms import AppointForm
from withus.people import selectors as people_selectors
from withus.people import services as people_services

from . import documents, rules, selectors, services
from .forms import (
    BoardFilterForm,
    ChannelForm,
    CriterionForm,
    DrawForm,
    FeedbackForm,
    LevelDefaultForm,
    OpportunityForm,
    ReferralForm,
    RespondForm,
    ScoreForm,
    SelectionForm,
    ShareToRespondForm,
    StatusForm,
    UnderRepresentedForm,
)
from .models import (
    Application,
    ApplicationProcess,
    Draw,
    Level,
    Opportunity,
    Referral,
    Selection,
    UnderRepresentedTag,
)

# ---- Public -------------------------------------------------------------------------------


@public_page
def board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    f = selectors.BoardFilter()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.BoardFilter(
            q=d["q"],
            level=d["level"],
            local_authority=d["local_authority"],
            location=d["location"],
            reward=d["reward"],
            organisation=d["organisation"],
            closing_soon=d["closing_soon"],
        )
    page = Paginator(selectors.board(f), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "opportunities/board.html", {"form": form, "page": page, "query": query.urlencode()})


@public_page
def detail(request: HttpRequest, short_code: str) -> HttpResponse:
    opportunity = selectors.public_opportunity(short_code)
    person = people_selectors.own_person(request.user)
    application = None
    if person is not None:
        application = Application.objects.filter(opportunity=opportunity, person=person).first()
    return render(
        request,
        "opportunities/detail.html",
        {
            "opportunity": opportunity,
            "person": person,
            "application": application,
            "defaults": selectors.level_defaults(opportunity.organisation)[opportunity.level],
            "short_url": request.build_absolute_uri(reverse("opportunities:short_link", args=[short_code])),
        },
    )


def short_link(request: HttpRequest, short_code: str) -> HttpResponse:
    opportunity = selectors.public_opportunity(short_code)
    return redirect("opportunities:detail", short_code=opportunity.short_code)


# A box hidden from people (and from screen readers); a program filling in every box fills it in.
TRAP_FIELD = "website"
# ACCOUNT_RATE_LIMITS names the limit (per address, counted where the sign-in limits are).
REFERRAL_RATE_ACTION = "withus_referral"


def refer(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    """Frontline staff (GP surgeries, teams, drop-ins) refer someone, with their consent.

    Anyone may use it without signing in, so it keeps out robots: a box people never
    see (``TRAP_FIELD``) is filled in only by programs, which are thanked and nothing is
    kept; and each address may send a few referrals an hour (``REFERRAL_RATE_ACTION``).
    """
    organisation = get_object_or_404(Organisation, slug=organisation_slug)
    form = ReferralForm(request.POST or None)
    status = 200
    if request.method == "POST" and request.POST.get(TRAP_FIELD):
        return render(request, "opportunities/referral_sent.html", {"organisation": organisation})
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action=REFERRAL_RATE_ACTION):
            form.add_error(
                None,
                _(
                    "Too many referrals have been sent from here in the last hour. Nothing you typed is lost: "
                    "try again later, or contact %(organisation)s."
                )
                % {"organisation": organisation},
            )
            status = 429
        else:
            try:
                services.refer(organisation=organisation, fields=form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                return render(request, "opportunities/referral_sent.html", {"organisation": organisation})
    return render(
        request,
        "opportunities/refer.html",
        {"form": form, "organisation": organisation, "trap_field": TRAP_FIELD},
        status=status,
    )


# ---- Members --------------------------------------------------------------------------------


def _references(data: dict[str, Any]) -> list[services.ReferenceData]:
    refs = []
    for i in range(2):
        refs.append(
            services.ReferenceData(
                name=data.get(f"reference_{i}_name", ""),
                relationship=data.get(f"reference_{i}_relationship", ""),
                email=data.get(f"reference_{i}_email", ""),
                phone=data.get(f"reference_{i}_phone", ""),
            )
        )
    return refs


@login_required
def respond(request: AuthedRequest, short_code: str) -> HttpResponse:
    opportunity = selectors.public_opportunity(short_code)
    person = people_selectors.own_person(request.user)
    if person is None:
        raise Http404
    application = Application.objects.filter(opportunity=opportunity, person=person).first()
    if application and application.status != Application.Status.DRAFT:
        messages.info(request, _("You have already responded to this opportunity."))
        return redirect("opportunities:my_applications")
    initial: dict[str, Any] = {}
    if application:
        initial = {
            "why": application.why,
            "experience": application.experience,
            "support_needed": application.support_needed,
        }
        for i, ref in enumerate(application.references.all()[:2]):
            initial.update(
                {
                    f"reference_{i}_name": ref.name,
                    f"reference_{i}_relationship": ref.relationship,
                    f"reference_{i}_email": ref.email,
                    f"reference_{i}_phone": ref.phone,
                }
            )
    form = RespondForm(request.POST or None, process=opportunity.application_process, initial=initial)
    eligibility = rules.can_respond(
        status=opportunity.status,
        closes_on=opportunity.closes_on,
        today=timezone.localdate(),
        already_responded=False,
        person_status=person.status,
    )
    if (
        request.method == "GET"
        and eligibility.allowed
        and not people_selectors.shares_with(person, opportunity.organisation)
    ):
        # Ask first, before the person writes anything for an organisation that could not read it.
        return redirect("opportunities:respond_share", short_code=opportunity.short_code)
    if request.method == "POST" and form.is_valid():
        submit = "save_draft" not in request.POST
        answers = {
            "why": form.cleaned_data.get("why", ""),
            "experience": form.cleaned_data.get("experience", ""),
            "support_needed": form.cleaned_data.get("support_needed", ""),
            "references": _references(form.cleaned_data),
        }
        try:
            services.respond(actor=request.user, person=person, opportunity=opportunity, submit=submit, **answers)
        except services.SharingNeeded:
            # They stopped sharing since the page was shown: keep what they wrote as a draft, then ask.
            try:
                services.respond(actor=request.user, person=person, opportunity=opportunity, submit=False, **answers)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.info(request, _("Your response is saved as a draft. It has not been sent."))
                return redirect("opportunities:respond_share", short_code=opportunity.short_code)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if submit:
                messages.success(request, _("Thank you. Your response has been sent."))
            else:
                messages.success(request, _("Saved. You can come back and send it before the closing date."))
            return redirect("opportunities:my_applications")
    return render(
        request,
        "opportunities/respond.html",
        {
            "form": form,
            "opportunity": opportunity,
            "eligibility": eligibility,
            "person": person,
            "process_none": opportunity.application_process == ApplicationProcess.NONE,
        },
    )


@login_required
def respond_share(request: AuthedRequest, short_code: str) -> HttpResponse:
    """Before responding to an organisation the person does not share with: ask, in plain words.

    Yes records their consent to share with it (the same service as "share with another
    organisation") and goes on to the response; no sends nothing and says what that means.
    """
    opportunity = selectors.public_opportunity(short_code)
    person = people_selectors.own_person_or_404(request.user)
    organisation = opportunity.organisation
    eligibility = rules.can_respond(
        status=opportunity.status,
        closes_on=opportunity.closes_on,
        today=timezone.localdate(),
        already_responded=Application.objects.filter(opportunity=opportunity, person=person)
        .exclude(status=Application.Status.DRAFT)
        .exists(),
        person_status=person.status,
    )
    if not eligibility.allowed or people_selectors.shares_with(person, organisation):
        # Nothing to ask: the response page says why they cannot respond, or takes their response.
        return redirect("opportunities:respond", short_code=opportunity.short_code)
    form = ShareToRespondForm(request.POST if request.method == "POST" else None, organisation=organisation)
    shared_with = list(people_selectors.organisations_shared_with(person).order_by("name"))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["share"] == "no":
            return render(
                request,
                "opportunities/respond_not_shared.html",
                {
                    "opportunity": opportunity,
                    "organisation": organisation,
                    "shared_with": shared_with,
                    "draft": Application.objects.filter(
                        opportunity=opportunity, person=person, status=Application.Status.DRAFT
                    ).exists(),
                },
            )
        people_services.share_details_with(person=person, actor=request.user, organisation=organisation)
        messages.success(request, _("You now share your details with %(org)s.") % {"org": organisation})
        return redirect("opportunities:respond", short_code=opportunity.short_code)
    return render(
        request,
        "opportunities/respond_share.html",
        {"form": form, "opportunity": opportunity, "organisation": organisation, "shared_with": shared_with},
    )


@login_required
def my_applications(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    if person is None:
        raise Http404
    return render(
        request,
        "opportunities/my_applications.html",
        {
            "applications": selectors.my_applications(person),
            "person": person,
            "appointments": group_selectors.seats_held_by(person),
        },
    )


@login_required
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    application = get_object_or_404(Application, pk=pk, person=person)
    services.withdraw(actor=request.user, application=application, reason=request.POST.get("reason", "")[:500])
    messages.success(request, _("You have withdrawn. Thank you for letting us know."))
    return redirect("opportunities:my_applications")


@login_required
@require_POST
def ask_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    application = get_object_or_404(Application, pk=pk, person=person)
    try:
        services.request_feedback(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("We have asked for feedback. It will reach you the way you asked us to contact you.")
        )
    return redirect("opportunities:my_applications")


# ---- Staff ------------------------------------------------------------------------------------------


@staff_required(*SEEING_WORK)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    opportunities = (
        selectors.opportunities_for_staff(request.user, organisation)
        .annotate(
            # Counted as the list of responses shows them: only from people who share with the organisation.
            responses=Count(
                "applications",
                filter=~Q(applications__status="draft")
                & Q(applications__person__in=people_selectors.people_sharing_with(organisation).values("pk")),
            )
        )
        .order_by("status", "closes_on", "title")
    )
    return render(
        request,
        "opportunities/staff_list.html",
        {
            "opportunities": opportunities,
            "organisation": organisation,
            "can_edit": has_role(request.user, organisation, *COORDINATING),
        },
    )


def _opportunity_form_context(form: OpportunityForm, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "organisation": organisation,
        "defaults": selectors.level_defaults(organisation),
        "levels": Level,
        **extra,
    }


@staff_required(*COORDINATING)
def staff_create(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = OpportunityForm(
        request.POST or None,
        organisation=organisation,
        initial={"contact": request.user.pk, "role_description": _role_template()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.create_opportunity(
                actor=request.user, organisation=organisation, fields=form.opportunity_fields()
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved as a draft. Publish it when it is ready."))
            return redirect("opportunities:staff_detail", pk=opportunity.pk)
    return render(request, "opportunities/staff_form.html", _opportunity_form_context(form, organisation))


def _role_template() -> str:
    """The role description template, modelled on 001 appendix 3."""
    return _(
        "Appointment:\nAccountable to:\nSupport: (who supports you, before, during and after meetings)\n"
        "Working with:\nReward: (fee, preparation time, travel and out-of-pocket expenses)\nTerm:\n"
        "Time needed:\nMain purpose of the role:\nWhat you will do:\n- \n- \nWhat we will do for you:\n- \n"
    )


@staff_required(*COORDINATING)
def staff_edit(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for_staff(request.user, organisation, pk)
    form = OpportunityForm(request.POST or None, instance=opportunity, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_opportunity(
                actor=request.user,
                opportunity=opportunity,
                fields=form.opportunity_fields(),
                level_change_reason=form.cleaned_data["level_change_reason"],
            )
        except ValidationError as error:
            opportunity.refresh_from_db()
            attach_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("opportunities:staff_detail", pk=opportunity.pk)
    elif request.method == "POST":
        opportunity.refresh_from_db()
    return render(
        request, "opportunities/staff_form.html", _opportunity_form_context(form, organisation, opportunity=opportunity)
    )


@staff_required(*SEEING_WORK)
def staff_detail(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for_staff(request.user, organisation, pk)
    applications = list(selectors.applications_for(opportunity))
    return render(
        request,
        "opportunities/staff_detail.html",
        {
            "opportunity": opportunity,
            "applications": applications,
            "organisation": organisation,
            "selected": sum(1 for a in applications if a.status == "selected"),
            "channels": opportunity.channels.all(),
            "channel_form": ChannelForm(),
            "selection": Selection.objects.filter(opportunity=opportunity).first(),
            "draws": Draw.objects.filter(opportunity=opportunity)[:5],
            "can_edit": has_role(request.user, organisation, *COORDINATING),
            "short_url": request.build_absolute_uri(reverse("opportunities:short_link", args=[opportunity.short_code])),
        },
    )


@staff_required(*SEEING_WORK)
def staff_responses_file(request: AuthedRequest, organisation: Organisation, pk: int, file_format: str) -> FileResponse:
    """The responses as the list shows them, as CSV or an Excel workbook, for whoever may see the list."""
    opportunity = selectors.opportunity_for_staff(request.user, organisation, pk)
    name, file = documents.applications_file(opportunity, spreadsheets.FILE_FORMATS[file_format])
    return FileResponse(file, as_attachment=True, filename=name, content_type=spreadsheets.CONTENT_TYPES[file_format])


@staff_required(*COORDINATING)
@require_POST
def staff_status(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for_staff(request.user, organisation, pk)
    try:
        services.set_status(actor=request.user, opportunity=opportunity, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The opportunity is now: %(status)s.") % {"status": opportunity.get_status_display()}
        )
    return redirect("opportunities:staff_detail", pk=opportunity.pk)


@staff_required(*COORDINATING)
@require_POST
def staff_channel(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for_staff(request.user, organisation, pk)
    form = ChannelForm(request.POST)
    if form.is_valid():
        services.record_channel(actor=request.user, opportunity=opportunity, **form.cleaned_data)
        messages.success(request, _("Channel recorded."))
    else:
        messages.error(request, _("Choose a channel and a real date."))
    return redirect("opportunities:staff_detail", pk=opportunity.pk)


@staff_required(*COORDINATING)
def staff_selection(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for_staff(request.user, organisation, pk)
    existing = Selection.objects.filter(opportunity=opportunity).first()
    initial = {}
    if existing:
        initial = {
            f: getattr(existing, f)
            for f in ("method", "adaptations", "criteria_co_produced", "observer_present", "observer_name")
        }
    form = SelectionForm(request.POST if "method" in request.POST else None, initial=initial)
    criterion_form = CriterionForm(request.POST if "text" in request.POST else None, prefix="criterion")
    if request.method == "POST" and "method" in request.POST and form.is_valid():
        try:
            services.record_selection(actor=request.user, opportunity=opportunity, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Selection recorded."))
            return redirect("opportunities:staff_selection", pk=opportunity.pk)
    if request.method == "POST" and "criterion-text" in request.POST:
        criterion_form = CriterionForm(request.POST, prefix="criterion")
        if criterion_form.is_valid():
            services.add_criterion(actor=request.user, opportunity=opportunity, **criterion_form.cleaned_data)
            messages.success(request, _("Criterion added."))
            return redirect("opportunities:staff_selection", pk=opportunity.pk)
    criteria = list(opportunity.criteria.all())
    applications = list(selectors.applications_for(opportunity).prefetch_related("scores"))
    return render(
        request,
        "opportunities/staff_selection.html",
        {
            "opportunity": opportunity,
            "form": form,
            "criterion_form": criterion_form,
            "criteria": criteria,
            "applications": applications,
        },
    )


@staff_required(*COORDINATING)
def staff_draw(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for_staff(request.user, organisation, pk)
    pool = list(selectors.in_the_draw(opportunity))
    form = DrawForm(request.POST or None, initial={"places": opportunity.places})
    form.fields["under_represented"].choices = [(str(a.person_id), a.person.full_name) for a in pool]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record = services.run_draw(
                actor=request.user,
                opportunity=opportunity,
                places=d["places"],
                strata_by=d["strata_by"],
                seed=d["seed"] or None,
                under_represented_ids=[int(x) for x in d["under_represented"]],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Draw made. Its seed is %(seed)s: anyone can repeat it.") % {"seed": record.seed}
            )
            return redirect("opportunities:staff_draw_record", pk=record.pk)
    return render(
        request,
        "opportunities/staff_draw.html",
        {
            "opportunity": opportunity,
            "form": form,
            "pool": pool,
            "marked": UnderRepresentedTag.objects.filter(organisation=organisation).select_related("tag"),
        },
    )


def _draw_record_page(request: AuthedRequest, record: Draw, check: Any = None) -> HttpResponse:
    names = selectors.names_in_draw(record)
    result = record.result if isinstance(record.result, dict) else {}
    inputs = record.inputs if isinstance(record.inputs, dict) else {}
    candidates = inputs.get("candidates")
    differences = []
    if check is not None:
        differences = [
            {
                "label": d.label,
                "recorded": selectors.describe_draw_part(d.part, d.recorded, names),
                "recomputed": selectors.describe_draw_part(d.part, d.recomputed, names),
            }
            for d in check.differences
        ]
    return render(
        request,
        "opportunities/staff_draw_record.html",
        {
            "record": record,
            "opportunity": record.opportunity,
            "people_in_draw": len(candidates) if isinstance(candidates, list) else None,
            "strata": selectors.describe_draw_part("strata_by", result.get("strata_by"), names),
            "quotas": selectors.describe_draw_part("quotas", result.get("quotas"), names),
            "selected": selectors.describe_draw_part("selected", result.get("selected"), names),
            "waiting_list": selectors.describe_draw_part("waiting_list", result.get("waiting_list"), names),
            "check": check,
            "differences": differences,
        },
    )


@staff_required(*SEEING_WORK)
def staff_draw_record(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """A finished draw as recorded: its seed, what it drew among and what it gave, with a way to check it."""
    return _draw_record_page(request, selectors.draw_for_staff(request.user, organisation, pk))


@staff_required(*SEEING_WORK)
def staff_draw_check(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Re-run a recorded draw and show whether its recorded result matches, or what differs."""
    record = selectors.draw_for_staff(request.user, organisation, pk)
    return _draw_record_page(request, record, selectors.check_draw(record))


@staff_required(*SEEING_WORK)
def staff_application(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("person", "opportunity"), pk=pk, opportunity__organisation=organisation
    )
    # The applicant's details are shown only while they share them with this organisation.
    person = people_selectors.person_for_staff(request.user, organisation, application.person_id)
    opportunity = application.opportunity
    status_form = StatusForm(request.POST if "status" in request.POST else None)
    feedback_form = FeedbackForm(request.POST if "feedback" in request.POST else None)
    criteria = list(opportunity.criteria.all())
    score_form = ScoreForm(request.POST if "panel_member" in request.POST else None, criteria=criteria)
    can_edit = has_role(request.user, organisation, *COORDINATING)
    if request.method == "POST" and not can_edit:
        raise Http404
    if request.method == "POST" and "status" in request.POST and status_form.is_valid():
        try:
            services.move_application(actor=request.user, application=application, **status_form.cleaned_data)
        except ValidationError as error:
            attach_errors(status_form, error)
        else:
            messages.success(
                request, _("Application moved to: %(status)s.") % {"status": application.get_status_display()}
            )
            return redirect("opportunities:staff_application", pk=application.pk)
    if request.method == "POST" and "feedback" in request.POST and feedback_form.is_valid():
        services.give_feedback(actor=request.user, application=application, **feedback_form.cleaned_data)
        messages.success(request, _("Feedback sent by the person's chosen way of contact."))
        return redirect("opportunities:staff_application", pk=application.pk)
    if request.method == "POST" and "panel_member" in request.POST and score_form.is_valid():
        for c in criteria:
            value = score_form.cleaned_data.get(f"score_{c.pk}")
            if value is not None:
                services.record_score(
                    actor=request.user,
                    application=application,
                    criterion=c,
                    panel_member=score_form.cleaned_data["panel_member"],
                    score=value,
                )
        messages.success(request, _("Scores recorded."))
        return redirect("opportunities:staff_application", pk=application.pk)
    return render(
        request,
        "opportunities/staff_application.html",
        {
            "application": application,
            "person": person,
            "opportunity": opportunity,
            "status_form": status_form,
            "feedback_form": feedback_form,
            "score_form": score_form,
            "criteria": criteria,
            "can_edit": can_edit,
            "scores": application.scores.select_related("criterion"),
            "missing": selectors.missing_requirements(person, opportunity, group=opportunity.group),
        },
    )


@staff_required(*COORDINATING)
def staff_appoint(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("person", "opportunity"), pk=pk, opportunity__organisation=organisation
    )
    person = people_selectors.person_for_staff(request.user, organisation, application.person_id)
    people = people_selectors.people_for_staff(request.user, organisation).exclude(pk=person.pk)
    initial = {"group": application.opportunity.group_id, "term_start": application.opportunity.starts_on}
    form = AppointForm(request.POST or None, organisation=organisation, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.appoint(
                actor=request.user, person=person, opportunity=application.opportunity, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(name)s is appointed.") % {"name": person.display_name})
            return redirect("opportunities:staff_detail", pk=application.opportunity_id)
    return render(
        request,
        "opportunities/staff_appoint.html",
        {
            "form": form,
            "application": application,
            "person": person,
            "missing": selectors.missing_requirements(
                person, application.opportunity, group=application.opportunity.group
            ),
        },
    )


DASHBOARD_TERMS = 20  # the soonest terms ending the dashboard names; it counts the rest


@staff_required(*SEEING_WORK)
def dashboard(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "opportunities/dashboard.html",
        {
            "organisation": organisation,
            "warnings": group_selectors.succession_warnings(organisation, today=today, limit=DASHBOARD_TERMS),
            "terms_ending": group_selectors.terms_ending_count(organisation, today=today),
            "terms_shown": DASHBOARD_TERMS,
            "concentration": selectors.concentration(organisation, today=today),
            "single_voice": group_selectors.single_voice_groups(organisation),
            "new_referrals": Referral.objects.filter(organisation=organisation, status=Referral.Status.NEW).count(),
            "open_count": Opportunity.objects.open().filter(organisation=organisation).count(),
        },
    )


@staff_required(*ADMINISTERING)
def pathway_defaults(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    defaults = selectors.level_defaults(organisation)
    level = request.POST.get("level") or request.GET.get("level")
    form = None
    if level and level.isdigit() and int(level) in defaults:
        d = defaults[int(level)]
        form = LevelDefaultForm(
            request.POST or None,
            initial={
                "time_commitment": d.time_commitment,
                "application_process": d.application_process,
                "reward": d.reward,
            },
        )
        if request.method == "POST" and form.is_valid():
            services.set_level_default(
                actor=request.user, organisation=organisation, level=int(level), **form.cleaned_data
            )
            messages.success(request, _("Default saved."))
            return redirect("opportunities:pathway_defaults")
    return render(
        request,
        "opportunities/pathway_defaults.html",
        {
            "defaults": defaults,
            "form": form,
            "level": int(level) if level and level.isdigit() else None,
            "levels": dict(Level.choices),
        },
    )


@staff_required(*COORDINATING)
def under_represented(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    marked = [u.tag_id for u in UnderRepresentedTag.objects.filter(organisation=organisation)]
    form = UnderRepresentedForm(request.POST or None, initial={"tags": marked})
    if request.method == "POST" and form.is_valid():
        services.set_under_represented(actor=request.user, organisation=organisation, tags=form.cleaned_data["tags"])
        messages.success(request, _("Saved."))
        return redirect("opportunities:under_represented")
    return render(request, "opportunities/under_represented.html", {"form": form})


@staff_required(*COORDINATING)
def referrals(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    if request.method == "POST":
        referral = get_object_or_404(Referral, pk=request.POST.get("referral"), organisation=organisation)
        try:
            services.update_referral(actor=request.user, referral=referral, status=request.POST.get("status", ""))
        except ValidationError:
            messages.error(request, _("Choose a status from the list."))
        return redirect("opportunities:referrals")
    return render(
        request,
        "opportunities/referrals.html",
        {
            "referrals": Referral.objects.filter(organisation=organisation),
            "statuses": Referral.Status.choices,
            "refer_url": request.build_absolute_uri(reverse("opportunities:refer", args=[organisation.slug])),
        },
    )
