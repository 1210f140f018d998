"""Frameworks of standards, assessments scored blind by members and staff, and the actions from their gaps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.audit import AuditedMixin


def _in_language(english: str, welsh: str) -> str:
    return welsh if welsh and (get_language() or "").startswith("cy") else english


class Framework(models.Model):
    """A set of items scored on one scale. Shipped frameworks have no organisation and never change."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="frameworks"
    )
    code = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    description = models.TextField(_("what it is for"), blank=True)
    description_cy = models.TextField(_("what it is for, in Welsh"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="framework_code_once")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self.name, self.name_cy)

    @property
    def about(self) -> str:
        return _in_language(self.description, self.description_cy)

    @property
    def shipped(self) -> bool:
        return self.organisation_id is None


class ScaleStep(models.Model):
    """One step of a framework's scale, from 0 (lowest) up; the highest step is "met"."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="steps")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    label_cy = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "value"], name="scale_step_once")]
        ordering = ["framework", "value"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self.label, self.label_cy)


class Item(models.Model):
    """One indicator or checklist line, under its standard (or heading), with where it comes from."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    standard = models.CharField(_("standard"), max_length=120)
    standard_cy = models.CharField(_("standard in Welsh"), max_length=120, blank=True)
    code = models.CharField(max_length=20)
    text = models.TextField(_("wording"))
    text_cy = models.TextField(_("wording in Welsh"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="item_code_once")]
        ordering = ["framework", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def wording(self) -> str:
        return _in_language(self.text, self.text_cy)

    @property
    def standard_title(self) -> str:
        return _in_language(self.standard, self.standard_cy)


class Assessment(AuditedMixin, models.Model):
    """One cycle of scoring a framework for a period. Scores stay blind until scoring is closed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period_end", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Scorer(models.Model):
    class Side(models.TextChoices):
        MEMBER = "member", _("Member")
        STAFF = "staff", _("Staff")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scorers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_scorings")
    side = models.CharField(max_length=10, choices=Side.choices)
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "user"], name="scorer_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.side})"


class Score(AuditedMixin, models.Model):
    """One scorer's score of one item, with the evidence and reasons behind it."""

    scorer = models.ForeignKey(Scorer, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()
    evidence = models.TextField(_("evidence and reasons"), blank=True)
    evidence_session = models.ForeignKey(
        "meetings.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scorer", "item"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.value}"


class Agreement(AuditedMixin, models.Model):
    """What the item's score was agreed to be, and who agreed it; or a disagreement kept as it stands."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="agreements")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    disagreement_kept = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="agreement_once")]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.value}"


class Action(AuditedMixin, models.Model):
    """What will be done about an item below met: the Good Practice Checklist's action and monitoring."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessment_actions")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessment_actions")
    due_on = models.DateField(_("due"))
    monitoring = models.TextField(_("how it will be monitored"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    progress = models.TextField(_("progress"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    aim = models.ForeignKey(
        "Aim", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("strategy aim")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class Strategy(AuditedMixin, models.Model):
    """The organisation's engagement strategy and action plan, reviewed at least yearly with members."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="engagement_strategy")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    review_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title


class Aim(AuditedMixin, models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="aims")
    text = models.TextField(_("aim"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Milestone(AuditedMixin, models.Model):
    aim = models.ForeignKey(Aim, on_delete=models.CASCADE, related_name="milestones")
    text = models.TextField(_("milestone"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
