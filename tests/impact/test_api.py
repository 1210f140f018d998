from __future__ import annotations

from datetime import date

import pytest

from tests.api.helpers import api_as
from tests.conftest import make_member
from tests.impact.conftest import attended
from withus.accounts.models import Organisation, Role, User
from withus.impact.contributions import services
from withus.impact.contributions.models import Answer, Contribution
from withus.meetings.models import Session
from withus.people.models import Person

pytestmark = pytest.mark.django_db


def _record(org: Organisation, actor: User, session: Session, person: Person) -> Contribution:
    return services.record_contribution(
        actor=actor,
        organisation=org,
        text="Shorter papers please",
        perspective="carer",
        session=session,
        contributors=[services.ContributorChoice(person, True, False)],
    )


def test_a_coordinator_records_and_a_decision_maker_answers_through_the_api(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    api = api_as(coordinator_a, org_a)
    response = api.post(
        "/api/impact/contributions",
        {
            "text": "Shorter papers please",
            "perspective": "carer",
            "minority_view": True,
            "session_id": held_session.pk,
            "contributors": [{"person_id": member_a.pk, "agrees_to_publish": True}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["contribution"]["minority_view"] is True
    assert [s["kind"] for s in body["steps"]] == ["said"]
    pk = body["contribution"]["id"]
    answers = api_as(decider_a, org_a, Role.DECISION_MAKER)
    refused = answers.post(f"/api/impact/contributions/{pk}/answers", {"decision": "adopted", "reason": ""})
    assert refused.status_code == 422
    assert "reason" in refused.json()["fields"]
    assert not Answer.objects.exists()
    done = answers.post(
        f"/api/impact/contributions/{pk}/answers",
        {
            "decision": "partly",
            "reason": "Papers will be two pages at most.",
            "action_text": "Write the template",
            "action_owner_name": "Nia",
            "action_due_on": "2030-09-01",
        },
    )
    assert done.status_code == 201, done.json()
    step = done.json()["steps"][-1]
    assert step["answer"]["decision"] == "partly" and step["answer"]["action"]["text"] == "Write the template"
    listed = api.get("/api/impact/contributions", {"outcome": "partly"}).json()
    assert [c["id"] for c in listed["items"]] == [pk]


def test_another_organisations_contribution_is_a_404(
    org_a: Organisation,
    org_b: Organisation,
    coordinator_a: User,
    coordinator_b: User,
    held_session: Session,
    member_a: Person,
) -> None:
    contribution = _record(org_a, coordinator_a, held_session, member_a)
    api = api_as(coordinator_b, org_b)
    assert api.get(f"/api/impact/contributions/{contribution.pk}").status_code == 404
    assert api.post(f"/api/impact/contributions/{contribution.pk}/replies", {"text": "Hi"}).status_code == 404


def test_a_member_reads_their_own_replies_and_sends_what_they_said(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = _record(org_a, coordinator_a, held_session, member_a)
    assert member_a.user is not None
    api = api_as(member_a.user, org_a, Role.MEMBER)
    assert api.get(f"/api/impact/contributions/{contribution.pk}").status_code == 200
    assert [c["id"] for c in api.get("/api/impact/me/contributions").json()["items"]] == [contribution.pk]
    replied = api.post(f"/api/impact/contributions/{contribution.pk}/replies", {"text": "When?", "question": True})
    assert replied.status_code == 201 and replied.json()["kind"] == "question"
    assert (
        api.post(
            f"/api/impact/contributions/{contribution.pk}/answers", {"decision": "adopted", "reason": "x"}
        ).status_code
        == 403
    )
    not_there = api.post("/api/impact/me/contributions", {"session_id": held_session.pk, "text": "More tea"})
    assert not_there.status_code == 404
    attended(held_session, member_a)
    sent = api.post("/api/impact/me/contributions", {"session_id": held_session.pk, "text": "More tea"})
    assert sent.status_code == 201


def test_another_member_gets_a_404(
    org_a: Organisation, coordinator_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = _record(org_a, coordinator_a, held_session, member_a)
    other = make_member(org_a)
    assert other.user is not None
    api = api_as(other.user, org_a, Role.MEMBER)
    assert api.get(f"/api/impact/contributions/{contribution.pk}").status_code == 404


def test_a_change_claimed_without_saying_what_is_refused(
    org_a: Organisation, coordinator_a: User, decider_a: User, held_session: Session, member_a: Person
) -> None:
    contribution = _record(org_a, coordinator_a, held_session, member_a)
    services.answer_contribution(actor=decider_a, contribution=contribution, decision="adopted", reason="Yes")
    services.daily_round(today=date(2099, 1, 1))
    api = api_as(decider_a, org_a, Role.DECISION_MAKER)
    refused = api.post(f"/api/impact/contributions/{contribution.pk}/follow-up", {"changed": True})
    assert refused.status_code == 422 and "what_changed" in refused.json()["fields"]
    done = api.post(
        f"/api/impact/contributions/{contribution.pk}/follow-up", {"changed": True, "what_changed": "Two pages"}
    )
    assert done.status_code == 200 and done.json()["follow_up"]["what_changed"] == "Two pages"
