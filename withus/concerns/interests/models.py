"""The standing register of interests: what members and staff declare once and keep up to date.

Meetings took declarations per meeting only (``meetings.Declaration``); a standing
declaration is made once, changed or ended when life changes, and shown on the agenda of
every session its holder is invited to whose items touch it. A change never overwrites: it
closes the version before (``superseded_at``) and starts a new one, so the register shows
what was declared at any date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.people.models import Person


class Interest(models.Model):
    """One version of a declared interest, held by a member (``person``) or a member of staff (``user``)."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        RELATIONSHIP = "relationship", _("A relationship")
        ROLE = "role", _("A role elsewhere")
        PAYMENT = "payment", _("A payment or gift")
        OTHER = "other", _("Other")

    class How(models.TextChoices):
        SELF = "self", _("Declared by them on WithUs")
        PHONE = "phone", _("By phone")
        LETTER = "letter", _("By letter")
        IN_PERSON = "in_person", _("In person")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="interests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="interests"
    )
    kind = models.CharField(_("kind of interest"), max_length=20, choices=Kind.choices)
    body = models.CharField(_("the body or person it concerns"), max_length=200)
    description = models.TextField(_("a short description"), max_length=1000, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    how = models.CharField(max_length=10, choices=How.choices, default=How.SELF)
    # The first version of this interest; every later version points to it, so its history is one query.
    first = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Set when a later version replaced this one (changed or ended): kept, never edited again.
    superseded_at = models.DateTimeField(null=True, blank=True)
    # When its holder last said it is still right; reviewed yearly.
    reviewed_on = models.DateField(default=timezone.localdate)
    # The review date its holder was reminded of (the daily round): reminded once per date.
    review_told_for = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "concerns_interest"
        ordering = ["body", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(user__isnull=True))
                | (models.Q(person__isnull=True) & models.Q(user__isnull=False)),
                name="interest_held_by_one",
            )
        ]
        indexes = [
            models.Index(fields=["person", "superseded_at"], name="interest_person_current"),
            models.Index(fields=["user", "superseded_at"], name="interest_user_current"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.body}"

    @property
    def holder_name(self) -> str:
        """Who declared it, as the agenda and the register show them."""
        if self.person is not None:
            return self.person.display_name
        if self.user is not None:
            return self.user.get_full_name() or self.user.email
        return ""
