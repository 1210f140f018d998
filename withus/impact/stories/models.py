"""Members' stories, recordings and training material, each used only under the consent that names its scope."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.uploads import FILE_TYPES
from withus.people.models import Person

from .rules import Place

STORY_EXTENSIONS = frozenset(t.extension for t in FILE_TYPES.values())


def story_file_path(instance: models.Model, filename: str) -> str:
    """Where a story's file is stored: a generated name, never the member's, with only an extension of ours."""
    extension = PurePath(filename).suffix.lower()
    return f"stories/{timezone.now():%Y}/{uuid.uuid4().hex}{extension if extension in STORY_EXTENSIONS else ''}"


class Story(models.Model):
    class Kind(models.TextChoices):
        STORY = "story", _("A story")
        RECORDING = "recording", _("A recording")
        MATERIAL = "material", _("Training material")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="stories")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stories")
    kind = models.CharField(_("what it is"), max_length=20, choices=Kind.choices, default=Kind.STORY)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it is about"), max_length=4000, blank=True)
    places = models.JSONField(_("where it may be used"), default=list)
    campaign = models.CharField(_("the campaign"), max_length=200, blank=True)
    until = models.DateField(_("it may be used until"))
    named = models.BooleanField(_("the member is named with it"), default=False)
    file = models.FileField(_("the file"), upload_to=story_file_path, blank=True, max_length=200)
    file_name = models.CharField(max_length=255, blank=True, help_text="The name the file was sent with, to show")
    file_type = models.CharField(max_length=10, blank=True, help_text="Its type, found from its content")
    consented_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-consented_at", "-pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def places_display(self) -> list[str]:
        return [str(Place(p).label) for p in self.places if p in Place.values]


class StoryUse(models.Model):
    """One use of a story, logged; a fee offered for it when the member was not there."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="uses")
    place = models.CharField(_("where it was used"), max_length=20, choices=Place.choices)
    campaign = models.CharField(_("the campaign"), max_length=200, blank=True)
    used_on = models.DateField(_("used on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    member_present = models.BooleanField(_("the member was there"), default=False)
    fee = models.ForeignKey(
        "rewards.IncomeLine", on_delete=models.SET_NULL, null=True, blank=True, related_name="story_uses"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-used_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.story} – {self.place} {self.used_on}"
