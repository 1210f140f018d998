"""Reads about preparation: who is offered what, for one session, for one member, for a batch of letters.

Each read is a handful of queries whatever the number of people or sessions: who is new is
worked out for the whole batch from two aggregates (first session attended, date of joining).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Min, QuerySet

from withus.meetings import selectors as meetings_selectors
from withus.meetings.models import Attendance, Invitation, Session
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules
from .models import Preparation, PreparationAnswer


def needs_of(person: Person) -> rules.Needs:
    return rules.Needs(
        easy_read=person.needs_easy_read,
        audio=person.needs_audio,
        step_free=person.needs_step_free,
        hearing_loop=person.needs_hearing_loop,
        companion=person.travels_with_companion,
    )


def offered_kinds(pairs: Iterable[tuple[Person, Session]]) -> dict[tuple[int, int], list[str]]:
    """The kinds of preparation each (person, session) is offered, by (person id, session id): two queries."""
    wanted = list(pairs)
    if not wanted:
        return {}
    person_ids = {p.pk for p, _s in wanted}
    organisation_ids = {s.organisation_id for _p, s in wanted}
    first_attended = {
        (row["person_id"], row["session__organisation_id"]): row["first"]
        for row in Attendance.objects.filter(
            person_id__in=person_ids,
            session__organisation_id__in=organisation_ids,
            status=Attendance.Status.ATTENDED,
        )
        .values("person_id", "session__organisation_id")
        .annotate(first=Min("session__starts_at"))
    }
    joined = people_selectors.sharing_since(person_ids, organisation_ids)
    found: dict[tuple[int, int], list[str]] = {}
    for person, session in wanted:
        key = (person.pk, session.organisation_id)
        first = first_attended.get(key)
        new = rules.is_new_member(
            sessions_attended_before=0 if first is None or first >= session.starts_at else 1,
            joined_at=joined.get(key),
            session_starts_at=session.starts_at,
        )
        needs = needs_of(person)
        found[(person.pk, session.pk)] = [k for k in rules.KINDS if rules.is_offered(k, new_member=new, needs=needs)]
    return found


@dataclass
class Offer:
    """One preparation offered to one member, with their answer (None: not answered yet)."""

    preparation: Preparation
    person: Person
    wanted: bool | None


@dataclass
class SessionPreparation:
    """What the staff page of a session shows: each preparation arranged and who is offered it."""

    session: Session
    preparations: list[Preparation]
    offers: dict[int, list[Offer]] = field(default_factory=dict)  # by preparation id

    @property
    def rows(self) -> list[tuple[Preparation, list[Offer]]]:
        return [(p, self.offers.get(p.pk, [])) for p in self.preparations]

    @property
    def missing_kinds(self) -> list[str]:
        arranged = {p.kind for p in self.preparations}
        return [k for k in rules.KINDS if k not in arranged]


def _preparations(sessions: Iterable[int]) -> QuerySet[Preparation]:
    return Preparation.objects.filter(session_id__in=list(sessions)).select_related(
        "by_staff", "by_person", "session__organisation", "session__venue"
    )


def _answers(preparations: Iterable[Preparation], people: Iterable[int]) -> dict[tuple[int, int], bool]:
    return {
        (a.preparation_id, a.person_id): a.wanted
        for a in PreparationAnswer.objects.filter(
            preparation_id__in=[p.pk for p in preparations], person_id__in=list(people)
        )
    }


def _offers(preparations: list[Preparation], invitations: list[Invitation]) -> list[Offer]:
    pairs = [(i.person, i.session) for i in invitations if i.person is not None]
    kinds = offered_kinds(pairs)
    answers = _answers(preparations, {p.pk for p, _s in pairs})
    offers = []
    for preparation in preparations:
        for person, session in pairs:
            if session.pk == preparation.session_id and preparation.kind in kinds[(person.pk, session.pk)]:
                offers.append(Offer(preparation, person, answers.get((preparation.pk, person.pk))))
    return offers


def session_preparation(session: Session) -> SessionPreparation:
    """The preparation arranged for a session and who is offered it, with their answers: five queries."""
    preparations = list(_preparations([session.pk]))
    invitations = list(
        Invitation.objects.filter(session=session, person__isnull=False)
        .select_related("person", "session")
        .order_by("person__full_name", "pk")
    )
    found = SessionPreparation(session=session, preparations=preparations)
    for offer in _offers(preparations, invitations) if preparations else []:
        found.offers.setdefault(offer.preparation.pk, []).append(offer)
    return found


def session_preparation_for_staff(user: Any, organisation: Any, pk: int) -> SessionPreparation:
    """For staff who may see the organisation's sessions (others: PermissionDenied; another organisation's: 404)."""
    return session_preparation(meetings_selectors.session_for_staff(user, organisation, pk))


def offers_to(person: Person, *, now: datetime) -> list[Offer]:
    """What a member is offered for their sessions still to come (invitation sent): five queries."""
    invitations = list(
        Invitation.objects.filter(person=person, sent_at__isnull=False, session__starts_at__gt=now)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("person", "session")
    )
    preparations = list(_preparations({i.session_id for i in invitations}).order_by("session__starts_at", "at"))
    return _offers(preparations, invitations) if preparations else []


def offer_to(person: Person, preparation_pk: int, *, now: datetime) -> Offer | None:
    """One of the member's own offers, or None (not theirs, not offered, or past)."""
    return next((o for o in offers_to(person, now=now) if o.preparation.pk == preparation_pk), None)


def offers_for_letters(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[Offer]]:
    """Offers by (person id, session id), for a batch of letters and e-mails: five queries."""
    if not pairs:
        return {}
    invitations = list(
        Invitation.objects.filter(
            person_id__in={p for p, _s in pairs}, session_id__in={s for _p, s in pairs}
        ).select_related("person", "session")
    )
    invitations = [i for i in invitations if (i.person_id, i.session_id) in pairs]
    preparations = list(_preparations({i.session_id for i in invitations}))
    found: dict[tuple[int, int], list[Offer]] = {}
    for offer in _offers(preparations, invitations) if preparations else []:
        found.setdefault((offer.person.pk, offer.preparation.session_id), []).append(offer)
    return found


def preparations_given_by_person(person: Person) -> QuerySet[Preparation]:
    return Preparation.objects.filter(by_person=person).select_related("session")
