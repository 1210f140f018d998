"""Leaving well (001 §Terms of office: "a fair and dignified exit strategy, when a rep's term of
office comes to an end, which may include keeping them on to mentor newly appointed
representatives").

When a member's term on a seat ends, or they leave, staff offer them, beside the exit interview
people already keep, a step-down role (mentor to a new member, or deputy or alternate on a seat)
and a thank-you certificate naming the organisation, the role they served in and the dates. The
member accepts or declines on their pages, through the API, or by replying to the letter; what
accepting starts is made by the services that own it (support's mentoring, groups' appoint).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.people.models import Person


class LeavingOffer(models.Model):
    """What an organisation offers a member whose term ended or who left: a step-down role and a thank-you."""

    class StepDown(models.TextChoices):
        NONE = "none", _("No step-down role: our thanks only")
        MENTOR = "mentor", _("Mentor to a new member")
        DEPUTY = "deputy", _("Deputy on a seat")
        ALTERNATE = "alternate", _("Alternate on a seat")

    class Answer(models.TextChoices):
        WAITING = "waiting", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leaving_offers")
    # The seat whose term ended, when it was a seat (the certificate may thank for any role).
    appointment = models.ForeignKey(
        "groups.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    served_as = models.CharField(_("the role they served in"), max_length=200)
    served_from = models.DateField(_("served from"))
    served_until = models.DateField(_("served until"))
    step_down = models.CharField(
        _("step-down role offered"), max_length=20, choices=StepDown.choices, default=StepDown.NONE
    )
    # For a mentor: whom they would mentor, and when to look at how it is going.
    new_member = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("new member")
    )
    review_on = models.DateField(_("review the mentoring on"), null=True, blank=True)
    # For a deputy or an alternate: the group and the term of the seat.
    group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    planned_end = models.DateField(_("term planned to end"), null=True, blank=True)
    message = models.TextField(_("a word of thanks"), max_length=2000, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.WAITING)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Set when staff recorded an answer given by letter or phone.
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What accepting started: the pairing, or the seat.
    mentoring = models.ForeignKey(
        "support.Mentoring", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seat = models.ForeignKey("groups.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-offered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=models.Q(answer="waiting"),
                name="one_waiting_leaving_offer",
            )
        ]

    def __str__(self) -> str:
        return f"Leaving offer to {self.person_id}"

    @property
    def is_waiting(self) -> bool:
        return self.answer == self.Answer.WAITING

    @property
    def offers_a_role(self) -> bool:
        return self.step_down != self.StepDown.NONE
