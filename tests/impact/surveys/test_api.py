import pytest
from django.test import Client

from tests.api.helpers import api_as, assert_error, member_api
from tests.impact.surveys.factories import make_survey, values
from withus.impact.surveys.models import SurveyAnswer

pytestmark = pytest.mark.django_db


def body(survey, token, perspective="service_user", **kwargs):
    answers = {}
    for qid, value in values(survey, **kwargs).items():
        answers[str(qid)] = (
            [int(v) for v in value] if isinstance(value, list) else (int(value) if value.isdigit() else value)
        )
    return {"token": token, "perspective": perspective, "answers": answers}


def test_a_coordinator_builds_and_opens_a_survey_and_an_empty_one_is_refused(org_a, coordinator_api_a):
    created = coordinator_api_a.post("/api/staff/surveys", {"title": "Waiting times", "audience": "public"})
    assert created.status_code == 201, created.content
    survey_id = created.json()["id"]
    assert_error(coordinator_api_a.post(f"/api/staff/surveys/{survey_id}/open", {}), 422, "invalid")
    question = coordinator_api_a.post(
        f"/api/staff/surveys/{survey_id}/questions", {"kind": "several", "text": "Which?", "options": ["A", "B"]}
    )
    assert question.status_code == 201
    assert coordinator_api_a.post(f"/api/staff/surveys/{survey_id}/open", {}).json()["status"] == "open"
    assert coordinator_api_a.get(f"/api/staff/surveys/{survey_id}").json()["questions"][0]["text"] == "Which?"


def test_a_member_answers_with_a_token_once_and_the_results_hide_small_numbers(
    org_a, coordinator_a, coordinator_api_a, member_a
):
    survey = make_survey(coordinator_a, results_shown="while_open")
    api = member_api(member_a, org_a)
    assert [s["id"] for s in api.get("/api/me/surveys").json()] == [survey.pk]
    token = api.post(f"/api/me/surveys/{survey.pk}/tokens", {}).json()["token"]
    assert api.post(f"/api/me/surveys/{survey.pk}/answers", body(survey, token, text="Sooner")).status_code == 201
    again = api.post(f"/api/me/surveys/{survey.pk}/answers", body(survey, token))
    assert_error(again, 422, "invalid")
    assert "already been used" in again.json()["message"]
    assert SurveyAnswer.objects.get().person is None
    results = coordinator_api_a.get(f"/api/staff/surveys/{survey.pk}/results").json()
    assert results["answers"]["service_user"] is None and results["threshold"] == 5
    assert results["questions"][3]["texts"][0]["text"] == "Sooner"


def test_the_public_answers_a_public_survey_without_signing_in(org_a, coordinator_a, coordinator_b, org_b):
    survey = make_survey(coordinator_a, audience="public")
    client = Client()
    token = client.post(f"/api/surveys/{survey.public_key}/tokens").json()["token"]
    response = client.post(
        f"/api/surveys/{survey.public_key}/answers", body(survey, token, "other"), content_type="application/json"
    )
    assert response.status_code == 201
    assert_error(api_as(coordinator_b, org_b).get(f"/api/staff/surveys/{survey.pk}/results"), 404, "not_found")


def test_staff_type_in_a_paper_answer_through_the_api(org_a, coordinator_a, coordinator_api_a):
    survey = make_survey(coordinator_a)
    token = coordinator_api_a.post(f"/api/staff/surveys/{survey.pk}/tokens", {}).json()["token"]
    response = coordinator_api_a.post(f"/api/staff/surveys/{survey.pk}/paper-answers", body(survey, token, "carer"))
    assert response.status_code == 201 and response.json()["on_paper"] is True
