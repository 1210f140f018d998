"""Contributions and what became of them: "you said, we did" (PRODUCT C7).

What people with lived experience said or asked is recorded as they said it, one
contribution each, never merged into another (001 Appendix 1 §Fair: a minority view is
kept as such). Each gets an answer with its reason, and each step of what follows (the
answer, the action, the check months later, replies) is a step on the contribution's one
timeline, told to every contributor through their own channel (000 Charter).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.groups.models import Group
from withus.people.models import OutgoingMessage, Person, Perspective

from . import rules


class ImpactSettings(models.Model):
    """How soon an organisation answers what people said, and when it checks again what changed."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="impact_settings")
    answer_within_days = models.PositiveSmallIntegerField(
        _("answer each contribution within (days)"),
        default=rules.DEFAULT_ANSWER_WITHIN_DAYS,
        help_text=_("A contribution not answered in this time is flagged to the decision-maker and the coordinators."),
    )
    follow_up_after_months = models.PositiveSmallIntegerField(
        _("check again what changed after (months)"),
        default=rules.DEFAULT_FOLLOW_UP_MONTHS,
        help_text=_("Between 3 and 6 months after the answer, the owner is asked what changed."),
    )

    def __str__(self) -> str:
        return f"Impact settings of {self.organisation}"


class ContributorPerspective(models.TextChoices):
    """People's perspectives (the register's), and other stakeholders, kept apart from lived experience."""

    SERVICE_USER = Perspective.SERVICE_USER.value, Perspective.SERVICE_USER.label
    CARER = Perspective.CARER.value, Perspective.CARER.label
    BOTH = Perspective.BOTH.value, Perspective.BOTH.label
    OTHER = "other", _("Other stakeholder")


class Contribution(models.Model):
    """One thing said or asked, by one person, several, or a group, at a session, an opportunity or a project."""

    class Kind(models.TextChoices):
        SAID = "said", _("Something said")
        ASKED = "asked", _("A question asked")

    class View(models.TextChoices):
        PERSONAL = "personal", _("A personal view")
        REPRESENTATIVE = "representative", _("A representative view")

    class Source(models.TextChoices):
        RECORDED = "recorded", _("Recorded by staff")
        MEMBER = "member", _("Sent by the member")
        REPRESENTATIVE = "representative", _("Sent by a representative for their group")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contributions")
    session = models.ForeignKey(
        "meetings.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("session"),
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("opportunity"),
    )
    # A project is a group of the "project" kind (groups.Group.Kind.PROJECT); any group may be named.
    project = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("project or group"),
    )
    kind = models.CharField(_("what it was"), max_length=10, choices=Kind.choices, default=Kind.SAID)
    text = models.TextField(_("what was said or asked"), max_length=4000)
    view = models.CharField(_("whose view"), max_length=20, choices=View.choices, default=View.PERSONAL)
    perspective = models.CharField(
        _("the contributors' perspective"), max_length=20, choices=ContributorPerspective.choices
    )
    minority_view = models.BooleanField(_("a minority view"), default=False)
    # The group the contribution speaks for, when it came from a group or its representative.
    on_behalf_of = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions_spoken_for",
        verbose_name=_("on behalf of the group"),
    )
    service = models.CharField(_("the service it is about"), max_length=200, blank=True)
    decision_maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions_to_answer",
        verbose_name=_("who answers it"),
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.RECORDED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    answer_due_on = models.DateField()
    # The latest answer's decision, kept here so lists and the public page filter without a join per row.
    outcome = models.CharField(max_length=20, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    follow_up_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-recorded_at"], name="contribution_org_recorded")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session__isnull=False)
                | models.Q(opportunity__isnull=False)
                | models.Q(project__isnull=False),
                name="contribution_is_about_something",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_overdue(self) -> bool:
        return rules.is_overdue(answered=self.is_answered, due_on=self.answer_due_on, today=timezone.localdate())

    @property
    def is_answered(self) -> bool:
        return self.outcome not in ("", rules.Decision.PENDING)


class Contributor(models.Model):
    """A person who made a contribution, and what they agreed to about publishing it."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="contributors")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contributions")
    agrees_to_publish = models.BooleanField(_("agrees to it being published"), default=False)
    agrees_to_be_named = models.BooleanField(_("agrees to be named when it is published"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contribution", "person"], name="one_contributor_each")]

    def __str__(self) -> str:
        return f"{self.person} – {self.contribution}"


class Answer(models.Model):
    """The decision-maker's answer: adopted, partly adopted, not adopted or still being considered, and why."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="answers")
    decision = models.CharField(_("decision"), max_length=20, choices=rules.Decision.choices)
    reason = models.TextField(_("the reason, in plain words"), max_length=4000)
    decided_by = models.CharField(_("who decided"), max_length=200)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    action = models.ForeignKey(
        "meetings.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )

    class Meta:
        ordering = ["answered_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.reason[:40]}"


class FollowUp(models.Model):
    """Months after the answer, the owner is asked what changed (001 Appendix 1 §Ending; 003 §Impact)."""

    contribution = models.OneToOneField(Contribution, on_delete=models.CASCADE, related_name="follow_up")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    changed = models.BooleanField(_("something changed"), null=True)
    what_changed = models.TextField(_("what changed"), max_length=4000, blank=True)
    intended_outcomes = models.TextField(_("what the involvement was meant to achieve"), max_length=2000, blank=True)
    difference_made = models.TextField(_("what difference the people involved made"), max_length=2000, blank=True)
    how_it_felt = models.TextField(_("how people felt about taking part"), max_length=2000, blank=True)
    end_result = models.TextField(_("whether it changed the end result"), max_length=2000, blank=True)
    beyond = models.TextField(
        _("any difference beyond the activity: services, culture, people's recovery or wellbeing"),
        max_length=2000,
        blank=True,
    )

    def __str__(self) -> str:
        return f"Follow-up of {self.contribution_id}"


class Step(models.Model):
    """One step on a contribution's timeline; each is told to every contributor."""

    class Kind(models.TextChoices):
        SAID = "said", _("Said")
        ANSWERED = "answered", _("Answered")
        ACTION_DONE = "action_done", _("Action done")
        OVERDUE = "overdue", _("Not answered in time")
        CHECKED_AGAIN = "checked_again", _("Checked again")
        REPLY = "reply", _("Reply")
        QUESTION = "question", _("Question")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(max_length=4000, blank=True)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    by_person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            # A round of `withus impact overdue` run twice, or twice at once, tells people once.
            models.UniqueConstraint(
                fields=["contribution", "kind"],
                condition=models.Q(kind__in=["overdue", "action_done", "checked_again"]),
                name="impact_step_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.contribution_id})"


class Notice(models.Model):
    """A step told to one contributor: the message that went, or waits to be printed or phoned."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="notices")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="impact_notices")
    message = models.ForeignKey(OutgoingMessage, on_delete=models.SET_NULL, null=True, related_name="+")
    printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "person"], name="impact_notice_once")]

    def __str__(self) -> str:
        return f"{self.step} → {self.person_id}"
