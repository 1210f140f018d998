"""Reads of support that the pages, the API, the digest and letters share.

Staff reads start from ``person_for_support``: the member must share their details
with the organisation, and the reader must hold a supporting role there. Safeguarding
notes are read only through ``contacts_for_staff``, which leaves them out for everyone
but the safeguarding lead, and never reach a member (``contacts_for_member``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from withus.accounts.models import Membership, Organisation, User
from withus.accounts.roles import COORDINATING, SAFEGUARDING, SUPPORTING
from withus.accounts.selectors import has_role, require
from withus.meetings.models import Debrief
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules
from .models import (
    CallRequest,
    CheckInPlan,
    Contact,
    DevelopmentGoal,
    Mentoring,
    Supervision,
    SupervisionGroup,
    SupportAssignment,
    SupportPart,
    SupportSettings,
)


def support_settings(organisation: Organisation) -> SupportSettings:
    """The organisation's settings, or the defaults (contact every 30 days, calls within 48 hours)."""
    found = SupportSettings.objects.filter(organisation=organisation).first()
    return found or SupportSettings(organisation=organisation)


def person_for_support(actor: Any, organisation: Organisation, person: Person | int) -> Person:
    """The member, if ``actor`` supports people at ``organisation`` and the member shares with it; else 404.

    Staff of another organisation, and anyone asking about someone who does not share
    their details here, find nothing: as if the member did not exist.
    """
    require(actor, organisation, SUPPORTING)
    try:
        return people_selectors.person_sharing_with(organisation, person)
    except people_selectors.NotShared:
        raise Http404 from None


def may_read_safeguarding(actor: Any, organisation: Organisation) -> bool:
    return has_role(actor, organisation, *SAFEGUARDING)


def supporting_staff(organisation: Organisation) -> list[User]:
    """Who may be named as a support contact or supervisor at ``organisation``, by name."""
    ids = Membership.objects.filter(organisation=organisation, role__in=SUPPORTING).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "email"))


def coordinators_of(organisation: Organisation) -> list[User]:
    ids = Membership.objects.filter(organisation=organisation, role__in=COORDINATING).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("email"))


def current_assignments(person: Person, organisation: Organisation) -> dict[str, SupportAssignment]:
    """The member's current support contact and supervisor at ``organisation``, by part."""
    current = SupportAssignment.objects.filter(person=person, organisation=organisation, ended_at__isnull=True)
    return {a.part: a for a in current.select_related("staff")}


def assignment_history(person: Person, organisation: Organisation) -> list[SupportAssignment]:
    return list(
        SupportAssignment.objects.filter(person=person, organisation=organisation).select_related(
            "staff", "assigned_by", "covering_for"
        )
    )


def contacts_for_staff(actor: Any, organisation: Organisation, person: Person) -> QuerySet[Contact]:
    """Contacts with the member at ``organisation``: safeguarding notes only for the safeguarding lead."""
    contacts = Contact.objects.filter(person=person, organisation=organisation).select_related("recorded_by")
    if not may_read_safeguarding(actor, organisation):
        contacts = contacts.filter(safeguarding=False)
    return contacts


def contacts_for_member(person: Person) -> QuerySet[Contact]:
    """The member's own contacts at every organisation, never a safeguarding note."""
    return (
        Contact.objects.filter(person=person, safeguarding=False)
        .select_related("organisation", "recorded_by")
        .order_by("-on", "-recorded_at", "-pk")
    )


@dataclass(frozen=True)
class MySupport:
    """Who supports the member at one organisation, and how to reach them."""

    organisation: Organisation
    support_contact: SupportAssignment | None
    supervisor: SupportAssignment | None
    check_in_every_days: int | None


def my_support(person: Person) -> list[MySupport]:
    """For the member's pages and letters: at each organisation they share with, who supports them."""
    organisations = list(people_selectors.organisations_shared_with(person).order_by("name"))
    current = SupportAssignment.objects.filter(
        person=person, organisation__in=organisations, ended_at__isnull=True
    ).select_related("staff")
    by_org: dict[tuple[int, str], SupportAssignment] = {(a.organisation_id, a.part): a for a in current}
    plans = {p.organisation_id: p.every_days for p in CheckInPlan.objects.filter(person=person)}
    return [
        MySupport(
            organisation=o,
            support_contact=by_org.get((o.pk, SupportPart.SUPPORT_CONTACT)),
            supervisor=by_org.get((o.pk, SupportPart.SUPERVISOR)),
            check_in_every_days=plans.get(o.pk),
        )
        for o in organisations
    ]


def support_contacts_of(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], User]:
    """The current support contact for each (person id, organisation id): one query for a whole batch of letters."""
    pairs = set(pairs)
    if not pairs:
        return {}
    people = {p for p, _o in pairs}
    organisations = {o for _p, o in pairs}
    current = SupportAssignment.objects.filter(
        person_id__in=people,
        organisation_id__in=organisations,
        part=SupportPart.SUPPORT_CONTACT,
        ended_at__isnull=True,
    ).select_related("staff")
    return {(a.person_id, a.organisation_id): a.staff for a in current if (a.person_id, a.organisation_id) in pairs}


def waiting_calls(person: Person, organisation: Organisation) -> list[CallRequest]:
    return list(CallRequest.objects.filter(person=person, organisation=organisation, answered_at__isnull=True))


def support_list(organisation: Organisation) -> QuerySet[Person]:
    """Everyone sharing with ``organisation``, with their current support contact and supervisor
    (``current_support``, prefetched) and the date of their last contact (``last_contact_on``).

    A constant number of queries however many people are listed.
    """
    last = Contact.objects.filter(person=OuterRef("pk"), organisation=organisation).order_by("-on").values("on")[:1]
    current = SupportAssignment.objects.filter(organisation=organisation, ended_at__isnull=True).select_related("staff")
    return (
        people_selectors.people_sharing_with(organisation)
        .annotate(last_contact_on=Subquery(last))
        .prefetch_related(Prefetch("support_assignments", queryset=current, to_attr="current_support"))
        .order_by("full_name", "pk")
    )


# ---- The digest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestLine:
    person: Person
    parts: tuple[str, ...]
    entry: rules.DigestEntry

    @property
    def reasons(self) -> list[str]:
        return [str(rules.Reason.LABELS[r]) for r in self.entry.reasons]


def digest_for(staff: User, organisation: Organisation, *, today: date | None = None) -> list[DigestLine]:
    """The weekly digest of one support contact or supervisor (``rules.digest_entries``).

    Read in a fixed number of queries whatever the number of people: the page, the
    e-mail and the API all call this.
    """
    today = today or timezone.localdate()
    assignments = list(
        SupportAssignment.objects.filter(organisation=organisation, staff=staff, ended_at__isnull=True)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    if not assignments:
        return []
    people: dict[int, Person] = {}
    parts: dict[int, list[str]] = {}
    since: dict[int, date] = {}
    for a in assignments:
        people[a.person_id] = a.person
        parts.setdefault(a.person_id, []).append(a.part)
        started = timezone.localtime(a.starts_at).date()
        since[a.person_id] = min(since.get(a.person_id, started), started)
    ids = list(people)
    contacts = Contact.objects.filter(organisation=organisation, person_id__in=ids)
    last_contact = dict(contacts.values("person_id").annotate(last=Max("on")).values_list("person_id", "last"))
    last_check_in = dict(
        contacts.filter(kind=Contact.Kind.CHECK_IN)
        .values("person_id")
        .annotate(last=Max("on"))
        .values_list("person_id", "last")
    )
    calls: dict[int, int] = {}
    for person_id in CallRequest.objects.filter(
        organisation=organisation, person_id__in=ids, answered_at__isnull=True
    ).values_list("person_id", flat=True):
        calls[person_id] = calls.get(person_id, 0) + 1
    debrief_calls: dict[int, int] = {}
    low_after: dict[int, date] = {}
    debriefs = Debrief.objects.filter(
        session__organisation=organisation, person_id__in=ids, answered_at__isnull=False, follow_up_done_at__isnull=True
    ).values_list("person_id", "wants_call", "feeling", "answered_at", "call_request")
    for person_id, wants_call, feeling, answered_at, call_request in debriefs:
        if wants_call and call_request is None:  # one that is a call request now is counted with the calls
            debrief_calls[person_id] = debrief_calls.get(person_id, 0) + 1
        if feeling == Debrief.Feeling.NOT_GOOD:
            answered = timezone.localtime(answered_at).date()
            low_after[person_id] = max(low_after.get(person_id, answered), answered)
    plans = {p.person_id: p for p in CheckInPlan.objects.filter(organisation=organisation, person_id__in=ids)}
    supervised = [a for a in assignments if a.part == SupportPart.SUPERVISOR]
    # A supervision held is a contact too.
    last_supervision = last_supervisions(organisation, ids)
    for person_id, on in last_supervision.items():
        last_contact[person_id] = max(last_contact.get(person_id, on), on)
    every_weeks = support_settings(organisation).supervision_every_weeks
    supervision_due = {
        a.person_id: rules.supervision_due_on(
            last_on=last_supervision.get(a.person_id),
            since=timezone.localtime(a.starts_at).date(),
            every_weeks=every_weeks,
        )
        for a in supervised
    }
    facts = []
    for person_id in ids:
        plan = plans.get(person_id)
        checked = last_check_in.get(person_id)
        low = low_after.get(person_id)
        facts.append(
            rules.PersonFacts(
                person_id=person_id,
                last_contact_on=last_contact.get(person_id),
                supported_since=since[person_id],
                calls_waiting=calls.get(person_id, 0),
                debrief_calls=debrief_calls.get(person_id, 0),
                check_in_every_days=plan.every_days if plan else None,
                check_in_chosen_on=timezone.localtime(plan.chosen_at).date() if plan else None,
                last_check_in_on=checked,
                felt_low_since_check_in=low is not None and (checked is None or low >= checked),
                supervision_due_on=supervision_due.get(person_id),
            )
        )
    entries = rules.digest_entries(
        facts, today=today, contact_every_days=support_settings(organisation).contact_every_days
    )
    return [DigestLine(people[e.person_id], tuple(parts[e.person_id]), e) for e in entries]


def digest_recipients(organisation: Organisation) -> list[User]:
    """Everyone at ``organisation`` who supports or supervises someone now."""
    ids = SupportAssignment.objects.filter(organisation=organisation, ended_at__isnull=True).values("staff_id")
    return list(User.objects.filter(pk__in=ids).order_by("email"))


# ---- Supervision and development plans --------------------------------------------------------


def last_supervisions(organisation: Organisation, person_ids: list[int]) -> dict[int, date]:
    """The date of each member's last supervision at ``organisation``, one-to-one or in a peer group: two queries."""
    if not person_ids:
        return {}
    held = Supervision.objects.filter(organisation=organisation)
    last: dict[int, date] = dict(
        held.filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(last=Max("on"))
        .values_list("person_id", "last")
    )
    in_groups = (
        held.filter(group__members__in=person_ids)
        .values("group__members")
        .annotate(last=Max("on"))
        .values_list("group__members", "last")
    )
    for person_id, on in in_groups:
        last[person_id] = max(last.get(person_id, on), on)
    return last


def next_supervision_due(person: Person, organisation: Organisation) -> date | None:
    """When the member's next supervision is due, if they have a supervisor at ``organisation``."""
    supervisor = current_assignments(person, organisation).get(SupportPart.SUPERVISOR)
    if supervisor is None:
        return None
    return rules.supervision_due_on(
        last_on=last_supervisions(organisation, [person.pk]).get(person.pk),
        since=timezone.localtime(supervisor.starts_at).date(),
        every_weeks=support_settings(organisation).supervision_every_weeks,
    )


def _with_notes(supervisions: QuerySet[Supervision]) -> QuerySet[Supervision]:
    return supervisions.select_related("supervisor", "organisation", "group", "person").prefetch_related(
        "notes__by_person", "notes__by_staff"
    )


def supervisions_of(person: Person, organisation: Organisation | None = None) -> QuerySet[Supervision]:
    """The member's supervisions, one-to-one and in their peer groups, with their notes (newest first)."""
    in_groups = Supervision.objects.filter(group__members=person).values("pk")
    supervisions = Supervision.objects.filter(Q(person=person) | Q(pk__in=in_groups))
    if organisation is not None:
        supervisions = supervisions.filter(organisation=organisation)
    return _with_notes(supervisions)


def supervision_for_member(person: Person, pk: int) -> Supervision:
    """One of the member's own supervisions, or 404: another member's is as if it did not exist."""
    found = supervisions_of(person).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def supervision_groups(actor: Any, organisation: Organisation) -> QuerySet[SupervisionGroup]:
    require(actor, organisation, SUPPORTING)
    return (
        SupervisionGroup.objects.filter(organisation=organisation)
        .select_related("supervisor")
        .prefetch_related("members")
    )


def supervision_group(actor: Any, organisation: Organisation, pk: int) -> SupervisionGroup:
    found = supervision_groups(actor, organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def group_supervisions(group: SupervisionGroup) -> QuerySet[Supervision]:
    return _with_notes(Supervision.objects.filter(group=group))


def goals_of(person: Person) -> QuerySet[DevelopmentGoal]:
    """The member's personal development plan: every goal, at every organisation, by review date."""
    return DevelopmentGoal.objects.filter(person=person).select_related("organisation")


def goal_for_member(person: Person, pk: int) -> DevelopmentGoal:
    found = goals_of(person).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# ---- Mentors and buddies ---------------------------------------------------------------------


def _mentoring(queryset: QuerySet[Mentoring]) -> QuerySet[Mentoring]:
    return queryset.select_related("new_member", "mentor", "organisation", "appointment__group").prefetch_related(
        "check_ins__by_person", "check_ins__by_staff"
    )


def mentoring_at(actor: Any, organisation: Organisation) -> QuerySet[Mentoring]:
    """Every pairing at ``organisation``, current first, for staff who support people there."""
    require(actor, organisation, SUPPORTING)
    return _mentoring(Mentoring.objects.filter(organisation=organisation)).order_by("ended_on", "review_on", "pk")


def mentoring_of(person: Person) -> QuerySet[Mentoring]:
    """The pairings the member is in, as the new member or as the mentor."""
    return _mentoring(Mentoring.objects.filter(Q(new_member=person) | Q(mentor=person)))


def mentoring_for_member(person: Person, pk: int) -> Mentoring:
    found = mentoring_of(person).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def mentoring_for_staff(actor: Any, organisation: Organisation, pk: int) -> Mentoring:
    """One pairing at ``organisation``; 404 for another organisation's."""
    found = mentoring_at(actor, organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
