"""A 4PI assessment scored by two members and two staff, for the tests of assessments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tests.conftest import make_member, make_staff
from withus.accounts.models import Organisation, Role, User
from withus.assessments import services
from withus.assessments.models import Assessment, Framework, Item
from withus.people.models import Person


def four_pi() -> Framework:
    return Framework.objects.get(organisation=None, code="4pi")


@dataclass
class Scored:
    assessment: Assessment
    coordinator: User
    members: list[Person]
    staff: list[User]
    items: list[Item]

    @property
    def member_users(self) -> list[User]:
        return [m.user for m in self.members if m.user is not None]


def open_4pi(organisation: Organisation, coordinator: User, *, year: int = 2026) -> Scored:
    members = [make_member(organisation, full_name=f"Member {n}") for n in (1, 2)]
    staff = [make_staff(organisation, Role.SUPERVISOR), coordinator]
    assessment = services.open_assessment(
        actor=coordinator,
        organisation=organisation,
        framework=four_pi(),
        title=f"4PI {year}",
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
    )
    for person in members:
        assert person.user is not None
        services.invite_scorer(actor=coordinator, assessment=assessment, user=person.user, side="member")
    for user in staff:
        services.invite_scorer(actor=coordinator, assessment=assessment, user=user, side="staff")
    return Scored(assessment, coordinator, members, staff, list(four_pi().items.all()))


def score_all(scored: Scored, *, members: int, staff: int) -> None:
    """Every scorer scores every item: members ``members``, staff ``staff``."""
    for user in scored.member_users:
        for item in scored.items:
            services.record_score(
                actor=user, assessment=scored.assessment, item=item, value=members, evidence="members' reason"
            )
    for user in scored.staff:
        for item in scored.items:
            services.record_score(
                actor=user, assessment=scored.assessment, item=item, value=staff, evidence="staff reason"
            )
