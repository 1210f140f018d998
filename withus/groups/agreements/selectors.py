"""Reads of group agreements and codes of conduct: the current versions, and who has agreed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.people import selectors as people_selectors
from withus.people.models import Person

from .. import selectors as group_selectors
from ..models import Group
from . import rules
from .models import Agreed, CodeOfConduct, GroupAgreement


def current_agreement(group: Group) -> GroupAgreement | None:
    return GroupAgreement.objects.filter(group=group).order_by("-adopted_on", "-pk").first()


def current_code(organisation: Organisation) -> CodeOfConduct | None:
    return CodeOfConduct.objects.filter(organisation=organisation).order_by("-published_on", "-pk").first()


def has_accepted_code(person: Person, organisation: Organisation) -> bool:
    """Whether the person accepted the organisation's current code; True when it has none."""
    code = current_code(organisation)
    return code is None or Agreed.objects.filter(code=code, person=person).exists()


@dataclass(frozen=True)
class MemberAgreed:
    person: Person
    agreed: Agreed | None


@dataclass(frozen=True)
class AgreementPage:
    group: Group
    agreement: GroupAgreement | None
    review_due: bool
    members: list[MemberAgreed]
    earlier: list[GroupAgreement]

    @property
    def waiting(self) -> list[Person]:
        return [m.person for m in self.members if m.agreed is None]


def agreement_page(group: Group, *, today: date | None = None) -> AgreementPage:
    """The group's current ground rules, its current members each with whether they agreed, and earlier versions."""
    today = today or timezone.localdate()
    versions = list(
        GroupAgreement.objects.filter(group=group).select_related("adopted_by").order_by("-adopted_on", "-pk")
    )
    agreement = versions[0] if versions else None
    people = sorted({a.person_id: a.person for a in group_selectors.serving_on(group, today=today)}.values(),
                    key=lambda p: (p.full_name, p.pk))  # fmt: skip
    agreed = {a.person_id: a for a in Agreed.objects.filter(agreement=agreement)} if agreement else {}
    return AgreementPage(
        group=group,
        agreement=agreement,
        review_due=agreement is not None and rules.review_due(adopted_on=agreement.adopted_on, today=today),
        members=[MemberAgreed(p, agreed.get(p.pk)) for p in people],
        earlier=versions[1:20],
    )


@dataclass(frozen=True)
class ToAgree:
    """Ground rules or a code of conduct shown to a member, and whether they agreed to this version."""

    kind: str  # "group" or "code"
    pk: int
    title: str
    text: str
    since: date
    agreed: Agreed | None


def for_member(person: Person, *, today: date | None = None) -> list[ToAgree]:
    """The ground rules of every group the member sits on now and the code of conduct of every organisation
    they share with, current versions only, each with whether they have agreed. A fixed number of queries."""
    today = today or timezone.localdate()
    seats = group_selectors.seats_held_by(person).select_related("group")
    groups = {a.group_id: a.group for a in seats if a.ended_on is None and a.term_start <= today <= a.planned_end}
    latest: dict[int, GroupAgreement] = {}
    for agreement in GroupAgreement.objects.filter(group_id__in=groups).order_by("adopted_on", "pk"):
        latest[agreement.group_id] = agreement
    codes: dict[int, CodeOfConduct] = {}
    organisations = list(people_selectors.organisations_shared_with(person))
    for code in CodeOfConduct.objects.filter(organisation__in=organisations).order_by("published_on", "pk"):
        codes[code.organisation_id] = code
    given = Agreed.objects.filter(person=person)
    by_agreement = {a.agreement_id: a for a in given.filter(agreement__in=latest.values())}
    by_code = {a.code_id: a for a in given.filter(code__in=codes.values())}
    names = {o.pk: o for o in organisations}
    found = [
        ToAgree("group", a.pk, str(groups[a.group_id]), a.text_shown, a.adopted_on, by_agreement.get(a.pk))
        for a in latest.values()
    ]
    found += [
        ToAgree("code", c.pk, str(names[c.organisation_id]), c.text_shown, c.published_on, by_code.get(c.pk))
        for c in codes.values()
    ]
    return sorted(found, key=lambda t: (t.agreed is not None, t.kind, t.title))


def agreement_for_member(person: Person, pk: int) -> GroupAgreement:
    """A current group agreement of a group the member sits on; 404 for any other."""
    for item in for_member(person):
        if item.kind == "group" and item.pk == pk:
            return GroupAgreement.objects.select_related("group__organisation").get(pk=pk)
    raise Http404


def code_for_member(person: Person, pk: int) -> CodeOfConduct:
    """The current code of conduct of an organisation the member shares with; 404 for any other."""
    for item in for_member(person):
        if item.kind == "code" and item.pk == pk:
            return CodeOfConduct.objects.select_related("organisation").get(pk=pk)
    raise Http404


def current_agreements_of(organisation: Organisation) -> list[GroupAgreement]:
    """The current ground rules of each of the organisation's groups that has them, by group name."""
    latest: dict[int, GroupAgreement] = {}
    for agreement in agreements_of(organisation).order_by("adopted_on", "pk"):
        latest[agreement.group_id] = agreement
    return sorted(latest.values(), key=lambda a: (str(a.group), a.pk))


def agreements_of(organisation: Organisation) -> QuerySet[GroupAgreement]:
    """Every version of the ground rules of the organisation's groups, for a concern to point to."""
    return GroupAgreement.objects.filter(group__organisation=organisation).select_related("group")


def code_acceptances(code: CodeOfConduct, limit: int = 200) -> QuerySet[Agreed]:
    return Agreed.objects.filter(code=code).select_related("person", "recorded_by").order_by("-at", "-pk")[:limit]


def member_person(user: Any, organisation: Organisation, pk: int) -> Person:
    return people_selectors.person_for_staff(user, organisation, pk)
