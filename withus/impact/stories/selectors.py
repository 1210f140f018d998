"""Reads of stories: a member's own, and an organisation's for its coordinators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import has_role
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules
from .models import Story


def stories_of(person: Person) -> QuerySet[Story]:
    return Story.objects.filter(person=person).select_related("organisation").annotate(use_count=Count("uses"))


def stories_at(organisation: Organisation) -> QuerySet[Story]:
    return (
        Story.objects.filter(organisation=organisation)
        .select_related("person")
        .annotate(use_count=Count("uses"))
        .order_by("-consented_at", "-pk")
    )


def story_for(user: Any, pk: int, *, organisation: Organisation | None = None) -> Story:
    """A story its member, or a coordinator of its organisation, may see; else 404."""
    story = Story.objects.select_related("person", "organisation").filter(pk=pk).first()
    if story is None:
        raise Http404
    if (
        organisation is not None
        and story.organisation_id == organisation.pk
        and has_role(user, organisation, *COORDINATING)
    ):
        return story
    if story.person.user_id is not None and story.person.user_id == user.pk:
        return story
    raise Http404


def file_for(user: Any, pk: int, *, organisation: Organisation | None = None) -> Story:
    """A story whose file ``user`` may open now; 404 when there is none or they may not see the story.

    Its member always may. Staff only while the consent holds (not withdrawn, not past its
    end date) and while the member shares their details with the organisation: else
    ``PermissionDenied`` saying why.
    """
    story = story_for(user, pk, organisation=organisation)
    if not story.file:
        raise Http404
    if story.person.user_id is not None and story.person.user_id == user.pk:
        return story
    problem = rules.download_problem(
        withdrawn=story.withdrawn_at is not None, until=story.until, today=timezone.localdate()
    )
    if problem:
        raise PermissionDenied(problem)
    people_selectors.person_sharing_with(story.organisation, story.person_id)
    return story
