"""Training: each organisation's catalogue of courses, the sessions they run as, learning
people did elsewhere, and the training a role needs before it is taken up (001 §Training).

A course run as a session is completed by attending it: the attendance the meetings app
records is the evidence, so nothing is copied here. Learning done elsewhere is logged
(by the member or for them) and counts once a coordinator approves it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.groups.models import Group
from withus.meetings.models import Session
from withus.opportunities.models import Opportunity
from withus.people.models import Person


class Topic(models.TextChoices):
    """The training options 001 §Training lists, and anything else."""

    CO_PRODUCTION = "co_production", _("Co-production")
    PEER_SUPERVISION = "peer_supervision", _("Peer supervision")
    REPORT_WRITING = "report_writing", _("Writing reports, policies and strategies")
    SAFEGUARDING = "safeguarding", _("Safeguarding")
    SCRUTINY = "scrutiny", _("Scrutiny")
    ASSURANCE = "assurance", _("Assurance processes")
    RISK = "risk", _("Managing risk at an organisational level")
    DELIVERING_TRAINING = "delivering_training", _("Delivering training")
    CONFLICTS_OF_INTEREST = "conflicts_of_interest", _("Managing conflicts of interest")
    NOLAN_PRINCIPLES = "nolan_principles", _("The Nolan principles and citizen centred governance")
    DIVERSITY_AND_INCLUSION = "diversity_and_inclusion", _("Diversity and inclusion")
    EVALUATION_AND_RESEARCH = "evaluation_and_research", _("Evaluation and opinion research skills")
    RECRUITMENT = "recruitment", _("Recruitment and interview panels")
    OTHER = "other", _("Something else")


class Course(models.Model):
    """A course in an organisation's catalogue. Changed only through ``services.save_course``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="courses")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices, default=Topic.OTHER)
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    description = models.TextField(_("what it covers"), max_length=2000, blank=True)
    description_cy = models.TextField(_("what it covers, in Welsh"), max_length=2000, blank=True)
    co_designed = models.BooleanField(_("co-designed with people with lived experience"), default=False)
    co_delivered = models.BooleanField(_("co-delivered with people with lived experience"), default=False)
    accredited = models.BooleanField(_("accredited"), default=False)
    accredited_by = models.CharField(_("accredited by"), max_length=200, blank=True)
    length_hours = models.DecimalField(_("length in hours"), max_digits=5, decimal_places=1)
    refresh_months = models.PositiveSmallIntegerField(_("refresh every (months)"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="one_course_title_per_organisation"),
            models.CheckConstraint(condition=models.Q(length_hours__gt=0), name="course_has_a_length"),
        ]

    def __str__(self) -> str:
        if get_language() == "cy" and self.title_cy:
            return self.title_cy
        return self.title

    @property
    def description_shown(self) -> str:
        if get_language() == "cy" and self.description_cy:
            return self.description_cy
        return self.description


class CourseSession(models.Model):
    """A session (from the meetings app) that runs a course: attending it completes the course."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="runs")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="course_run")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.course} – {self.session}"


class LoggedLearning(models.Model):
    """Training done elsewhere, logged by the member or for them; it counts once approved."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Not approved")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="logged_learning")
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="logged_learning", verbose_name=_("course")
    )
    completed_on = models.DateField(_("date completed"))
    provider = models.CharField(_("where you did it, and who ran it"), max_length=200)
    note = models.TextField(_("anything else, such as a certificate number"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("why it was not approved"), max_length=500, blank=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"


class RequiredTraining(models.Model):
    """A course an opportunity, or a group's seats, need before someone takes the role up."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="required_for", verbose_name=_("course"))
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_needed",
        verbose_name=_("opportunity"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="training_needed", verbose_name=_("group")
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opportunity__isnull=False, group__isnull=True)
                | models.Q(opportunity__isnull=True, group__isnull=False),
                name="training_required_by_one_role",
            ),
            models.UniqueConstraint(fields=["course", "opportunity"], name="course_required_once_per_opportunity"),
            models.UniqueConstraint(fields=["course", "group"], name="course_required_once_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.course} for {self.opportunity or self.group}"


class ExpiryWarning(models.Model):
    """One row per warning that a completion is about to expire: never sent twice."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    expires_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "course", "expires_on"], name="one_expiry_warning_each")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.course_id} {self.expires_on}"
