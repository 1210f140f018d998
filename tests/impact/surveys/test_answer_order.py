"""Anonymous answers are never kept in the order they came in: the raw tables, read in the order the
database stores rows (SQLite's rowid, PostgreSQL's ctid), say nothing finer than the day."""

from __future__ import annotations

import uuid
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Model

from tests.conftest import make_member
from tests.impact.surveys.factories import make_survey, values
from withus.impact.surveys import selectors, services
from withus.impact.surveys.models import AnswerItem, Respondent, SurveyAnswer

pytestmark = pytest.mark.django_db


def stored_order(model: type[Model], column: str = "id") -> list[uuid.UUID]:
    """The table's rows in the order the database keeps them, not in any order a query asks for."""
    place = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} ORDER BY {place}")
        return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]


def by_key(rows: list[Any]) -> None:
    """A stand-in for the shuffle that puts rows in an order the test can predict: by their keys."""
    rows.sort(key=lambda row: str(row[0] if isinstance(row, tuple) else getattr(row, "pk", row)))


def answer(survey, person=None, *, text: str = "", day: date | None = None, perspective="service_user") -> uuid.UUID:
    token = services.issue_token(survey=survey)
    stored = services.submit_answer(
        survey=survey,
        token=token,
        values=values(survey, text=text),
        perspective=perspective,
        person=person,
        today=day,
    )
    return stored.pk


def test_each_anonymous_answer_rewrites_its_days_answers_in_the_shuffles_order(org_a, coordinator_a, monkeypatch):
    monkeypatch.setattr(services, "_shuffle", by_key)
    survey = make_survey(coordinator_a, results_shown="while_open")
    arrived = [answer(survey, make_member(org_a), text=f"Answer {n}") for n in range(6)]
    assert stored_order(SurveyAnswer) == sorted(arrived, key=str)
    items = list(AnswerItem.objects.values_list("pk", flat=True))
    assert stored_order(AnswerItem) == sorted(items, key=str)
    assert sorted(arrived) == sorted(SurveyAnswer.objects.values_list("pk", flat=True))  # same keys kept

    # A theme tagged on a free text survives the next rewrite, and the results still add up.
    item = AnswerItem.objects.get(text="Answer 2")
    services.tag_theme(actor=coordinator_a, survey=survey, item_id=str(item.pk), theme="Evenings")
    answer(survey, make_member(org_a), text="Answer 6")
    assert [t.name for t in AnswerItem.objects.get(pk=item.pk).themes.all()] == ["Evenings"]
    found = selectors.results(survey)
    assert found.answers.cells["service_user"] == 7
    texts = found.questions[3].texts["service_user"]
    assert sorted(t.text for t in texts) == [f"Answer {n}" for n in range(7)]
    assert Respondent.objects.count() == 7


def test_with_the_real_shuffle_the_stored_order_is_not_the_order_answers_came_in(org_a, coordinator_a):
    survey = make_survey(coordinator_a)
    arrived = [answer(survey, make_member(org_a), text=f"Answer {n}") for n in range(10)]
    # 1 in 10! that a fair shuffle gives back the order they came in.
    assert stored_order(SurveyAnswer) != arrived
    assert set(stored_order(SurveyAnswer)) == set(arrived)


def test_an_earlier_days_answers_are_rewritten_when_the_survey_closes(org_a, coordinator_a, monkeypatch):
    monkeypatch.setattr(services, "_shuffle", lambda rows: None)  # rewritten as read: the order answers came in
    survey = make_survey(coordinator_a, audience="public")
    first_day = [answer(survey, text="Monday", day=date(2030, 6, 10)) for _ in range(3)]
    second_day = [answer(survey, text="Tuesday", day=date(2030, 6, 11)) for _ in range(3)]
    assert stored_order(SurveyAnswer)[:3] == first_day  # today's answer leaves another day's alone

    monkeypatch.setattr(services, "_shuffle", by_key)
    services.close_survey(actor=coordinator_a, survey=survey)
    assert stored_order(SurveyAnswer) == sorted(first_day + second_day, key=str)
    assert selectors.results(survey).answers.total == 6


def test_the_daily_round_rewrites_open_anonymous_surveys_only(org_a, coordinator_a, monkeypatch):
    monkeypatch.setattr(services, "_shuffle", lambda rows: None)
    anonymous = make_survey(coordinator_a, audience="public")
    named = make_survey(coordinator_a, anonymous=False)
    kept = [answer(anonymous, day=date(2030, 6, 10)), answer(anonymous, day=date(2030, 6, 11))]
    member = make_member(org_a)
    answer(named, member)
    named_rows = stored_order(SurveyAnswer)[2:]

    monkeypatch.setattr(services, "_shuffle", lambda rows: rows.reverse())
    out = StringIO()
    call_command("impact", "overdue", stdout=out)
    assert "answers of 1 open anonymous surveys" in out.getvalue()
    stored = stored_order(SurveyAnswer)
    assert stored[0] in named_rows  # the named survey's answer was not rewritten, so it now comes first
    assert [k for k in stored if k in kept] == list(reversed(kept))
    assert SurveyAnswer.objects.get(survey=named).person == member


def test_paper_answers_to_an_anonymous_survey_are_shuffled_with_the_rest(org_a, coordinator_a, monkeypatch):
    monkeypatch.setattr(services, "_shuffle", by_key)
    survey = make_survey(coordinator_a)
    typed = []
    for _ in range(3):
        token = services.issue_token(survey=survey)
        typed.append(
            services.submit_answer(
                survey=survey,
                token=token,
                values=values(survey),
                perspective="carer",
                on_paper=True,
                entered_by=coordinator_a,
            ).pk
        )
    assert stored_order(SurveyAnswer) == sorted(typed, key=str)
    assert SurveyAnswer.objects.filter(on_paper=True).count() == 3
