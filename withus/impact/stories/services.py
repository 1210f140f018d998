"""Every write about stories: consent recorded, each use checked against it and logged, withdrawal.

A use outside the consent (after it is withdrawn, after its end date, somewhere the member
did not agree to) is refused and nothing is written. Where the member is not there when
their story is used, a fee per use can be offered: it goes through rewards' own fee
service, so the benefits guard and the member's reward choice apply as to any fee.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import has_role, require
from withus.core import uploads
from withus.core.audit import acting_as
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.rewards.fees import services as fee_services

from . import rules
from .models import Story, StoryUse


@transaction.atomic
def record_story(
    *,
    actor: User,
    organisation: Organisation,
    person: Person,
    title: str,
    places: list[str],
    until: date | None,
    kind: str = Story.Kind.STORY,
    summary: str = "",
    campaign: str = "",
    named: bool = False,
    file: UploadedFile | None = None,
) -> Story:
    """Keep a member's story with the consent they gave: where it may be used, until when, named or not.

    With its file, if it has one (a recording, a document, slides): checked by its content
    first, so a refused file writes nothing.
    """
    require(actor, organisation, COORDINATING)
    people_selectors.person_sharing_with(organisation, person)
    problems = rules.consent_problems(places=places, campaign=campaign, until=until, today=timezone.localdate())
    if not title.strip():
        problems["title"] = _("Give it a title.")
    if kind not in Story.Kind.values:
        problems["kind"] = _("Choose what it is.")
    if file is not None and (wrong := file_problem(file)):
        problems["file"] = wrong
    if problems or until is None:
        raise ValidationError(problems)
    with acting_as(actor):
        story = Story(
            organisation=organisation,
            person=person,
            kind=kind,
            title=title.strip(),
            summary=summary.strip(),
            places=sorted(set(places)),
            campaign=campaign.strip() if rules.Place.CAMPAIGN in places else "",
            until=until,
            named=named,
            recorded_by=actor,
        )
        if file is not None:
            _store(story, file)
        story.save()
    return story


def file_problem(upload: UploadedFile) -> str | None:
    """Why a story's file is refused, if it is: over 50 MB, or not a type we accept, found from its content."""
    if upload.size is not None and upload.size > rules.MAX_FILE_BYTES:
        return _("The file must be 50 MB or smaller.")
    if uploads.kind_of(upload, rules.ACCEPTED_FILES) is None:
        return _("The file must be one of these: %(types)s.") % {"types": uploads.labels(rules.ACCEPTED_FILES)}
    return None


def _store(story: Story, upload: UploadedFile) -> None:
    kind = uploads.kind_of(upload, rules.ACCEPTED_FILES)
    assert kind is not None, "check the file with file_problem first"
    story.file_name = uploads.display_name(upload.name or "")
    story.file_type = kind
    story.file.save(f"story{uploads.FILE_TYPES[kind].extension}", upload, save=False)


@transaction.atomic
def attach_file(*, actor: User, story: Story, upload: UploadedFile) -> Story:
    """A coordinator keeps the file of a story already recorded, or replaces it (the old file is deleted)."""
    require(actor, story.organisation, COORDINATING)
    if story.withdrawn_at is not None:
        raise ValidationError({"file": _("The member has withdrawn their consent: keep nothing more with it.")})
    if wrong := file_problem(upload):
        raise ValidationError({"file": wrong})
    old = story.file.name if story.file else ""
    _store(story, upload)
    with acting_as(actor):
        story.save(update_fields=["file", "file_name", "file_type"])
    if old:
        transaction.on_commit(lambda: story.file.storage.delete(old))
    return story


@transaction.atomic
def remove_file(*, actor: User, story: Story) -> Story:
    """The member (or a coordinator) deletes a story's file; the consent and the log of uses stay."""
    own = people_selectors.own_person(actor)
    theirs = own is not None and own.pk == story.person_id
    if not theirs and not has_role(actor, story.organisation, *COORDINATING):
        raise PermissionDenied
    if story.file:
        old = story.file.name
        story.file = ""
        story.file_name = story.file_type = ""
        with acting_as(actor):
            story.save(update_fields=["file", "file_name", "file_type"])
        transaction.on_commit(lambda: story.file.storage.delete(old))
    return story


@transaction.atomic
def withdraw(*, actor: User, story: Story) -> Story:
    """The member (or a coordinator on their word) withdraws consent: every use from now on is refused."""
    own = people_selectors.own_person(actor)
    theirs = own is not None and own.pk == story.person_id
    if not theirs and not has_role(actor, story.organisation, *COORDINATING):
        raise PermissionDenied
    if story.withdrawn_at is None:
        story.withdrawn_at = timezone.now()
        with acting_as(actor):
            story.save(update_fields=["withdrawn_at"])
    return story


@transaction.atomic
def use_story(
    *,
    actor: User,
    story: Story,
    place: str,
    used_on: date,
    campaign: str = "",
    note: str = "",
    member_present: bool = False,
    fee: Decimal | None = None,
) -> StoryUse:
    """Log one use of a story, refused outside its consent; offer a fee for it when the member was not there."""
    require(actor, story.organisation, COORDINATING)
    locked = Story.objects.select_for_update().get(pk=story.pk)  # a withdrawal at the same moment wins
    problems = rules.use_problem(
        places=locked.places,
        campaign=locked.campaign,
        until=locked.until,
        withdrawn=locked.withdrawn_at is not None,
        place=place,
        used_campaign=campaign,
        used_on=used_on,
    )
    if fee is not None and member_present:
        problems.setdefault("fee", _("A fee per use is for uses where the member is not there."))
    if problems:
        raise ValidationError(problems)
    line = None
    if fee is not None:
        line = fee_services.offer_fee(
            actor=actor,
            organisation=story.organisation,
            person=story.person,
            description=_("Use of your story “%(title)s”") % {"title": story.title},
            amount=fee,
            activity_date=used_on,
        )
    with acting_as(actor):
        return StoryUse.objects.create(
            story=story,
            place=place,
            campaign=campaign.strip(),
            used_on=used_on,
            note=note.strip(),
            member_present=member_present,
            fee=line,
            recorded_by=actor,
        )
