"""Pages for surveys and evaluations: coordinators build, open, close and read them; members and the public answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.accounts.selectors import has_role, small_number_threshold
from withus.core import spreadsheets
from withus.core.forms import attach_errors
from withus.meetings import selectors as meetings_selectors
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import documents, rules, selectors, services
from .forms import AnswerForm, QuestionForm, SurveyForm, ThemeForm
from .models import Question, Survey


@staff_required(*SEEING_WORK)
def survey_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    surveys = selectors.surveys_for_staff(request.user, organisation).exclude(kind=Survey.Kind.EVALUATION)
    return render(
        request,
        "impact/surveys/list.html",
        {
            "surveys": list(surveys.order_by("kind", "-created_at", "-pk")),
            "can_edit": has_role(request.user, organisation, *COORDINATING),
        },
    )


@staff_required(*COORDINATING)
def survey_form(request: AuthedRequest, organisation: Organisation, pk: int | None = None) -> HttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk) if pk is not None else None
    form = SurveyForm(request.POST or None, instance=survey, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_survey(
                actor=request.user,
                organisation=organisation,
                fields=form.service_fields(),
                co_designers=form.cleaned_data["co_designers"],
                survey=survey,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("impact:survey_detail", saved.pk)
    return render(request, "impact/surveys/form.html", {"form": form, "survey": survey})


def _detail(request: AuthedRequest, survey: Survey, question_form: QuestionForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "impact/surveys/detail.html",
        {
            "survey": survey,
            "questions": selectors.questions_of(survey),
            "question_form": question_form,
            "can_edit": has_role(request.user, survey.organisation, *COORDINATING),
            "co_designers": list(survey.co_designers.all()),
            "public_url": request.build_absolute_uri(reverse("impact:survey_public", args=[survey.public_key])),
            "answer_count": survey.answers.count(),
        },
        status=status,
    )


@staff_required(*SEEING_WORK)
def survey_detail(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    return _detail(request, survey, QuestionForm())


@staff_required(*COORDINATING)
@require_POST
def survey_question_new(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_question(actor=request.user, survey=survey, **form.service_fields())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("impact:survey_detail", survey.pk)
    return _detail(request, survey, form, status=400)


def _question(request: AuthedRequest, organisation: Organisation, pk: int, question: int) -> Question:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    found = survey.questions.filter(pk=question).select_related("survey__organisation").first()
    if found is None:
        raise Http404
    return found


@staff_required(*COORDINATING)
@require_POST
def survey_question_change(request: AuthedRequest, organisation: Organisation, pk: int, question: int) -> HttpResponse:
    found = _question(request, organisation, pk, question)
    try:
        if request.POST.get("do") == "remove":
            services.remove_question(actor=request.user, question=found)
            messages.success(request, _("The question is taken out."))
        else:
            services.move_question(actor=request.user, question=found, up=request.POST.get("do") == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("impact:survey_detail", pk)


@staff_required(*COORDINATING)
@require_POST
def survey_status(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    try:
        if request.POST.get("do") == "close":
            services.close_survey(actor=request.user, survey=survey)
            messages.success(request, _("The survey is closed: it takes no more answers."))
        else:
            services.open_survey(actor=request.user, survey=survey)
            messages.success(request, _("The survey is open for answers."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("impact:survey_detail", survey.pk)


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    if asked in ("cy", "en"):
        return asked
    return "cy" if get_language() == "cy" else "en"


@staff_required(*SEEING_WORK)
def survey_paper(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    language = _language(request)
    response = HttpResponse(documents.paper_pdf(survey, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="survey-{survey.pk}-{language}.pdf"'
    response["Content-Language"] = language
    return response


def _answer_page(
    request: HttpRequest,
    survey: Survey,
    *,
    person: Person | None,
    on_paper: bool = False,
    done_url: str,
    template: str = "impact/surveys/answer.html",
    limited: bool = False,
) -> HttpResponse:
    """Show the survey's form with a fresh one-time token, or take an answer to it.

    ``limited``: answers count against the limit per address for answering without signing in.
    """
    questions = selectors.questions_of(survey)
    context: dict[str, Any] = {"survey": survey, "on_paper": on_paper, "person": person}
    if not survey.is_open:
        return render(request, template, {**context, "closed": True}, status=410 if request.method == "POST" else 200)
    if person is not None and selectors.has_answered(person, survey):
        return render(request, template, {**context, "answered": True})
    perspective = rules.perspective_of(person.perspective) if person is not None else ""
    form = AnswerForm(request.POST or None, survey=survey, questions=questions, perspective=perspective)
    status = 200
    if request.method == "POST" and form.is_valid() and limited and not selectors.may_answer_publicly(request):
        form.add_error(None, str(selectors.ANSWERED_TOO_OFTEN))
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            services.submit_answer(
                survey=survey,
                token=form.cleaned_data["token"],
                values=form.values(),
                perspective=form.cleaned_data["perspective"],
                person=person,
                on_paper=on_paper,
                entered_by=request.user if on_paper else None,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The paper answer is saved.") if on_paper else _("Thank you: your answer is saved."),
            )
            return redirect(done_url)
    if not form.is_bound:
        # A fresh one-time token for this form; a form sent back with mistakes keeps its own (not yet spent).
        form.initial["token"] = services.issue_token(survey=survey)
    return render(
        request, template, {**context, "form": form}, status=status if status != 200 else 400 if form.errors else 200
    )


@staff_required(*COORDINATING)
def survey_paper_entry(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    return _answer_page(
        request, survey, person=None, on_paper=True, done_url=reverse("impact:survey_paper_entry", args=[survey.pk])
    )


@staff_required(*SEEING_WORK)
def survey_results(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    found = selectors.results(survey)
    return render(
        request,
        "impact/surveys/results.html",
        {
            "results": found,
            "survey": survey,
            "perspectives": rules.perspective_labels(),
            "columns": [label for _p, label in rules.perspective_labels()] + [_("All")],
            "can_tag": has_role(request.user, organisation, *COORDINATING),
            "theme_form": ThemeForm(),
        },
    )


@staff_required(*SEEING_WORK)
def survey_results_csv(request: AuthedRequest, organisation: Organisation, pk: int) -> StreamingHttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    response = StreamingHttpResponse(documents.results_csv(survey), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{documents.results_filename(survey)}"'
    return response


@staff_required(*SEEING_WORK)
def survey_results_xlsx(request: AuthedRequest, organisation: Organisation, pk: int) -> FileResponse:
    """The same results as the CSV, as an Excel workbook (counts as numbers, small ones held back)."""
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    return FileResponse(
        documents.results_xlsx(survey),
        as_attachment=True,
        filename=documents.results_filename(survey, "xlsx"),
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
    )


@staff_required(*COORDINATING)
@require_POST
def survey_theme(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    survey = selectors.survey_for_staff(request.user, organisation, pk)
    form = ThemeForm(request.POST)
    if request.POST.get("remove"):
        try:
            theme_id = int(request.POST["remove"])
        except ValueError:
            theme_id = 0
        services.untag_theme(actor=request.user, survey=survey, item_id=request.POST.get("item", ""), theme_id=theme_id)
        return redirect("impact:survey_results", survey.pk)
    if form.is_valid():
        try:
            services.tag_theme(
                actor=request.user, survey=survey, item_id=form.cleaned_data["item"], theme=form.cleaned_data["theme"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Write the theme."))
    return redirect("impact:survey_results", survey.pk)


@login_required
def survey_mine(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    return render(request, "impact/surveys/mine.html", {"surveys": selectors.open_for(person)})


@login_required
def survey_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    survey = selectors.survey_for_person(person, pk)
    return _answer_page(request, survey, person=person, done_url=reverse("impact:survey_mine"))


def survey_public(request: HttpRequest, key: str) -> HttpResponse:
    """A public survey, answered without signing in; each visit's form carries its own one-time token."""
    survey = selectors.open_survey_by_key(key)
    return _answer_page(
        request,
        survey,
        person=None,
        done_url=reverse("impact:survey_public_thanks", args=[key]),
        template="impact/surveys/public.html",
        limited=True,
    )


def survey_public_thanks(request: HttpRequest, key: str) -> HttpResponse:
    survey = selectors.open_survey_by_key(key)
    return render(request, "impact/surveys/public.html", {"survey": survey, "thanks": True})


@staff_required(*COORDINATING)
def evaluation_form(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's evaluation form, made from the default set the first time, to adapt with members."""
    form = services.evaluation_form(actor=request.user, organisation=organisation)
    return redirect("impact:survey_detail", form.pk)


@staff_required(*COORDINATING)
@require_POST
def evaluation_offer(request: AuthedRequest, organisation: Organisation, session: int) -> HttpResponse:
    found = meetings_selectors.session_for_staff(request.user, organisation, session)
    try:
        evaluation = services.offer_evaluation(actor=request.user, session=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("impact:evaluation_list")
    messages.success(request, _("The evaluation is open to those who attended."))
    return redirect("impact:survey_detail", evaluation.pk)


@staff_required(*SEEING_WORK)
def evaluation_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Evaluations per activity and over time, and what leavers said in their exit interviews."""
    threshold = small_number_threshold(organisation)
    evaluations = list(selectors.evaluations_over_time(organisation))
    return render(
        request,
        "impact/surveys/evaluations.html",
        {
            "evaluations": [(e, rules.shown_count(getattr(e, "answer_count", 0), threshold)) for e in evaluations],
            "threshold": threshold,
            "over_time": selectors.evaluation_trend(organisation, threshold=threshold),
            "perspectives": rules.perspective_labels(),
            "columns": [label for _p, label in rules.perspective_labels()] + [_("All")],
            "exit_texts": selectors.exit_interview_texts(organisation),
            "sessions": list(
                meetings_selectors.sessions_for_staff(request.user, organisation)
                .exclude(evaluations__kind=Survey.Kind.EVALUATION)
                .filter(attendance__status="attended")
                .distinct()
                .order_by("-starts_at")[:20]
            ),
            "can_edit": has_role(request.user, organisation, *COORDINATING),
        },
    )
