"""The directory of local help an organisation keeps current (000 Annex 1): involvement and advocacy
workers, welfare rights advisers, mediation services and crisis lines, in Welsh and English."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation


class HelpKind(models.TextChoices):
    ADVOCACY = "advocacy", _("Involvement and advocacy workers")
    WELFARE_RIGHTS = "welfare_rights", _("Welfare rights advice")
    MEDIATION = "mediation", _("Mediation")
    CRISIS = "crisis", _("Crisis lines and urgent support")
    OTHER = "other", _("Other local help")


class HelpEntry(models.Model):
    """One service people can turn to. Changed only through ``services.save_entry``; reviewed at least yearly."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="local_help")
    kind = models.CharField(_("kind of help"), max_length=20, choices=HelpKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    description = models.TextField(_("what they help with"), max_length=1000, blank=True)
    description_cy = models.TextField(_("what they help with, in Welsh"), max_length=1000, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    opening_hours_cy = models.CharField(_("opening hours, in Welsh"), max_length=300, blank=True)
    languages = models.CharField(_("languages they work in"), max_length=200, blank=True)
    languages_cy = models.CharField(_("languages they work in, in Welsh"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    text_number = models.CharField(_("text number"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    reviewed_on = models.DateField(_("last checked"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name_plural = "help entries"

    def __str__(self) -> str:
        return self._shown("name")

    def _shown(self, field: str) -> str:
        welsh: str = getattr(self, f"{field}_cy")
        if get_language() == "cy" and welsh:
            return welsh
        english: str = getattr(self, field)
        return english

    @property
    def description_shown(self) -> str:
        return self._shown("description")

    @property
    def opening_hours_shown(self) -> str:
        return self._shown("opening_hours")

    @property
    def languages_shown(self) -> str:
        return self._shown("languages")


class StaleWarning(models.Model):
    """The coordinators were told that an entry has not been checked for a year: once per entry per such year."""

    entry = models.ForeignKey(HelpEntry, on_delete=models.CASCADE, related_name="stale_warnings")
    stale_from = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "stale_from"], name="one_stale_warning_a_year")]

    def __str__(self) -> str:
        return f"Stale warning for {self.entry_id} from {self.stale_from}"
