"""Reads of the people register. Every staff read starts from ``people_for_staff``."""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING, SEEING_PEOPLE
from withus.accounts.selectors import has_role
from withus.core import working_days

from . import rules
from .models import ConsentRecord, Person, SensitiveRead, Tag, WellbeingPlan


class NotShared(PermissionDenied):
    """The person does not (or no longer) share their details with the organisation asking."""

    message = _("This person does not share their details with this organisation.")

    def __init__(self) -> None:
        super().__init__(str(self.message))


def people_sharing_with(organisation: Organisation) -> QuerySet[Person]:
    """Everyone who currently shares their details with ``organisation``.

    The list form of ``person_sharing_with``: a list an organisation's staff read
    (responses to its opportunities, the people in a draw) keeps only these people.
    """
    return Person.objects.sharing_with(organisation)


def shares_with(person: Person, organisation: Organisation) -> bool:
    """Whether ``person`` currently shares their details with ``organisation``."""
    return people_sharing_with(organisation).filter(pk=person.pk).exists()


def person_sharing_with(organisation: Organisation, person: Person | int) -> Person:
    """The person, if they currently share their details with ``organisation``; otherwise ``NotShared``.

    The one check every service and view makes before an organisation reads or
    writes anything about a person: web, API and CLI all refuse the same way.
    """
    pk = person if isinstance(person, int) else person.pk
    found = people_sharing_with(organisation).filter(pk=pk).first()
    if found is None:
        raise NotShared
    return found if isinstance(person, int) else person


def organisations_shared_with(person: Person) -> QuerySet[Organisation]:
    """The organisations ``person`` currently shares their details with."""
    return Organisation.objects.filter(
        consents__person=person,
        consents__purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION,
        consents__withdrawn_at__isnull=True,
    ).distinct()


def people_for_staff(user: Any, organisation: Organisation) -> QuerySet[Person]:
    """People who share their details with ``organisation``, if ``user`` may see them there."""
    if not has_role(user, organisation, *SEEING_PEOPLE):
        raise PermissionDenied
    return people_sharing_with(organisation)


def person_for_staff(user: Any, organisation: Organisation, pk: int) -> Person:
    try:
        return people_for_staff(user, organisation).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


def own_person(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def own_person_or_404(user: Any) -> Person:
    """The signed-in member's own record, for their own pages; 404 if they have no profile."""
    person = own_person(user)
    if person is None:
        raise Http404(_("You do not have a member profile."))
    return person


@dataclass
class PeopleFilter:
    q: str = ""
    perspective: str = ""
    local_authority: str = ""
    status: str = ""
    tags: tuple[int, ...] = ()
    needs: tuple[str, ...] = ()
    channel: str = ""

    def narrows(self) -> bool:
        """Whether the filter leaves anyone out (a search, or any choice made)."""
        return bool(
            self.q
            or self.perspective
            or self.local_authority
            or self.status
            or self.tags
            or any(need in NEED_FIELDS for need in self.needs)
            or self.channel
        )


NEED_FIELDS = {
    "large_print": "needs_large_print",
    "easy_read": "needs_easy_read",
    "audio": "needs_audio",
    "welsh": "prefers_welsh",
    "no_early": "no_meetings_before_1030",
    "step_free": "needs_step_free",
    "hearing_loop": "needs_hearing_loop",
    "companion": "travels_with_companion",
}


def filter_people(people: QuerySet[Person], f: PeopleFilter) -> QuerySet[Person]:
    """Search by name or e-mail and narrow by perspective, area, tags, status and needs.

    Each chosen tag narrows the list further (a person must have all of them).
    """
    if f.q:
        people = people.filter(Q(full_name__icontains=f.q) | Q(preferred_name__icontains=f.q) | Q(email__icontains=f.q))
    if f.perspective:
        if f.perspective in ("service_user", "carer"):
            people = people.filter(perspective__in=[f.perspective, "both"])
        else:
            people = people.filter(perspective=f.perspective)
    if f.local_authority:
        people = people.filter(local_authority=f.local_authority)
    if f.status:
        people = people.filter(status=f.status)
    if f.channel:
        people = people.filter(preferred_channel=f.channel)
    for tag_id in f.tags:
        people = people.filter(tags__id=tag_id)
    for need in f.needs:
        field = NEED_FIELDS.get(need)
        if field:
            people = people.filter(**{field: True})
    return people.distinct() if f.tags else people


def count_for_staff(people: QuerySet[Person], organisation: Organisation, *, narrowed: bool) -> int:
    """How many people ``people`` (``people_for_staff``, ``narrowed`` by a ``filter_people``) holds, for paging.

    With nothing narrowing it, that is how many current consents to share with the
    organisation there are (one a person: ``one_current_consent_per_purpose``), counted on
    the consents' own index without reading a row of the register; otherwise the list's
    own count.
    """
    if narrowed:
        return people.count()
    return ConsentRecord.objects.filter(
        organisation=organisation, purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION, withdrawn_at__isnull=True
    ).count()


def with_list_data(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.prefetch_related("tags").order_by("full_name", "pk")


def tags_by_kind() -> dict[str, list[Tag]]:
    grouped: dict[str, list[Tag]] = {kind: [] for kind in Tag.Kind.values}
    for tag in Tag.objects.all():
        grouped[tag.kind].append(tag)
    return grouped


def wellbeing_plan_for(viewer: Any, person: Person, organisation: Organisation | None) -> WellbeingPlan | None:
    """The person's plan if the viewer may see it, else None."""
    plan = WellbeingPlan.objects.filter(person=person).first()
    if plan is None:
        return None
    viewer_is_person = person.user_id is not None and person.user_id == getattr(viewer, "pk", None)
    coordinates = (
        organisation is not None and has_role(viewer, organisation, *COORDINATING) and shares_with(person, organisation)
    )
    if rules.can_see_wellbeing_plan(
        visible_to=plan.visible_to,
        viewer_is_person=viewer_is_person,
        viewer_coordinates_shared_organisation=coordinates,
    ):
        return plan
    return None


def current_consents(person: Person) -> list[ConsentRecord]:
    return list(person.consents.filter(withdrawn_at__isnull=True).select_related("organisation"))


def may_act_for(person: Person, organisation: Organisation) -> bool:
    return person.consents.filter(
        purpose=ConsentRecord.Purpose.ACT_ON_BEHALF, organisation=organisation, withdrawn_at__isnull=True
    ).exists()


def sharing_organisation_ids(people: QuerySet[Person] | list[Person]) -> dict[int, set[int]]:
    """The ids of the organisations each person currently shares their details with, by person id.

    The batched form of ``shares_with``: one query however many people, for a loop over
    many (alerts, invitation lists). Someone who shares with no organisation has no entry.
    """
    chosen = people.values("pk") if isinstance(people, QuerySet) else [person.pk for person in people]
    rows = ConsentRecord.objects.filter(
        person__in=chosen,
        purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION,
        withdrawn_at__isnull=True,
        organisation__isnull=False,
    ).values_list("person_id", "organisation_id")
    shared: dict[int, set[int]] = {}
    for person_id, organisation_id in rows:
        shared.setdefault(person_id, set()).add(organisation_id)
    return shared


def consenting_to(purpose: str) -> QuerySet[Person]:
    """People with a current (not withdrawn) consent for ``purpose``, such as hearing about opportunities."""
    return Person.objects.filter(
        pk__in=ConsentRecord.objects.filter(purpose=purpose, withdrawn_at__isnull=True).values("person_id")
    )


def reads_of(person: Person, *, limit: int = 100) -> list[SensitiveRead]:
    """Who has seen the person's sensitive details, newest first: for the person's own page."""
    return list(SensitiveRead.objects.filter(person=person).select_related("reader", "organisation")[:limit])


def reads_at(organisation: Organisation) -> QuerySet[SensitiveRead]:
    """Everything the organisation's staff and tokens have read, newest first: for its admin to review."""
    return SensitiveRead.objects.filter(organisation=organisation).select_related("reader", "person")


def bank_holidays(years: Iterable[int]) -> Container[date]:
    """Bank holidays in Wales and England (the same days) for ``years``, from the holidays package."""
    return working_days.bank_holidays("wales", years)


def subject_access_deadline(received: date) -> date:
    """When a request for everything held, received on ``received``, must be answered."""
    return rules.subject_access_deadline(received, bank_holidays([received.year, received.year + 1]))


def sharing_since(person_ids: set[int], organisation_ids: set[int]) -> dict[tuple[int, int], Any]:
    """When each person began sharing their details with each organisation (current consents), in one query."""
    return {
        (row["person_id"], row["organisation_id"]): row["since"]
        for row in ConsentRecord.objects.filter(
            person_id__in=person_ids,
            organisation_id__in=organisation_ids,
            purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION,
            withdrawn_at__isnull=True,
        )
        .values("person_id", "organisation_id")
        .annotate(since=Min("given_at"))
    }
