"""Reads of surveys and evaluations: who may answer, what staff see, and the results the page, API and CSV share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from allauth.core import ratelimit
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role, small_number_threshold
from withus.groups.models import Appointment, Group
from withus.meetings.models import Attendance, Session
from withus.people import selectors as people_selectors
from withus.people.models import ExitInterview, Person

from . import rules
from .models import AnswerItem, Question, Respondent, Survey, SurveyAnswer, Theme


def surveys_for_staff(user: Any, organisation: Organisation) -> QuerySet[Survey]:
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return Survey.objects.filter(organisation=organisation)


def survey_for_staff(user: Any, organisation: Organisation, pk: int) -> Survey:
    try:
        return surveys_for_staff(user, organisation).get(pk=pk)
    except Survey.DoesNotExist:
        raise Http404 from None


def survey_for_person(person: Person, pk: int) -> Survey:
    """A survey the person may answer (404 otherwise: whether it exists is not theirs to know)."""
    survey = Survey.objects.filter(pk=pk).select_related("organisation").first()
    if survey is None or not may_answer(person, survey):
        raise Http404
    return survey


def groups_of(organisation: Organisation) -> QuerySet[Group]:
    return Group.objects.filter(organisation=organisation)


def people_by_ids(organisation: Organisation, ids: Iterable[int]) -> list[Person]:
    """The people named by id; the service refuses any who do not share their details with the organisation."""
    return list(Person.objects.filter(pk__in=list(ids)))


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("options"))


def question_shapes(questions: Iterable[Question]) -> list[rules.QuestionShape]:
    return [
        rules.QuestionShape(
            id=q.pk,
            kind=q.kind,
            required=q.required,
            option_ids=tuple(o.pk for o in q.options.all()),
            scale_max=q.scale_max,
        )
        for q in questions
    ]


def may_answer(person: Person | None, survey: Survey, *, today: date | None = None) -> bool:
    """Whether ``person`` (None: a visitor who has not signed in) is among those the survey asks."""
    if survey.kind == Survey.Kind.EVALUATION_DEFAULT:
        return False
    if survey.audience == Survey.Audience.PUBLIC:
        return True
    if person is None:
        return False
    if survey.audience == Survey.Audience.MEMBERS:
        return people_selectors.shares_with(person, survey.organisation)
    if survey.audience == Survey.Audience.GROUP:
        today = today or timezone.localdate()
        return (
            survey.group_id is not None
            and Appointment.objects.filter(
                group_id=survey.group_id,
                person=person,
                ended_on__isnull=True,
                term_start__lte=today,
                planned_end__gte=today,
            ).exists()
        )
    if survey.audience == Survey.Audience.ATTENDEES:
        return (
            survey.session_id is not None
            and Attendance.objects.filter(
                session_id=survey.session_id, person=person, status=Attendance.Status.ATTENDED
            ).exists()
        )
    return False


def has_answered(person: Person, survey: Survey) -> bool:
    return Respondent.objects.filter(survey=survey, person=person).exists()


def open_for(person: Person, *, today: date | None = None) -> list[tuple[Survey, bool]]:
    """Open surveys and evaluations that ask ``person``, each with whether they have answered it.

    A handful of queries whatever the number of surveys: the candidates are read once and
    the person's organisations, seats, attendance and answers are read once each.
    """
    today = today or timezone.localdate()
    shared = set(people_selectors.organisations_shared_with(person).values_list("pk", flat=True))
    groups = set(
        Appointment.objects.filter(
            person=person, ended_on__isnull=True, term_start__lte=today, planned_end__gte=today
        ).values_list("group_id", flat=True)
    )
    attended = set(
        Attendance.objects.filter(person=person, status=Attendance.Status.ATTENDED).values_list("session_id", flat=True)
    )
    answered = set(Respondent.objects.filter(person=person).values_list("survey_id", flat=True))
    candidates = (
        Survey.objects.filter(status=Survey.Status.OPEN)
        .filter(
            Q(audience=Survey.Audience.MEMBERS, organisation_id__in=shared)
            | Q(audience=Survey.Audience.GROUP, group_id__in=groups)
            | Q(audience=Survey.Audience.ATTENDEES, session_id__in=attended)
        )
        .select_related("organisation", "session")
        .order_by("-opened_on", "-pk")
    )
    return [(s, s.pk in answered) for s in candidates]


def evaluations_after(session: Session, person: Person) -> list[tuple[str, str]]:
    """The session's open evaluations the member attended and has not answered, as (text, address) for their
    debrief (``meetings.selectors.after_debrief``). Two queries."""
    if not Attendance.objects.filter(session=session, person=person, status=Attendance.Status.ATTENDED).exists():
        return []
    found = Survey.objects.filter(
        session=session, kind=Survey.Kind.EVALUATION, status=Survey.Status.OPEN, audience=Survey.Audience.ATTENDEES
    ).exclude(respondents__person=person)
    return [
        (
            gettext("Tell us what you thought of the session: %(title)s") % {"title": str(survey)},
            reverse("impact:survey_answer", args=[survey.pk]),
        )
        for survey in found.order_by("pk")
    ]


def open_survey_by_key(key: str) -> Survey:
    """A public survey from its link, whatever its status (the page says when it is closed)."""
    public = Survey.objects.filter(audience=Survey.Audience.PUBLIC).select_related("organisation")
    found = public.filter(public_key=key).first()
    if found is None:
        raise Http404
    return found


# ACCOUNT_RATE_LIMITS names the limit: answers to public surveys sent from one address in an hour, on the web
# and the API together, so that a program cannot fill a public survey with made-up answers.
PUBLIC_ANSWER_RATE_ACTION = "withus_survey_answer"
ANSWERED_TOO_OFTEN = gettext_lazy(
    "Many answers have been sent from here in the last hour. Nothing you typed is lost: try again later."
)


def may_answer_publicly(request: HttpRequest) -> bool:
    """Whether this address may send one more answer to a public survey now (counting this one when it may)."""
    try:
        return bool(ratelimit.consume(request, action=PUBLIC_ANSWER_RATE_ACTION))
    except PermissionDenied:
        # allauth cannot tell where the request came from, so cannot count: refuse, as if over the limit.
        return False


def results_visible(survey: Survey) -> bool:
    """Whether results may be shown now: always once closed, while open only if decided so beforehand."""
    if survey.status == Survey.Status.CLOSED:
        return True
    return survey.status == Survey.Status.OPEN and survey.results_shown == Survey.ResultsShown.WHILE_OPEN


@dataclass
class ResultRow:
    label: str
    cells: dict[str, int | None]
    total: int | None

    @property
    def in_order(self) -> list[int | None]:
        """The cells in the perspectives' order, then the total: one table row."""
        return [*(self.cells[p] for p in rules.PERSPECTIVES), self.total]


@dataclass
class TextAnswer:
    item_id: str
    text: str
    perspective: str
    themes: list[Theme]
    on_paper: bool


@dataclass
class QuestionResult:
    question: Question
    rows: list[ResultRow] = field(default_factory=list)
    texts: dict[str, list[TextAnswer]] = field(default_factory=dict)

    @property
    def text_groups(self) -> list[tuple[str, list[TextAnswer]]]:
        """The free-text answers under each perspective's heading, service users first."""
        return [(label, self.texts[p]) for p, label in rules.perspective_labels() if p in self.texts]


@dataclass
class Results:
    survey: Survey
    threshold: int
    visible: bool
    answers: ResultRow
    questions: list[QuestionResult]
    themes: list[Theme]


def results(survey: Survey, *, threshold: int | None = None, with_texts: bool = True) -> Results:
    """The survey's results with service user, carer and other answers apart and small numbers hidden.

    Every option of a several-choice question is counted on its own; every free-text
    answer is there to read, with its themes. The same whatever the number of answers:
    the questions, their options, one grouped count, the answers by perspective, the
    free texts and their themes are each one query. When results may not be shown yet
    (see ``results_visible``) only the number of answers is given.
    """
    threshold = threshold if threshold is not None else small_number_threshold(survey.organisation)
    by_perspective = dict(
        SurveyAnswer.objects.filter(survey=survey).values_list("perspective").annotate(n=Count("id")).order_by()
    )
    cells, total = rules.shown_row(by_perspective, threshold)
    answers = ResultRow(label="", cells=cells, total=total)
    visible = results_visible(survey)
    questions = questions_of(survey)
    if not visible:
        return Results(survey, threshold, False, answers, [QuestionResult(q) for q in questions], [])
    counts: dict[tuple[int, int | None, int | None], dict[str, int]] = defaultdict(dict)
    grouped = (
        AnswerItem.objects.filter(answer__survey=survey)
        .exclude(option__isnull=True, scale__isnull=True)
        .values_list("question_id", "option_id", "scale", "answer__perspective")
        .annotate(n=Count("id"))
        .order_by()
    )
    for question_id, option_id, scale, perspective, n in grouped:
        counts[(question_id, option_id, scale)][perspective] = n
    texts: dict[int, dict[str, list[TextAnswer]]] = defaultdict(lambda: defaultdict(list))
    items = (
        AnswerItem.objects.filter(answer__survey=survey, option__isnull=True, scale__isnull=True)
        .exclude(text="")
        .select_related("answer")
        .prefetch_related("themes")
        .order_by("text")
    )
    for item in items if with_texts else []:
        texts[item.question_id][item.answer.perspective].append(
            TextAnswer(str(item.pk), item.text, item.answer.perspective, list(item.themes.all()), item.answer.on_paper)
        )
    out = []
    for q in questions:
        result = QuestionResult(q)
        if q.has_options:
            for option in q.options.all():
                row_cells, row_total = rules.shown_row(counts.get((q.pk, option.pk, None), {}), threshold)
                result.rows.append(ResultRow(str(option), row_cells, row_total))
        elif q.kind == Question.Kind.SCALE:
            for point in range(1, q.scale_max + 1):
                row_cells, row_total = rules.shown_row(counts.get((q.pk, None, point), {}), threshold)
                result.rows.append(ResultRow(str(point), row_cells, row_total))
        else:
            result.texts = {p: texts[q.pk][p] for p in rules.PERSPECTIVES if texts[q.pk].get(p)}
        out.append(result)
    return Results(survey, threshold, True, answers, out, list(survey.themes.all()))


def exit_interview_texts(organisation: Organisation) -> list[tuple[str, str]]:
    """What leavers said went well and could have been better, without their names, for evaluation results.

    Exit interviews stay in the people app; this only reads the completed ones of
    people who share their details with the organisation.
    """
    interviews = ExitInterview.objects.filter(
        completed_at__isnull=False, person__in=people_selectors.people_sharing_with(organisation).values("pk")
    ).order_by("went_well", "could_be_better")
    out: list[tuple[str, str]] = []
    for interview in interviews.only("went_well", "could_be_better"):
        if interview.went_well.strip():
            out.append(("went_well", interview.went_well.strip()))
        if interview.could_be_better.strip():
            out.append(("could_be_better", interview.could_be_better.strip()))
    return out


def evaluations_over_time(organisation: Organisation) -> QuerySet[Survey]:
    """Every evaluation after a session, newest session first, with its session and the number of answers."""
    return (
        Survey.objects.filter(organisation=organisation, kind=Survey.Kind.EVALUATION)
        .select_related("session")
        .annotate(answer_count=Count("answers"))
        .order_by("-session__starts_at", "-pk")
    )


@dataclass
class TrendRow:
    month: date
    question: str
    option: str
    cells: dict[str, int | None]
    total: int | None

    @property
    def in_order(self) -> list[int | None]:
        return [*(self.cells[p] for p in rules.PERSPECTIVES), self.total]


def evaluation_trend(organisation: Organisation, *, threshold: int) -> list[TrendRow]:
    """How the choice questions of every evaluation were answered, month by month, perspectives apart (one query).

    Questions are matched by their wording, so a question the organisation rewords
    starts a new line; small numbers are hidden as everywhere else.
    """
    grouped = (
        AnswerItem.objects.filter(
            answer__survey__organisation=organisation,
            answer__survey__kind=Survey.Kind.EVALUATION,
            option__isnull=False,
        )
        .annotate(month=TruncMonth("answer__answered_on"))
        .values_list("month", "question__text", "option__text", "option__position", "answer__perspective")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[date, str, int, str], dict[str, int]] = defaultdict(dict)
    for month, question, option, position, perspective, n in grouped:
        counts[(month, question, position, option)][perspective] = n
    rows = []
    for (month, question, _position, option), by in sorted(
        counts.items(), key=lambda kv: (-kv[0][0].toordinal(), kv[0][1], kv[0][2])
    ):
        cells, total = rules.shown_row(by, threshold)
        rows.append(TrendRow(month, question, option, cells, total))
    return rows
