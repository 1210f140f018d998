"""Pages for the training catalogue, the sessions that run courses, logged learning and a member's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.groups.models import Group
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors

from . import rules, selectors, services
from .forms import CourseForm, DecisionForm, LogLearningForm, RequirementForm, RunAsSessionForm
from .models import Course, RequiredTraining

# ---- Staff: the catalogue -----------------------------------------------------------------------


@staff_required(*SEEING_WORK)
def catalogue(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    courses = selectors.catalogue(organisation)
    have = {course.topic for course, _run in courses}
    return render(
        request,
        "support/training/catalogue.html",
        {
            "courses": courses,
            "suggestions": [s for s in rules.SUGGESTED_COURSES if s.topic not in have],
            "can_edit": has_role(request.user, organisation, *COORDINATING),
            "waiting": selectors.waiting_for_approval(request.user, organisation).count(),
        },
    )


@staff_required(*COORDINATING)
@require_POST
def add_suggested(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    try:
        course = services.add_suggested_course(
            actor=request.user, organisation=organisation, topic=request.POST.get("topic", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("support:training_catalogue")
    messages.success(request, _("“%(course)s” is in your catalogue. Check its details.") % {"course": course})
    return redirect("support:training_edit", pk=course.pk)


@staff_required(*COORDINATING)
def course_form(request: AuthedRequest, organisation: Organisation, pk: int | None = None) -> HttpResponse:
    course = selectors.course_for_staff(request.user, organisation, pk) if pk is not None else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_course(
                actor=request.user, organisation=organisation, fields=form.service_fields(), course=course
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The course is saved."))
            return redirect("support:training_course", pk=saved.pk)
    return render(request, "support/training/course_form.html", {"form": form, "course": course})


@staff_required(*SEEING_WORK)
def course(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.course_for_staff(request.user, organisation, pk)
    can_edit = has_role(request.user, organisation, *COORDINATING)
    run_form = RunAsSessionForm(sessions=selectors.sessions_to_run(found))
    requirement_form = RequirementForm(
        opportunities=Opportunity.objects.filter(organisation=organisation).order_by("title"),
        groups=Group.objects.filter(organisation=organisation),
    )
    return _course_page(request, found, can_edit, run_form, requirement_form)


def _course_page(
    request: AuthedRequest,
    course: Course,
    can_edit: bool,
    run_form: RunAsSessionForm,
    requirement_form: RequirementForm,
) -> HttpResponse:
    return render(
        request,
        "support/training/course.html",
        {
            "course": course,
            "runs": selectors.runs_of(course),
            "completed": selectors.completed_course(course),
            "requirements": course.required_for.select_related("opportunity", "group"),
            "can_edit": can_edit,
            "run_form": run_form,
            "requirement_form": requirement_form,
            "form": run_form if run_form.errors else requirement_form,
        },
    )


@staff_required(*COORDINATING)
@require_POST
def run_as_session(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.course_for_staff(request.user, organisation, pk)
    form = RunAsSessionForm(request.POST, sessions=selectors.sessions_to_run(found))
    if form.is_valid():
        try:
            services.run_as_session(actor=request.user, course=found, session=form.cleaned_data["session"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The session runs this course: attending it completes the course."))
            return redirect("support:training_course", pk=found.pk)
    requirement_form = RequirementForm(
        opportunities=Opportunity.objects.filter(organisation=organisation).order_by("title"),
        groups=Group.objects.filter(organisation=organisation),
    )
    return _course_page(request, found, True, form, requirement_form)


@staff_required(*COORDINATING)
@require_POST
def add_requirement(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.course_for_staff(request.user, organisation, pk)
    form = RequirementForm(
        request.POST,
        opportunities=Opportunity.objects.filter(organisation=organisation).order_by("title"),
        groups=Group.objects.filter(organisation=organisation),
    )
    if form.is_valid():
        try:
            services.require_training(actor=request.user, course=found, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Nobody can be appointed to that role until they have done this course."))
            return redirect("support:training_course", pk=found.pk)
    return _course_page(request, found, True, RunAsSessionForm(sessions=selectors.sessions_to_run(found)), form)


@staff_required(*COORDINATING)
@require_POST
def remove_requirement(request: AuthedRequest, organisation: Organisation, pk: int, requirement: int) -> HttpResponse:
    found = selectors.course_for_staff(request.user, organisation, pk)
    need = get_object_or_404(RequiredTraining, pk=requirement, course=found)
    services.stop_requiring(actor=request.user, requirement=need)
    messages.success(request, _("That role no longer needs this course."))
    return redirect("support:training_course", pk=found.pk)


# ---- Staff: logged learning ---------------------------------------------------------------------


@staff_required(*SEEING_WORK)
def waiting(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "support/training/waiting.html",
        {
            "records": selectors.waiting_for_approval(request.user, organisation),
            "can_edit": has_role(request.user, organisation, *COORDINATING),
        },
    )


@staff_required(*COORDINATING)
def decide(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    record = selectors.learning_for_staff(request.user, organisation, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_learning(
                actor=request.user,
                record=record,
                approve=form.cleaned_data["approve"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("support:training_waiting")
    return render(request, "support/training/decide.html", {"record": record, "form": form})


@staff_required(*COORDINATING)
def staff_log(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """A coordinator records training someone did elsewhere (it counts at once) and sees their record."""
    person = people_selectors.person_for_staff(request.user, organisation, pk)
    form = LogLearningForm(request.POST or None, courses=Course.objects.filter(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.log_learning(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("support:training_staff_person", pk=person.pk)
    return render(
        request,
        "support/training/staff_person.html",
        {"person": person, "form": form, "record": selectors.record_of(person, organisation=organisation)},
    )


# ---- The member ---------------------------------------------------------------------------------


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    return render(
        request,
        "support/training/mine.html",
        {
            "person": person,
            "record": selectors.record_of(person),
            "logged": selectors.logged_by(person).exclude(status="approved"),
            "today": timezone.localdate(),
        },
    )


@login_required
def log_mine(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    courses = selectors.courses_open_to(person)
    form = LogLearningForm(request.POST or None, courses=courses, name_organisation=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_learning(actor=request.user, person=person, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError({"course": str(error)})
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you. A coordinator will check it, and then it counts."))
            return redirect("support:training_mine")
    return render(request, "support/training/log.html", {"form": form, "has_courses": courses.exists()})
