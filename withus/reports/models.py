"""Population figures and annual reports with their narrative, comments and versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.people.models import LocalAuthority, Person


class PopulationFigure(models.Model):
    """How many people an area served holds: all of them (``category`` blank) or one equality category.

    ``category`` is "question:answer" of the equality monitoring questions, e.g. "ethnicity:asian".
    Every figure names where it comes from and the year it describes.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="population_figures")
    area = models.CharField(_("area"), max_length=30, choices=LocalAuthority.choices)
    category = models.CharField(_("equality category"), max_length=60, blank=True)
    people = models.PositiveIntegerField(_("number of people"))
    source = models.CharField(_("source"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year the figure describes"))
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area", "category"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area", "category"], name="one_population_figure"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.category}: {self.people}"


class AnnualReport(models.Model):
    """One organisation's engagement report for one year (the tax year starting 6 April ``year``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField()
    drafted_at = models.DateTimeField(default=timezone.now)
    invited = models.ManyToManyField(Person, blank=True, related_name="+")

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_report_a_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class Narrative(models.Model):
    """What the coordinators wrote for one section of a report, in English and Welsh."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="narratives")
    section = models.CharField(max_length=40)
    text = models.TextField(_("what this section says"), max_length=10000, blank=True)
    text_cy = models.TextField(_("what this section says, in Welsh"), max_length=10000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="one_narrative_a_section")]

    def __str__(self) -> str:
        return f"{self.report} {self.section}"


class Comment(models.Model):
    """A comment on one section of a draft, from an invited member or a coordinator; replies hang off it."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reply_to = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    text = models.TextField(_("your comment"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.section}: {self.text[:40]}"


class Version(models.Model):
    """A published version, frozen: the data and narrative of every section as they were that day."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"
