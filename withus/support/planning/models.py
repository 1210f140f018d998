"""Supervision planned ahead (001 §Supervision): a supervisor plans a one-to-one or a peer group's
supervision with its date, time, length and where or how to join; each member is invited by their
own channel, can say they cannot come, is told of a move or a cancellation and reminded the day
before. Once held, the plan becomes the supervision record (``support.Supervision``) with its
notes: the plan links to it and holds nothing the record also holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.people.models import Person


class PlannedSupervision(models.Model):
    """A supervision planned for a date and time, one-to-one with a member or with a peer supervision group."""

    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        PEER_GROUP = "peer_group", _("Peer supervision group")

    class How(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="planned_supervisions"
    )
    group = models.ForeignKey(
        "support.SupervisionGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="planned"
    )
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("when"))
    minutes = models.PositiveSmallIntegerField(_("how long (minutes)"))
    how = models.CharField(_("how"), max_length=10, choices=How.choices, default=How.IN_PERSON)
    where = models.CharField(_("where, or the phone number or video link"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    # Goes up with every change the members are told about, so calendar apps replace their copy.
    sequence = models.PositiveIntegerField(default=0)
    # The record it became once held (its date, supervisor and notes live there, once).
    supervision = models.OneToOneField(
        "support.Supervision", on_delete=models.SET_NULL, null=True, blank=True, related_name="plan"
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    planned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="one_to_one", person__isnull=False, group__isnull=True))
                | (models.Q(kind="peer_group", person__isnull=True, group__isnull=False)),
                name="planned_supervision_of_a_person_or_a_group",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "starts_at"], name="planned_supervision_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} planned for {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def supervisor_name(self) -> str:
        return self.supervisor.get_full_name() or self.supervisor.email


class SupervisionInvitation(models.Model):
    """One member invited to a planned supervision: by which channel, when last told, and their answer."""

    class Answer(models.TextChoices):
        WAITING = "waiting", _("Not answered yet")
        COMING = "coming", _("Coming")
        NOT_COMING = "not_coming", _("Cannot come")

    plan = models.ForeignKey(PlannedSupervision, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="supervision_invitations")
    channel = models.CharField(max_length=10, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.WAITING)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan__starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "person"], name="one_supervision_invitation_per_member")]

    def __str__(self) -> str:
        return f"Invitation of {self.person_id} to planned supervision {self.plan_id}"
