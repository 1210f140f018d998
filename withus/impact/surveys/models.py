"""Consultations, surveys and evaluations after activities (PRODUCT C7; 001 §1.3.9, Appendix 1).

An anonymous survey keeps no link between an answer and the person who gave it: an
``SurveyAnswer`` has no person, no time finer than its day and a random primary key (so the
order of the keys says nothing about the order answers came in); the ``Respondent`` mark
that stops a person answering twice names the person and the survey but not the answer
and carries no time at all; the one-time ``AnswerToken`` spent with the answer names
nobody. None of these models is registered with the audit log, and the service that
writes them turns the audit log off while it does.

What the database keeps on its own is the order rows were stored in (SQLite's rowid,
PostgreSQL's place in the table and ``xmin``). That order says nothing either: the marks
are written again, all of them and shuffled, in each anonymous answer's transaction
(``services._shuffle_marks``), and so are the answers of that day with their items
(``services.rewrite_answers_in_random_order``), again for the whole survey when it
closes and in the daily round. docs/data-protection.md says why this way.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.groups.models import Group
from withus.meetings.models import Session
from withus.people.models import Person


def _shown(english: str, welsh: str) -> str:
    return welsh if get_language() == "cy" and welsh else english


def new_public_key() -> str:
    return secrets.token_urlsafe(12)


class Survey(models.Model):
    """A question set: a consultation or survey, an evaluation after a session, or an organisation's evaluation form."""

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Consultation or survey")
        EVALUATION = "evaluation", _("Evaluation after a session")
        EVALUATION_DEFAULT = "evaluation_default", _("The organisation's evaluation form")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members of the organisation")
        GROUP = "group", _("A group")
        PUBLIC = "public", _("The public, by a link (no sign-in)")
        ATTENDEES = "attendees", _("Those who attended the session")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being written")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    class ResultsShown(models.TextChoices):
        WHILE_OPEN = "while_open", _("While the survey is open")
        AFTER_CLOSE = "after_close", _("Only after the survey closes")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SURVEY)
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), max_length=2000, blank=True)
    introduction_cy = models.TextField(_("introduction in Welsh"), max_length=2000, blank=True)
    audience = models.CharField(_("who is asked"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS)
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys", verbose_name=_("group")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="evaluations", verbose_name=_("session")
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Nothing links an answer to the person who gave it, not even for staff with the database."),
    )
    results_shown = models.CharField(
        _("when results are shown"), max_length=20, choices=ResultsShown.choices, default=ResultsShown.AFTER_CLOSE
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    co_designers = models.ManyToManyField(
        Person, blank=True, related_name="surveys_co_designed", verbose_name=_("members who co-designed it")
    )
    public_key = models.CharField(max_length=40, unique=True, default=new_public_key, editable=False)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _shown(self.title, self.title_cy)

    @property
    def introduction_shown(self) -> str:
        return _shown(self.introduction, self.introduction_cy)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choose one")
        SEVERAL = "several", _("Choose any that apply")
        SCALE = "scale", _("A scale")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind of question"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    text_cy = models.CharField(_("question in Welsh"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is needed"), default=False)
    scale_max = models.PositiveSmallIntegerField(_("top of the scale"), default=5)
    scale_low = models.CharField(_("what the bottom of the scale means"), max_length=100, blank=True)
    scale_high = models.CharField(_("what the top of the scale means"), max_length=100, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return _shown(self.text, self.text_cy)

    @property
    def scale_points(self) -> range:
        return range(1, self.scale_max + 1)

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.SEVERAL)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("option"), max_length=200)
    text_cy = models.CharField(_("option in Welsh"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return _shown(self.text, self.text_cy)


class AnswerPerspective(models.TextChoices):
    """Coarse on purpose: three kinds of view, kept apart in results (001 Appendix 1 §Fair)."""

    SERVICE_USER = "service_user", _("As someone who uses or used services")
    CARER = "carer", _("As a carer")
    OTHER = "other", _("Another view (staff, partner, public)")


class SurveyAnswer(models.Model):
    """One filled-in question set. For an anonymous survey ``person`` is always empty."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    perspective = models.CharField(max_length=20, choices=AnswerPerspective.choices)
    answered_on = models.DateField()
    on_paper = models.BooleanField(default=False)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"Answer to survey {self.survey_id}"


class Theme(models.Model):
    """A theme a coordinator tags free-text answers with."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("theme"), max_length=100)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="one_theme_of_a_name")]

    def __str__(self) -> str:
        return self.name


class AnswerItem(models.Model):
    """The answer to one question: one row per option chosen, so each option is counted on its own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(SurveyAnswer, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="items")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=4000, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="items")

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class Respondent(models.Model):
    """A person has answered a survey: no time, no link to their answer; it only stops a second answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="surveys_answered")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="one_answer_a_person")]

    def __str__(self) -> str:
        return f"{self.person_id} answered {self.survey_id}"


class AnswerToken(models.Model):
    """A one-time token for one answer form, naming nobody; only its digest is kept."""

    digest = models.CharField(max_length=64, primary_key=True)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    spent = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Token for survey {self.survey_id}"
