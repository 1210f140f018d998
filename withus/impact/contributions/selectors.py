"""Reads of "you said, we did" that pages, the API, the command and the letters share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_CONTRIBUTIONS
from withus.accounts.selectors import has_role
from withus.people.models import OutgoingMessage, Person

from . import rules
from .models import Answer, Contribution, Contributor, FollowUp, ImpactSettings, Notice, Step


def settings_for(organisation: Organisation) -> ImpactSettings:
    settings_, _created = ImpactSettings.objects.get_or_create(organisation=organisation)
    return settings_


def _listed(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    return (
        contributions.select_related("session", "opportunity", "project", "on_behalf_of")
        .annotate(contributor_count=Count("contributors", distinct=True))
        .order_by("-recorded_at", "-pk")
    )


def contributions_for_staff(organisation: Organisation, *, outcome: str = "") -> QuerySet[Contribution]:
    """The organisation's contributions, newest first; ``outcome`` "unanswered" or a decision narrows them."""
    contributions = Contribution.objects.filter(organisation=organisation)
    if outcome == "unanswered":
        contributions = contributions.filter(Q(outcome="") | Q(outcome=rules.Decision.PENDING))
    elif outcome in rules.Decision.values:
        contributions = contributions.filter(outcome=outcome)
    return _listed(contributions)


def contributions_of(person: Person) -> QuerySet[Contribution]:
    """A member's own contributions, at every organisation."""
    return _listed(Contribution.objects.filter(contributors__person=person)).select_related("organisation")


def contribution_for(user: Any, pk: int, *, organisation: Organisation | None = None) -> Contribution:
    """A contribution the user may see: any of their organisation's (staff), or one they made (members); else 404."""
    contribution = (
        Contribution.objects.select_related(
            "organisation", "session", "opportunity", "project", "on_behalf_of", "decision_maker", "recorded_by"
        )
        .filter(pk=pk)
        .first()
    )
    if contribution is None:
        raise Http404
    seen_by_staff = organisation is not None and contribution.organisation_id == organisation.pk
    if seen_by_staff and organisation is not None and has_role(user, organisation, *SEEING_CONTRIBUTIONS):
        return contribution
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is not None and contribution.contributors.filter(person=person).exists():
        return contribution
    raise Http404


@dataclass(frozen=True)
class Timeline:
    contribution: Contribution
    contributors: list[Contributor]
    steps: list[Step]
    answer: Answer | None
    follow_up: FollowUp | None


def timeline(contribution: Contribution) -> Timeline:
    """Said, answered, the action and its progress, checked again, and replies, with how each reached each person.

    A fixed number of queries however long the timeline is and however many were told.
    """
    contributors = list(contribution.contributors.select_related("person"))
    notices = Notice.objects.select_related("person", "message").order_by("person__full_name")
    steps = list(
        contribution.steps.select_related("answer", "answer__action", "by_person", "by_user").prefetch_related(
            Prefetch("notices", queryset=notices)
        )
    )
    answers = [s.answer for s in steps if s.kind == Step.Kind.ANSWERED and s.answer is not None]
    follow_up = FollowUp.objects.filter(contribution=contribution).first()
    return Timeline(contribution, contributors, steps, answers[-1] if answers else None, follow_up)


def overdue_to_flag(today: date) -> QuerySet[Contribution]:
    """Contributions past their answer date with no decision, not flagged yet."""
    return Contribution.objects.filter(
        Q(outcome="") | Q(outcome=rules.Decision.PENDING), answer_due_on__lt=today, overdue_flagged_at__isnull=True
    ).select_related("organisation", "decision_maker")


def follow_ups_to_ask(today: date) -> QuerySet[Contribution]:
    """Contributions whose check on what changed is due and not asked yet."""
    return Contribution.objects.filter(follow_up_due_on__lte=today, follow_up__isnull=True).select_related(
        "organisation", "decision_maker"
    )


def actions_done_untold() -> QuerySet[Answer]:
    """Answers whose action is done and whose contributors have not been told yet."""
    told = Step.objects.filter(contribution=OuterRef("contribution"), kind=Step.Kind.ACTION_DONE)
    return (
        Answer.objects.filter(action__done_at__isnull=False)
        .exclude(Exists(told))
        .select_related("contribution", "action")
    )


def follow_ups_waiting(user: Any, organisation: Organisation) -> QuerySet[FollowUp]:
    """Follow-ups asked and not answered: the user's own, or all of the organisation's for those who see them."""
    follow_ups = FollowUp.objects.filter(contribution__organisation=organisation, answered_at__isnull=True)
    if not has_role(user, organisation, *SEEING_CONTRIBUTIONS):
        follow_ups = follow_ups.filter(owner=user)
    return follow_ups.select_related("contribution")


def letters_to_print(organisation: Organisation | None = None) -> QuerySet[Notice]:
    """Steps to tell by post, not printed yet, oldest first."""
    notices = Notice.objects.filter(printed_at__isnull=True, message__status=OutgoingMessage.Status.TO_PRINT)
    if organisation is not None:
        notices = notices.filter(step__contribution__organisation=organisation)
    return notices.select_related(
        "person", "message__person", "message__organisation", "step", "step__contribution__organisation"
    ).order_by("pk")


# ---- What the public sees ------------------------------------------------------------------


def _publishable(organisation: Organisation) -> QuerySet[Contribution]:
    refused = Contributor.objects.filter(contribution=OuterRef("pk"), agrees_to_publish=False)
    return (
        Contribution.objects.filter(organisation=organisation)
        .filter(Exists(Contributor.objects.filter(contribution=OuterRef("pk"))))
        .exclude(Exists(refused))
    )


def published(organisation: Organisation, *, service: str = "", outcome: str = "") -> QuerySet[Contribution]:
    """Contributions every contributor agreed to publish, with their answers and what changed.

    Names are never read here: the page names only contributors who agreed to be named
    (``named_contributors``).
    """
    contributions = _publishable(organisation)
    if service:
        contributions = contributions.filter(service=service)
    if outcome in rules.Decision.values:
        contributions = contributions.filter(outcome=outcome)
    named = Contributor.objects.filter(agrees_to_be_named=True).select_related("person")
    answers = Answer.objects.order_by("-answered_at", "-pk")
    return contributions.select_related("follow_up", "organisation").prefetch_related(
        Prefetch("contributors", queryset=named, to_attr="named_contributors"),
        Prefetch("answers", queryset=answers, to_attr="answers_newest_first"),
    )


def published_services(organisation: Organisation) -> list[str]:
    """The services named on published contributions, for the page's filter."""
    return sorted(set(_publishable(organisation).exclude(service="").values_list("service", flat=True)))
