"""Preparation for a session (001 §Preparation): a pre-meeting briefing that goes through the
papers and what to expect, and a meet-and-greet on arrival.

The coordinator arranges each for a session once, saying who gives it (a member of staff, or a
member acting as supporter), when, and where or how (in person, by phone, by video). Who is
offered it is not stored: the rule in ``rules.py`` works it out from the invitations, so a member
invited later, or whose needs change, is offered it too. What is stored is each member's answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.meetings.models import Session
from withus.people.models import Person


class Preparation(models.Model):
    """A briefing or a meet-and-greet arranged for one session."""

    class Kind(models.TextChoices):
        BRIEFING = "briefing", _("Pre-meeting briefing")
        MEET_AND_GREET = "meet_and_greet", _("Meet-and-greet on arrival")

    class How(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="preparations")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by (staff)"),
    )
    by_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preparations_given",
        verbose_name=_("given by (a member acting as supporter)"),
    )
    at = models.DateTimeField(_("when"))
    how = models.CharField(_("how"), max_length=10, choices=How.choices, default=How.IN_PERSON)
    where = models.CharField(_("where, or the phone number or video link"), max_length=300)
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    arranged_at = models.DateTimeField(default=timezone.now)
    # When whoever gives it was reminded, the day before (``services.remind_givers``); cleared when it moves.
    giver_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind"], name="one_preparation_of_a_kind_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for session {self.session_id}"

    @property
    def supporter_name(self) -> str:
        if self.by_person is not None:
            return self.by_person.display_name
        if self.by_staff is not None:
            return self.by_staff.get_full_name() or self.by_staff.email
        return ""


class PreparationAnswer(models.Model):
    """A member's yes or no to a briefing or meet-and-greet they were offered."""

    preparation = models.ForeignKey(Preparation, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="preparation_answers")
    wanted = models.BooleanField(_("wanted"))
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["preparation", "person"], name="one_answer_per_preparation"),
        ]

    def __str__(self) -> str:
        return f"Answer of {self.person_id} to {self.preparation_id}"
