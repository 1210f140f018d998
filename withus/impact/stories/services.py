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
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import has_role, require
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
) -> Story:
    """Keep a member's story with the consent they gave: where it may be used, until when, named or not."""
    require(actor, organisation, COORDINATING)
    people_selectors.person_sharing_with(organisation, person)
    problems = rules.consent_problems(places=places, campaign=campaign, until=until, today=timezone.localdate())
    if not title.strip():
        problems["title"] = _("Give it a title.")
    if kind not in Story.Kind.values:
        problems["kind"] = _("Choose what it is.")
    if problems or until is None:
        raise ValidationError(problems)
    with acting_as(actor):
        return Story.objects.create(
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
