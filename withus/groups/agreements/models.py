"""Group agreements and the code of conduct (002 §9: complaints systems built around group agreements).

Each group keeps its ground rules, agreed by its members; the organisation's code of conduct is
accepted by a member before they take up a seat. Both are kept as versions: a new version (the
yearly review is one) is agreed afresh, and who agreed to which version, when and how, stays.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.people.models import Person


def _shown(english: str, welsh: str) -> str:
    return welsh if get_language() == "cy" and welsh else english


class GroupAgreement(models.Model):
    """One version of a group's ground rules."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="agreements")
    text = models.TextField(_("the ground rules"), max_length=5000)
    text_cy = models.TextField(_("the ground rules in Welsh"), max_length=5000, blank=True)
    adopted_on = models.DateField(default=timezone.localdate)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "groups_agreement"
        ordering = ["-adopted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.group}: {self.adopted_on:%d/%m/%Y}"

    @property
    def text_shown(self) -> str:
        return _shown(self.text, self.text_cy)


class CodeOfConduct(models.Model):
    """One version of an organisation's code of conduct."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="codes_of_conduct")
    text = models.TextField(_("the code of conduct"), max_length=10000)
    text_cy = models.TextField(_("the code of conduct in Welsh"), max_length=10000, blank=True)
    published_on = models.DateField(default=timezone.localdate)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "groups_code_of_conduct"
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.published_on:%d/%m/%Y}"

    @property
    def text_shown(self) -> str:
        return _shown(self.text, self.text_cy)


class Agreed(models.Model):
    """A member agreed to one version of a group's ground rules, or accepted one of the code of conduct."""

    class How(models.TextChoices):
        SELF = "self", _("On WithUs")
        PAPER = "paper", _("On paper")
        PHONE = "phone", _("By phone")
        IN_PERSON = "in_person", _("In person")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="agreements_given")
    agreement = models.ForeignKey(
        GroupAgreement, on_delete=models.CASCADE, null=True, blank=True, related_name="agreed"
    )
    code = models.ForeignKey(CodeOfConduct, on_delete=models.CASCADE, null=True, blank=True, related_name="accepted")
    at = models.DateTimeField(default=timezone.now)
    how = models.CharField(max_length=10, choices=How.choices, default=How.SELF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "groups_agreed"
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(agreement__isnull=False) & models.Q(code__isnull=True))
                | (models.Q(agreement__isnull=True) & models.Q(code__isnull=False)),
                name="agreed_to_one_thing",
            ),
            models.UniqueConstraint(fields=["person", "agreement"], name="agreed_once_to_an_agreement"),
            models.UniqueConstraint(fields=["person", "code"], name="accepted_a_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} agreed {self.agreement or self.code}"
