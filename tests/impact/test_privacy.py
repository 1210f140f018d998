from __future__ import annotations

import pytest

from tests.conftest import make_member
from withus.accounts.models import Organisation, User
from withus.core import privacy
from withus.impact.contributions import services
from withus.impact.contributions.models import Contribution, Step
from withus.meetings.models import Session
from withus.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_members_contributions_and_replies_are_in_their_download(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="Warmer rooms",
        perspective="carer",
        session=held_session,
        contributors=[services.ContributorChoice(member_a)],
    )
    assert member_a.user is not None
    services.reply(actor=member_a.user, contribution=contribution, text="Still cold")
    sections = {s.key: s for s in privacy.sections(member_a)}
    assert sections["contributions"].records[0]["text"] == "Warmer rooms"  # type: ignore[index]
    assert sections["contribution_replies"].records[0]["text"] == "Still cold"  # type: ignore[index]


def test_erasure_takes_their_words_and_keeps_what_others_said_with_them(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    other = make_member(org_a)
    alone = services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="Mine alone",
        perspective="carer",
        session=held_session,
        contributors=[services.ContributorChoice(member_a)],
    )
    shared = services.record_contribution(
        actor=coordinator_a,
        organisation=org_a,
        text="Ours",
        perspective="carer",
        session=held_session,
        contributors=[services.ContributorChoice(member_a), services.ContributorChoice(other)],
    )
    assert member_a.user is not None
    services.reply(actor=member_a.user, contribution=shared, text="My reply")
    privacy.erase(member_a)
    assert not Contribution.objects.filter(pk=alone.pk).exists()
    assert [c.person for c in shared.contributors.all()] == [other]
    assert not Step.objects.filter(text="My reply").exists()
    assert next(s for s in privacy.sections(member_a) if s.key == "contributions").records == []
