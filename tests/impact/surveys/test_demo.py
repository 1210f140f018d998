from io import StringIO

import pytest
from django.core.management import call_command

from withus.impact.surveys import selectors
from withus.impact.surveys.models import Survey, SurveyAnswer

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_a_consultation_answered_on_the_web_and_on_paper_and_an_evaluation():
    call_command("demo", "--quiet", stdout=StringIO())
    call_command("demo", "--quiet", stdout=StringIO())
    survey = Survey.objects.get(title="Crisis care: what should change?")
    assert survey.title_cy and survey.co_designers.count() == 2 and survey.is_open
    assert SurveyAnswer.objects.filter(survey=survey, on_paper=True).count() == 2
    assert SurveyAnswer.objects.filter(survey=survey, person__isnull=False).count() == 0
    results = selectors.results(survey)
    assert results.visible and results.questions[2].texts
    evaluation = Survey.objects.get(kind=Survey.Kind.EVALUATION)
    assert evaluation.session is not None and evaluation.answers.exists()
