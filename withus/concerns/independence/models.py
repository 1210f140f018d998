"""The independence risk register (001 §Independence of Voice: "regularly reviewed and the risks which
may compromise it are managed").

It lives with concerns because both are about what threatens people's voice being heard, and
both are owned by the organisation's governance, not by the involvement team's daily work.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation


def a_year_from_today() -> date:
    return timezone.localdate() + timedelta(days=365)


class IndependenceRisk(models.Model):
    """One risk to the independence of people's voice, with how likely and serious it is and what is done."""

    class Kind(models.TextChoices):
        FUNDING = "funding", _("Funding from the body being scrutinised")
        SUPPORT_APPROVES = "support_approves", _("A support worker who also approves payments")
        CHOSEN_BY_ORGANISATION = "chosen_by_organisation", _("Representatives chosen by the organisation")
        SINGLE_REPRESENTATIVE = "single_representative", _("A single representative for a group")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="independence_risks")
    kind = models.CharField(_("kind of risk"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("the risk"), max_length=300)
    title_cy = models.CharField(_("the risk in Welsh"), max_length=300, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1 to 5)"))
    impact = models.PositiveSmallIntegerField(_("impact (1 to 5)"))
    mitigations = models.TextField(_("what is done about it"), max_length=4000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_on = models.DateField(_("next review"), default=a_year_from_today)
    last_reviewed_on = models.DateField(null=True, blank=True)
    # Set for a risk found in the records (see rules.finding_key); the same finding is never added twice.
    source_key = models.CharField(max_length=100, blank=True)
    # When the records stopped showing an automatically found risk: kept, for its history.
    no_longer_found_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The review date its owner was told was missed (the daily round): told once per review date.
    overdue_told_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "concerns_independencerisk"
        ordering = ["review_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_key"],
                condition=~models.Q(source_key=""),
                name="one_risk_per_finding",
            )
        ]

    def __str__(self) -> str:
        if get_language() == "cy" and self.title_cy:
            return self.title_cy
        return self.title
