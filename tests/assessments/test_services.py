from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.assessments.helpers import four_pi, open_4pi, score_all
from tests.conftest import make_member, make_staff
from tests.meetings.factories import SessionFactory
from withus.accounts.models import Organisation, Role, User
from withus.assessments import selectors, services
from withus.assessments.models import Action, Agreement, Framework, Item, Score

pytestmark = pytest.mark.django_db


def test_shipped_frameworks_are_there_in_english_and_welsh_with_their_sources() -> None:
    codes = set(Framework.objects.filter(organisation=None).values_list("code", flat=True))
    assert {"4pi", "good-practice-checklist", "leadership-spectrum", "minimum-expectations"} <= codes
    fw = four_pi()
    assert [s.label for s in fw.steps.all()] == ["Not met", "Part met", "Met"]
    assert set(fw.items.values_list("standard", flat=True)) == {
        "Principles",
        "Purpose",
        "Presence",
        "Process",
        "Impact",
    }
    assert not fw.items.filter(text_cy="").exists()
    assert not fw.items.filter(source="").exists()
    spectrum = Framework.objects.get(organisation=None, code="leadership-spectrum")
    assert spectrum.steps.count() == 3


def test_an_organisation_rewords_its_copy_and_the_shipped_original_stays(org_a: Organisation) -> None:
    admin = make_staff(org_a, Role.ADMIN)
    copy = services.copy_framework(actor=admin, organisation=org_a, framework=four_pi())
    item = copy.items.get(code="PR1")
    services.reword_item(actor=admin, item=item, text="Our own wording", text_cy="Ein geiriad ein hunain")
    assert four_pi().items.get(code="PR1").text != "Our own wording"
    with pytest.raises(ValidationError):
        services.reword_item(actor=admin, item=four_pi().items.get(code="PR1"), text="x")


def test_an_admin_adds_the_organisations_own_framework(org_a: Organisation) -> None:
    admin = make_staff(org_a, Role.ADMIN)
    fw = services.create_framework(
        actor=admin,
        organisation=org_a,
        name="Our charter",
        scale=[("No", "Na"), ("Yes", "Ie")],
        items=[("Charter", "C1", "We pay people on the day", "")],
    )
    assert fw.steps.count() == 2 and fw.items.count() == 1
    with pytest.raises(ValidationError) as error:
        services.create_framework(actor=admin, organisation=org_a, name="", scale=[("Yes", "")], items=[])
    assert set(error.value.message_dict) == {"name", "scale", "items"}


def test_scores_are_blind_until_scoring_closes(org_a: Organisation, coordinator_a: User) -> None:
    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=0, staff=2)
    first_member = scored.member_users[0]
    assert {s.scorer.user_id for s in selectors.scores_visible_to(first_member, scored.assessment)} == {first_member.pk}
    assert {s.scorer.user_id for s in selectors.scores_visible_to(coordinator_a, scored.assessment)} == {
        coordinator_a.pk
    }
    with pytest.raises(PermissionDenied):
        selectors.comparison(coordinator_a, scored.assessment)
    services.close_scoring(actor=coordinator_a, assessment=scored.assessment)
    assert selectors.scores_visible_to(first_member, scored.assessment).count() == 4 * len(scored.items)


def test_after_close_member_and_staff_scores_stand_side_by_side_with_disagreement(
    org_a: Organisation, coordinator_a: User
) -> None:
    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=2, staff=2)
    services.record_score(
        actor=scored.member_users[1],
        assessment=scored.assessment,
        item=scored.items[0],
        value=1,
        evidence="late papers",
    )
    services.close_scoring(actor=coordinator_a, assessment=scored.assessment)
    rows = selectors.comparison(coordinator_a, scored.assessment)
    assert rows[0].disagree and not rows[1].disagree
    assert [s.value for s in rows[0].member_scores] == [2, 1]
    assert "late papers" in [s.evidence for s in rows[0].member_scores]


def test_a_disagreement_that_stays_is_kept_not_averaged(org_a: Organisation, coordinator_a: User) -> None:
    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=0, staff=2)
    services.close_scoring(actor=coordinator_a, assessment=scored.assessment)
    with pytest.raises(ValidationError):
        services.agree_score(actor=coordinator_a, assessment=scored.assessment, item=scored.items[0], value=None)
    kept = services.agree_score(
        actor=coordinator_a, assessment=scored.assessment, item=scored.items[0], value=None, note="Members: not met"
    )
    assert kept.disagreement_kept and kept.value is None and kept.agreed_by == coordinator_a
    agreed = services.agree_score(actor=coordinator_a, assessment=scored.assessment, item=scored.items[1], value=1)
    assert agreed.value == 1 and not agreed.disagreement_kept


def test_bad_scores_are_refused_and_nothing_is_written(
    org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    scored = open_4pi(org_a, coordinator_a)
    member = scored.member_users[0]
    with pytest.raises(ValidationError) as error:
        services.record_score(actor=member, assessment=scored.assessment, item=scored.items[0], value=3)
    assert "value" in error.value.message_dict
    other_session = SessionFactory(organisation=org_b)
    with pytest.raises(ValidationError) as error:
        services.record_score(
            actor=member, assessment=scored.assessment, item=scored.items[0], value=1, evidence_session=other_session
        )
    assert "evidence_session" in error.value.message_dict
    own_session = SessionFactory(organisation=org_a)
    services.record_score(
        actor=member, assessment=scored.assessment, item=scored.items[0], value=1, evidence_session=own_session
    )
    services.close_scoring(actor=coordinator_a, assessment=scored.assessment)
    with pytest.raises(ValidationError):
        services.record_score(actor=member, assessment=scored.assessment, item=scored.items[1], value=1)
    assert Score.objects.count() == 1


def test_only_invited_people_score_and_only_members_sharing_or_staff_are_invited(
    org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    scored = open_4pi(org_a, coordinator_a)
    outsider = make_member(org_b)
    assert outsider.user is not None
    with pytest.raises(PermissionDenied):
        services.record_score(actor=outsider.user, assessment=scored.assessment, item=scored.items[0], value=1)
    with pytest.raises(ValidationError):
        services.invite_scorer(actor=coordinator_a, assessment=scored.assessment, user=outsider.user, side="member")
    with pytest.raises(ValidationError):
        services.invite_scorer(actor=coordinator_a, assessment=scored.assessment, user=make_staff(org_b), side="staff")


def test_gaps_become_actions_and_show_with_progress_on_the_next_assessment(
    org_a: Organisation, coordinator_a: User
) -> None:
    first = open_4pi(org_a, coordinator_a, year=2025)
    score_all(first, members=0, staff=1)
    services.close_scoring(actor=coordinator_a, assessment=first.assessment)
    for item in first.items:
        services.agree_score(actor=coordinator_a, assessment=first.assessment, item=item, value=1)
    action = services.create_action(
        actor=coordinator_a,
        assessment=first.assessment,
        item=first.items[0],
        description="Send papers a week ahead",
        owner=coordinator_a,
        due_on=timezone.localdate() + timedelta(days=30),
        monitoring="Checked at each meeting",
    )
    services.update_action(actor=coordinator_a, action=action, progress="Papers now go out 7 days ahead", done=True)
    services.agree_score(actor=coordinator_a, assessment=first.assessment, item=first.items[1], value=2)
    with pytest.raises(ValidationError) as error:
        services.create_action(
            actor=coordinator_a,
            assessment=first.assessment,
            item=first.items[1],
            description="x",
            owner=coordinator_a,
            due_on=timezone.localdate(),
            monitoring="y",
        )
    assert "item" in error.value.message_dict

    second = open_4pi(org_a, coordinator_a, year=2026)
    services.close_scoring(actor=coordinator_a, assessment=second.assessment)
    services.agree_score(actor=coordinator_a, assessment=second.assessment, item=second.items[0], value=2)
    services.agree_score(actor=coordinator_a, assessment=second.assessment, item=second.items[1], value=1)
    services.agree_score(actor=coordinator_a, assessment=second.assessment, item=second.items[2], value=1)
    data = selectors.progress(second.assessment)
    assert data["previous"]["id"] == first.assessment.pk
    moved = {row["code"]: row["direction"] for row in data["items"]}
    assert moved["PR1"] == "improved" and moved["PR2"] == "slipped" and moved["PR3"] == "same"
    assert data["items"][0]["actions_before"][0]["status"] == "done"
    principles = next(s for s in data["standards"] if s["standard"] == "Principles")
    assert principles["improved"] == 1 and principles["slipped"] == 1


def test_standards_summary_counts_in_a_fixed_number_of_queries(
    org_a: Organisation, coordinator_a: User, django_assert_num_queries: object
) -> None:
    def cycle(year: int) -> None:
        scored = open_4pi(org_a, coordinator_a, year=year)
        score_all(scored, members=0, staff=2)
        services.close_scoring(actor=coordinator_a, assessment=scored.assessment)
        services.agree_score(
            actor=coordinator_a, assessment=scored.assessment, item=scored.items[0], value=None, note="kept"
        )
        for item in scored.items[1:]:
            services.agree_score(actor=coordinator_a, assessment=scored.assessment, item=item, value=2)

    cycle(2025)
    year = timezone.localdate().year
    with django_assert_num_queries(4):  # type: ignore[operator]
        one = selectors.standards_summary(org_a, year)
    cycle(2026)
    with django_assert_num_queries(4):  # type: ignore[operator]
        two = selectors.standards_summary(org_a, year)
    assert len(one["assessments"]) == 1 and len(two["assessments"]) == 2
    summary = two["assessments"][0]
    assert summary["disagreements_kept"][0]["code"] == "PR1"
    assert sum(s["met"] for s in summary["standards"]) == Item.objects.filter(framework=four_pi()).count() - 1
    assert Agreement.objects.filter(disagreement_kept=True).count() == 2
    assert Action.objects.count() == 0


def test_a_members_scores_are_in_their_export_and_go_when_erased(org_a: Organisation, coordinator_a: User) -> None:
    from withus.assessments import privacy

    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=1, staff=2)
    person = scored.members[0]
    [section] = privacy.export(person)
    assert isinstance(section.records, list) and len(section.records) == len(scored.items)
    assert section.records[0]["evidence"] == "members' reason"
    privacy.erase(person)
    assert not Score.objects.filter(scorer__user=person.user).exists()
    assert Score.objects.filter(scorer__user=scored.member_users[1]).exists()
