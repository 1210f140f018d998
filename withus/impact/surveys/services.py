"""Every write about surveys and evaluations: building a question set, opening and closing it, answering it."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.core.audit import acting_as
from withus.groups.models import Group
from withus.meetings.models import Session
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules, selectors
from .models import AnswerItem, AnswerToken, Option, Question, Respondent, Survey, SurveyAnswer, Theme

# One shuffler for every rewrite below, so that a test can put it in a known order.
_shuffle = random.SystemRandom().shuffle

SURVEY_FIELDS = {
    "title",
    "title_cy",
    "introduction",
    "introduction_cy",
    "audience",
    "group",
    "anonymous",
    "results_shown",
}


def _own(survey: Survey, organisation: Organisation) -> None:
    if survey.organisation_id != organisation.pk:
        raise PermissionDenied


@transaction.atomic
def save_survey(
    *,
    actor: User,
    organisation: Organisation,
    fields: Mapping[str, Any],
    co_designers: Iterable[Person] | None = None,
    survey: Survey | None = None,
) -> Survey:
    """Start a survey, or change one still being written; its co-designers must share their details with us.

    Once a survey is open, who is asked, whether it is anonymous and when its results are
    shown are settled: changing them would change the terms people answered on.
    """
    require(actor, organisation, COORDINATING)
    unknown = set(fields) - SURVEY_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if survey is not None:
        _own(survey, organisation)
        settled = {"audience", "group", "anonymous", "results_shown"}
        if survey.status != Survey.Status.DRAFT and any(
            k in fields and fields[k] != getattr(survey, k) for k in settled
        ):
            raise ValidationError(
                _("Who is asked, anonymity and when results are shown cannot change once the survey is open.")
            )
    survey = survey or Survey(organisation=organisation, created_by=actor)
    for name, value in fields.items():
        setattr(survey, name, "" if value is None and name not in ("group",) else value)
    group = fields.get("group", survey.group)
    if isinstance(group, Group) and group.organisation_id != organisation.pk:
        raise ValidationError({"group": _("Choose one of your organisation's groups.")})
    if survey.audience == Survey.Audience.GROUP and survey.group_id is None:
        raise ValidationError({"group": _("Choose the group the survey is for.")})
    if survey.audience != Survey.Audience.GROUP:
        survey.group = None
    with acting_as(actor):
        survey.full_clean()
        survey.save()
        if co_designers is not None:
            people = list(co_designers)
            for person in people:
                people_selectors.person_sharing_with(organisation, person)
            survey.co_designers.set(people)
    return survey


def _editable(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("The questions cannot change once the survey is open: people may have answered."))


@transaction.atomic
def add_question(
    *,
    actor: User,
    survey: Survey,
    kind: str,
    text: str,
    text_cy: str = "",
    required: bool = False,
    options: Iterable[str] = (),
    options_cy: Iterable[str] = (),
    scale_max: int = 5,
    scale_low: str = "",
    scale_high: str = "",
    position: int | None = None,
) -> Question:
    """Add a question at the end (or at ``position``). A choice question needs two options or more."""
    require(actor, survey.organisation, COORDINATING)
    _editable(survey)
    english = [o.strip() for o in options if o.strip()]
    welsh = [o.strip() for o in options_cy]
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Write the question.")
    if kind not in Question.Kind.values:
        errors["kind"] = _("Choose the kind of question.")
    elif kind in (Question.Kind.SINGLE, Question.Kind.SEVERAL) and len(english) < 2:
        errors["options"] = _("Give at least two options, one a line.")
    elif kind == Question.Kind.SCALE and not 2 <= scale_max <= 10:
        errors["scale_max"] = _("A scale runs from 1 to between 2 and 10.")
    if errors:
        raise ValidationError(errors)
    if position is None:
        last = survey.questions.order_by("-position").values_list("position", flat=True).first()
        position = (last or 0) + 1
    with acting_as(actor):
        question = Question.objects.create(
            survey=survey,
            position=position,
            kind=kind,
            text=text.strip(),
            text_cy=text_cy.strip(),
            required=required,
            scale_max=scale_max if kind == Question.Kind.SCALE else 5,
            scale_low=scale_low.strip(),
            scale_high=scale_high.strip(),
        )
        if question.has_options:
            Option.objects.bulk_create(
                Option(question=question, position=i, text=t, text_cy=welsh[i - 1] if i <= len(welsh) else "")
                for i, t in enumerate(english, start=1)
            )
    return question


@transaction.atomic
def remove_question(*, actor: User, question: Question) -> None:
    require(actor, question.survey.organisation, COORDINATING)
    _editable(question.survey)
    question.delete()


@transaction.atomic
def move_question(*, actor: User, question: Question, up: bool) -> None:
    """Swap a question with the one before (or after) it."""
    require(actor, question.survey.organisation, COORDINATING)
    _editable(question.survey)
    questions = list(question.survey.questions.all())
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions, start=1):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)


@transaction.atomic
def open_survey(*, actor: User, survey: Survey, today: date | None = None) -> Survey:
    """Open a survey for answers. Refused (nothing changes) while it has no question."""
    require(actor, survey.organisation, COORDINATING)
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a survey being written can be opened."))
    if survey.kind == Survey.Kind.EVALUATION_DEFAULT:
        raise ValidationError(_("The evaluation form is not answered itself: it is offered after each session."))
    problems = rules.opening_problems(
        question_count=survey.questions.count(),
        audience=survey.audience,
        has_group=survey.group_id is not None,
        has_session=survey.session_id is not None,
    )
    if problems:
        raise ValidationError(problems)
    with acting_as(actor):
        survey.status = Survey.Status.OPEN
        survey.opened_on = today or timezone.localdate()
        survey.save(update_fields=["status", "opened_on"])
    return survey


@transaction.atomic
def close_survey(*, actor: User, survey: Survey, today: date | None = None) -> Survey:
    """Close a survey: no more answers. Its unspent tokens are thrown away."""
    require(actor, survey.organisation, COORDINATING)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    with acting_as(actor):
        survey.status = Survey.Status.CLOSED
        survey.closed_on = today or timezone.localdate()
        survey.save(update_fields=["status", "closed_on"])
    AnswerToken.objects.filter(survey=survey, spent=False).delete()
    if survey.anonymous:
        with disable_auditlog():
            rewrite_answers_in_random_order(survey=survey)
    return survey


def issue_token(*, survey: Survey) -> str:
    """A one-time token for one answer form (a member's, a public visitor's, or a paper one typed in).

    Only its digest is stored, with no person and no time. The form carries the token
    back; ``submit_answer`` spends it with the answer.
    """
    if not survey.is_open:
        raise ValidationError(_("This survey is closed: it takes no more answers."))
    token = secrets.token_urlsafe(24)
    AnswerToken.objects.create(digest=rules.token_digest(token), survey=survey)
    return token


def submit_answer(
    *,
    survey: Survey,
    token: str,
    values: Mapping[int, object],
    perspective: str,
    person: Person | None = None,
    on_paper: bool = False,
    entered_by: User | None = None,
    today: date | None = None,
) -> SurveyAnswer:
    """Store one answer, spending its one-time token in the same transaction.

    Refused, with nothing written, when the survey is closed, the token is unknown or
    spent, the person may not answer it or has already, or an answer breaks the
    questions' rules. For an anonymous survey the answer row holds no person, only the
    day, and the ``Respondent`` mark holds the person but neither the answer nor a time;
    the audit log is off for the whole write, so no entry names the person either. A
    paper answer is typed in by staff (``entered_by``) and never names anyone.
    """
    if not survey.is_open:
        raise ValidationError(_("This survey is closed: it takes no more answers."))
    if on_paper:
        if entered_by is None:
            raise PermissionDenied
        require(entered_by, survey.organisation, COORDINATING)
        person = None
    elif not selectors.may_answer(person, survey):
        raise PermissionDenied(_("This survey is not open to you."))
    questions = selectors.questions_of(survey)
    checked, problems = rules.check_answer(selectors.question_shapes(questions), values, perspective=perspective)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), disable_auditlog():
        fresh = Survey.objects.select_for_update().get(pk=survey.pk)
        if fresh.status != Survey.Status.OPEN:
            raise ValidationError(_("This survey is closed: it takes no more answers."))
        spent = AnswerToken.objects.filter(digest=rules.token_digest(token), survey=survey, spent=False).update(
            spent=True
        )
        if spent != 1:
            raise ValidationError(
                _("This answer form has already been used, so it cannot be sent again. Nothing new was saved.")
            )
        if person is not None:
            _mark, created = Respondent.objects.get_or_create(survey=survey, person=person)
            if not created:
                raise ValidationError(_("You have already answered this survey: each person answers once."))
            if survey.anonymous:
                _shuffle_marks(survey)
        answer = SurveyAnswer.objects.create(
            survey=survey,
            perspective=perspective,
            answered_on=today or timezone.localdate(),
            on_paper=on_paper,
            person=None if survey.anonymous else person,
        )
        items = [
            AnswerItem(answer=answer, question_id=qid, option_id=oid)
            for qid, oids in checked.options.items()
            for oid in oids
        ]
        items += [AnswerItem(answer=answer, question_id=qid, scale=point) for qid, point in checked.scales.items()]
        items += [AnswerItem(answer=answer, question_id=qid, text=text) for qid, text in checked.texts.items()]
        AnswerItem.objects.bulk_create(items)
        if survey.anonymous:
            rewrite_answers_in_random_order(survey=survey, day=answer.answered_on)
    return answer


def rewrite_answers_in_random_order(*, survey: Survey, day: date | None = None) -> int:
    """Write an anonymous survey's answers (of ``day``, or all) again, with their items and themes, shuffled.

    An answer's key is random and its only time is its day, but the database keeps an
    order of its own: SQLite's rowid and PostgreSQL's place in the table (``ctid``) follow
    the order rows were stored in, so the answers of one day would still say who answered
    first. Each anonymous answer rewrites its day's answers (so that order is never
    there to read, even before the daily round), and closing the survey and the daily
    round rewrite all of them. Keys stay the same, so themes and links to an item stay
    right. The caller holds the transaction (and, answering, the survey's lock). Returns
    the number of answers rewritten.
    """
    answers = SurveyAnswer.objects.filter(survey=survey)
    if day is not None:
        answers = answers.filter(answered_on=day)
    kept = list(answers)
    if not kept:
        return 0
    items = list(AnswerItem.objects.filter(answer__in=answers))
    links = AnswerItem.themes.through
    tagged = list(links.objects.filter(answeritem__answer__in=answers).values_list("answeritem_id", "theme_id"))
    for rows in (kept, items, tagged):
        _shuffle(rows)
    links.objects.filter(answeritem__answer__in=answers).delete()
    AnswerItem.objects.filter(answer__in=answers).delete()
    answers.delete()
    SurveyAnswer.objects.bulk_create(kept)
    AnswerItem.objects.bulk_create(items)
    links.objects.bulk_create(links(answeritem_id=item, theme_id=theme) for item, theme in tagged)
    return len(kept)


def daily_shuffle() -> int:
    """The daily round's part for surveys: every open anonymous survey's answers written again, shuffled.

    Each survey in its own transaction, with its row locked so no answer comes in
    meanwhile. Returns how many surveys had answers to rewrite.
    """
    done = 0
    for pk in Survey.objects.filter(status=Survey.Status.OPEN, anonymous=True).values_list("pk", flat=True):
        with transaction.atomic(), disable_auditlog():
            survey = Survey.objects.select_for_update().filter(pk=pk, status=Survey.Status.OPEN).first()
            if survey is not None and rewrite_answers_in_random_order(survey=survey):
                done += 1
    return done


def _shuffle_marks(survey: Survey) -> None:
    """Write the survey's "has answered" marks again, all of them, in a random order.

    Otherwise the mark written with an answer could be matched to it by the database's
    own bookkeeping: the order rows were stored in (SQLite's rowid, PostgreSQL's place
    in the table) or the transaction that wrote them (PostgreSQL's ``xmin``). Rewritten
    in the answer's transaction, every mark carries that transaction and a place that
    says nothing about when its person answered. The survey row is locked, so answers
    to one survey take turns.
    """
    people = list(Respondent.objects.filter(survey=survey).values_list("person_id", flat=True))
    _shuffle(people)
    Respondent.objects.filter(survey=survey).delete()
    Respondent.objects.bulk_create(Respondent(survey=survey, person_id=p) for p in people)


@transaction.atomic
def tag_theme(*, actor: User, survey: Survey, item_id: str, theme: str) -> Theme:
    """Tag a free-text answer with a theme (made when first used)."""
    require(actor, survey.organisation, COORDINATING)
    name = theme.strip()
    if not name:
        raise ValidationError({"theme": _("Write the theme.")})
    if len(name) > 100:
        raise ValidationError({"theme": _("Keep a theme under 100 characters.")})
    item = AnswerItem.objects.filter(pk=item_id, answer__survey=survey, option__isnull=True, scale__isnull=True).first()
    if item is None:
        raise ValidationError(_("That answer is not a free-text answer to this survey."))
    found, _created = Theme.objects.get_or_create(survey=survey, name=name)
    with disable_auditlog():
        item.themes.add(found)
    return found


@transaction.atomic
def untag_theme(*, actor: User, survey: Survey, item_id: str, theme_id: int) -> None:
    require(actor, survey.organisation, COORDINATING)
    item = AnswerItem.objects.filter(pk=item_id, answer__survey=survey).first()
    if item is not None:
        with disable_auditlog():
            item.themes.remove(*Theme.objects.filter(pk=theme_id, survey=survey))


def _both(text: object) -> tuple[str, str]:
    with translation.override("en"):
        english = str(text)
    with translation.override("cy"):
        welsh = str(text)
    return english, welsh


@transaction.atomic
def evaluation_form(*, actor: User, organisation: Organisation) -> Survey:
    """The organisation's evaluation form, made from the default set the first time it is asked for.

    The organisation adapts it with its members (co-designers) like any survey being
    written; each session's evaluation is a copy of it as it is then.
    """
    require(actor, organisation, COORDINATING)
    found = Survey.objects.filter(organisation=organisation, kind=Survey.Kind.EVALUATION_DEFAULT).first()
    if found is not None:
        return found
    title, title_cy = _both(rules.EVALUATION_TITLE)
    form = Survey.objects.create(
        organisation=organisation,
        kind=Survey.Kind.EVALUATION_DEFAULT,
        title=title,
        title_cy=title_cy,
        audience=Survey.Audience.ATTENDEES,
        created_by=actor,
    )
    yes_no = [_both(t) for t in rules.YES_NO]
    for kind, text, required in rules.DEFAULT_EVALUATION:
        english, welsh = _both(text)
        options = list(yes_no) + ([_both(rules.NOT_APPLICABLE)] if kind == "single_yes_no_na" else [])
        add_question(
            actor=actor,
            survey=form,
            kind=Question.Kind.TEXT if kind == "text" else Question.Kind.SINGLE,
            text=english,
            text_cy=welsh,
            required=required,
            options=[e for e, _w in options],
            options_cy=[w for _e, w in options],
        )
    return form


@transaction.atomic
def offer_evaluation(*, actor: User, session: Session, today: date | None = None) -> Survey:
    """Open an evaluation of a session to those who attended it: a copy of the organisation's evaluation form.

    Anonymous to staff, and its results shown once it closes. One evaluation a session.
    """
    organisation = session.organisation
    require(actor, organisation, COORDINATING)
    existing = Survey.objects.filter(session=session, kind=Survey.Kind.EVALUATION).first()
    if existing is not None:
        return existing
    form = evaluation_form(actor=actor, organisation=organisation)
    evaluation = Survey.objects.create(
        organisation=organisation,
        kind=Survey.Kind.EVALUATION,
        title=form.title,
        title_cy=form.title_cy,
        introduction=form.introduction,
        introduction_cy=form.introduction_cy,
        audience=Survey.Audience.ATTENDEES,
        session=session,
        anonymous=True,
        results_shown=Survey.ResultsShown.AFTER_CLOSE,
        created_by=actor,
    )
    for q in selectors.questions_of(form):
        add_question(
            actor=actor,
            survey=evaluation,
            kind=q.kind,
            text=q.text,
            text_cy=q.text_cy,
            required=q.required,
            options=[o.text for o in q.options.all()],
            options_cy=[o.text_cy for o in q.options.all()],
            scale_max=q.scale_max,
            scale_low=q.scale_low,
            scale_high=q.scale_high,
        )
    return open_survey(actor=actor, survey=evaluation, today=today)
