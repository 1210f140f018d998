"""Answers to a public survey are limited per address, on the web and the API together."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.api.helpers import assert_error
from tests.impact.surveys.factories import make_survey, values
from tests.impact.surveys.test_api import body
from withus.impact.surveys.models import SurveyAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_an_hour(settings):
    settings.ACCOUNT_RATE_LIMITS = {**django_settings.ACCOUNT_RATE_LIMITS, "withus_survey_answer": "2/h/ip"}


def form_data(survey, token, **kwargs):
    data = {"token": token, "perspective": "other"}
    for qid, value in values(survey, **kwargs).items():
        data[f"q{qid}"] = value
    return data


def test_the_public_page_refuses_an_answer_over_the_limit_keeping_what_was_typed(org_a, coordinator_a, two_an_hour):
    survey = make_survey(coordinator_a, audience="public")
    client = Client()
    url = reverse("impact:survey_public", args=[survey.public_key])
    for _ in range(2):
        page = client.get(url)
        token = page.context["form"].initial["token"]
        assert client.post(url, form_data(survey, token)).status_code == 302
    token = client.get(url).context["form"].initial["token"]
    refused = client.post(url, form_data(survey, token, text="Open on Sundays"))
    assert refused.status_code == 429
    assert "Many answers have been sent from here" in refused.content.decode()
    assert "Open on Sundays" in refused.content.decode()
    assert SurveyAnswer.objects.count() == 2
    # The API counts against the same limit, and answers 429 with a code.
    api_token = client.post(f"/api/surveys/{survey.public_key}/tokens").json()["token"]
    over = client.post(
        f"/api/surveys/{survey.public_key}/answers", body(survey, api_token, "other"), content_type="application/json"
    )
    assert_error(over, 429, "too_many_requests")
    assert SurveyAnswer.objects.count() == 2


def test_the_message_is_in_welsh_on_the_welsh_page(org_a, coordinator_a, settings):
    settings.ACCOUNT_RATE_LIMITS = {**django_settings.ACCOUNT_RATE_LIMITS, "withus_survey_answer": "0/h/ip"}
    survey = make_survey(coordinator_a, audience="public")
    client = Client(HTTP_ACCEPT_LANGUAGE="cy")
    client.cookies["django_language"] = "cy"
    url = reverse("impact:survey_public", args=[survey.public_key])
    token = client.get(url).context["form"].initial["token"]
    refused = client.post(url, form_data(survey, token))
    assert refused.status_code == 429
    assert "Many answers have been sent" not in refused.content.decode()


def test_members_answering_signed_in_are_not_limited(org_a, coordinator_a, member_a, settings):
    settings.ACCOUNT_RATE_LIMITS = {**django_settings.ACCOUNT_RATE_LIMITS, "withus_survey_answer": "0/h/ip"}
    survey = make_survey(coordinator_a)
    client = Client()
    client.force_login(member_a.user)
    url = reverse("impact:survey_answer", args=[survey.pk])
    token = client.get(url).context["form"].initial["token"]
    assert client.post(url, form_data(survey, token)).status_code == 302
