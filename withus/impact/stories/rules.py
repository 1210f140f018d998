"""When a member's story or material may be used: only within the consent they gave (C11; 001 §Financial Payment)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

# What a story, a recording or a training material may be, found from the file's content.
ACCEPTED_FILES = ("pdf", "docx", "pptx", "jpeg", "png", "mp3", "m4a", "wav", "ogg", "mp4", "webm")
MAX_FILE_BYTES = 50 * 1024 * 1024


class Place(models.TextChoices):
    ANNUAL_REPORT = "annual_report", _("The annual report")
    TRAINING = "training", _("Training")
    WEBSITE = "website", _("The website")
    CAMPAIGN = "campaign", _("A named campaign")


def use_problem(
    *,
    places: list[str],
    campaign: str,
    until: date,
    withdrawn: bool,
    place: str,
    used_campaign: str,
    used_on: date,
) -> dict[str, str]:
    """Why a use falls outside the consent, by field; empty when it is within it."""
    if withdrawn:
        return {"place": str(_("The member has withdrawn their consent: this story can no longer be used."))}
    if used_on > until:
        return {"used_on": str(_("The member's consent ended on %(day)s.") % {"day": until.strftime("%d/%m/%Y")})}
    if place not in places:
        return {"place": str(_("The member has not agreed to this story being used there."))}
    if place == Place.CAMPAIGN and used_campaign.strip().casefold() != campaign.strip().casefold():
        return {"campaign": str(_("The member agreed only to the campaign “%(name)s”.") % {"name": campaign})}
    return {}


def consent_problems(*, places: list[str], campaign: str, until: date | None, today: date) -> dict[str, str]:
    """What a consent must name: where, which campaign if one, and an end date after today."""
    problems: dict[str, str] = {}
    if not places or any(p not in Place.values for p in places):
        problems["places"] = str(_("Choose at least one place where it may be used."))
    if Place.CAMPAIGN in places and not campaign.strip():
        problems["campaign"] = str(_("Name the campaign."))
    if until is None or until <= today:
        problems["until"] = str(_("Give the date the consent ends, after today."))
    return problems


def download_problem(*, withdrawn: bool, until: date, today: date) -> str | None:
    """Why staff may not open a story's file now: the consent was withdrawn or has ended. The member always may."""
    if withdrawn:
        return str(_("The member has withdrawn their consent: this file can no longer be opened by staff."))
    if today > until:
        return str(_("The member's consent ended on %(day)s.") % {"day": until.strftime("%d/%m/%Y")})
    return None
