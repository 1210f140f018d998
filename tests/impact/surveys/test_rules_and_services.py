import uuid

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.conftest import make_member, make_staff
from tests.impact.surveys.factories import make_survey, question, values
from withus.accounts import services as account_services
from withus.accounts.models import Role
from withus.impact.surveys import rules, selectors, services
from withus.impact.surveys.models import AnswerItem, AnswerToken, Respondent, Survey, SurveyAnswer

pytestmark = pytest.mark.django_db


def answer(survey, person=None, perspective="service_user", **kwargs):
    token = services.issue_token(survey=survey)
    return services.submit_answer(
        survey=survey, token=token, values=values(survey, **kwargs), perspective=perspective, person=person
    )


def test_a_survey_with_no_question_cannot_be_opened(org_a, coordinator_a):
    survey = services.save_survey(actor=coordinator_a, organisation=org_a, fields={"title": "Empty"})
    with pytest.raises(ValidationError, match="no question"):
        services.open_survey(actor=coordinator_a, survey=survey)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_co_designers_must_share_their_details_and_only_coordinators_build(org_a, org_b, coordinator_a, member_b):
    from withus.people.selectors import NotShared

    with pytest.raises(NotShared):
        services.save_survey(actor=coordinator_a, organisation=org_a, fields={"title": "T"}, co_designers=[member_b])
    member = make_member(org_a)
    survey = services.save_survey(actor=coordinator_a, organisation=org_a, fields={"title": "T"}, co_designers=[member])
    assert list(survey.co_designers.all()) == [member]
    with pytest.raises(PermissionDenied):
        services.save_survey(actor=member.user, organisation=org_a, fields={"title": "T"})


def test_a_choice_question_needs_two_options_and_questions_are_settled_once_open(coordinator_a):
    survey = make_survey(coordinator_a, open_it=False)
    with pytest.raises(ValidationError) as refused:
        services.add_question(actor=coordinator_a, survey=survey, kind="single", text="One?", options=["Only"])
    assert "options" in refused.value.message_dict
    services.move_question(actor=coordinator_a, question=question(survey, "text"), up=True)
    assert [q.kind for q in survey.questions.all()] == ["single", "several", "text", "scale"]
    services.open_survey(actor=coordinator_a, survey=survey)
    with pytest.raises(ValidationError, match="cannot change once the survey is open"):
        services.add_question(actor=coordinator_a, survey=survey, kind="text", text="Late?")


def test_the_answer_rules_say_what_is_wrong_next_to_each_question():
    shapes = [
        rules.QuestionShape(id=1, kind="single", required=True, option_ids=(10, 11)),
        rules.QuestionShape(id=2, kind="several", required=False, option_ids=(20, 21)),
        rules.QuestionShape(id=3, kind="scale", required=False, scale_max=5),
    ]
    _checked, problems = rules.check_answer(shapes, {2: ["20", "99"], 3: "6"}, perspective="nobody")
    assert set(problems) == {"q1", "q2", "q3", "perspective"}
    checked, problems = rules.check_answer(shapes, {1: "10", 2: ["21", "20"], 3: "5"}, perspective="carer")
    assert problems == {}
    assert checked.options == {1: [10], 2: [20, 21]} and checked.scales == {3: 5}


def test_small_numbers_are_hidden_and_a_lone_hidden_cell_hides_its_total():
    assert rules.shown_count(0, 5) == 0 and rules.shown_count(4, 5) is None and rules.shown_count(5, 5) == 5
    cells, total = rules.shown_row({"service_user": 6, "carer": 2}, 5)
    assert cells == {"service_user": 6, "carer": None, "other": 0} and total is None
    cells, total = rules.shown_row({"service_user": 6, "carer": 2, "other": 1}, 5)
    assert total == 9


def test_an_anonymous_answer_leaves_nothing_that_names_the_person_or_orders_it_finer_than_a_day(org_a, coordinator_a):
    survey = make_survey(coordinator_a)
    alaw = make_member(org_a, full_name="Alaw Unique-Name")
    other = make_member(org_a)
    logged_before = LogEntry.objects.count()
    answer(survey, alaw, text="More evening cover")
    answer(survey, other, text="Shorter waits")
    assert LogEntry.objects.count() == logged_before  # no audit entry at all, so none names the person

    identifying = {"Alaw Unique-Name", alaw.email}
    allowed_columns = {
        SurveyAnswer: {"id", "survey_id", "perspective", "answered_on", "on_paper", "person_id"},
        AnswerItem: {"id", "answer_id", "question_id", "option_id", "scale", "text"},
        AnswerToken: {"digest", "survey_id", "spent"},
        AnswerItem.themes.through: {"id", "answeritem_id", "theme_id"},
    }
    with connection.cursor() as cursor:
        for model in (SurveyAnswer, AnswerItem, AnswerToken, AnswerItem.themes.through):
            table = model._meta.db_table
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            assert set(columns) == allowed_columns[model], table
            cursor.execute(f"SELECT * FROM {table}")
            rows = cursor.fetchall()
            for row in rows:
                record = dict(zip(columns, row, strict=True))
                assert record.get("person_id") is None
                assert not identifying & {str(v) for v in record.values()}, table
        # Nothing finer than a day: the only date is the day, and the keys are random, not a count.
        cursor.execute(f"SELECT id, answered_on FROM {SurveyAnswer._meta.db_table}")
        for key, answered_on in cursor.fetchall():
            assert uuid.UUID(str(key)).version == 4
            assert len(str(answered_on)) == 10  # a date, YYYY-MM-DD
        # The "has answered" mark: the person and the survey, no answer and no time.
        columns = [c.name for c in connection.introspection.get_table_description(cursor, Respondent._meta.db_table)]
        assert sorted(columns) == ["id", "person_id", "survey_id"]


def test_a_person_answers_once_and_a_spent_token_or_a_closed_survey_is_refused_with_nothing_written(
    org_a, coordinator_a, member_a
):
    survey = make_survey(coordinator_a)
    token = services.issue_token(survey=survey)
    services.submit_answer(survey=survey, token=token, values=values(survey), perspective="carer", person=member_a)
    with pytest.raises(ValidationError, match="already been used"):
        services.submit_answer(survey=survey, token=token, values=values(survey), perspective="carer", person=member_a)
    with pytest.raises(ValidationError, match="already answered"):
        answer(survey, member_a)
    assert SurveyAnswer.objects.count() == 1 and AnswerItem.objects.count() == 3
    assert AnswerToken.objects.filter(spent=False).count() == 1  # the refused second one stays unspent
    spare = services.issue_token(survey=survey)
    services.close_survey(actor=coordinator_a, survey=survey)
    with pytest.raises(ValidationError, match="closed"):
        services.submit_answer(survey=survey, token=spare, values=values(survey), perspective="other")
    with pytest.raises(ValidationError, match="closed"):
        services.issue_token(survey=survey)
    assert SurveyAnswer.objects.count() == 1


def test_who_may_answer_follows_the_audience(org_a, org_b, coordinator_a, member_a, member_b):
    survey = make_survey(coordinator_a)
    assert selectors.may_answer(member_a, survey) and not selectors.may_answer(member_b, survey)
    assert not selectors.may_answer(None, survey)
    with pytest.raises(PermissionDenied):
        answer(survey, member_b)
    public = make_survey(coordinator_a, audience="public")
    answer(public, None, perspective="other")
    assert selectors.may_answer(None, public)


def test_paper_answers_are_typed_in_by_staff_and_marked_as_paper(org_a, coordinator_a, member_a):
    survey = make_survey(coordinator_a)
    token = services.issue_token(survey=survey)
    typed = services.submit_answer(
        survey=survey, token=token, values=values(survey), perspective="carer", on_paper=True, entered_by=coordinator_a
    )
    assert typed.on_paper and typed.person is None
    with pytest.raises(PermissionDenied):
        services.submit_answer(
            survey=survey,
            token=services.issue_token(survey=survey),
            values=values(survey),
            perspective="carer",
            on_paper=True,
            entered_by=member_a.user,
        )


def test_results_keep_perspectives_apart_count_each_option_and_hide_small_numbers(org_a, coordinator_a):
    survey = make_survey(coordinator_a, audience="public", results_shown="while_open")
    for _ in range(5):
        answer(survey, perspective="service_user", single=0, several=(0, 1), text="Evening cover")
    for _ in range(2):
        answer(survey, perspective="carer", single=1, several=(1,), text="Tell carers")
    found = selectors.results(survey)
    assert found.answers.cells == {"service_user": 5, "carer": None, "other": 0} and found.answers.total is None
    single, several, _scale, text = found.questions
    assert [(r.label, r.cells["service_user"], r.cells["carer"]) for r in single.rows] == [
        ("Yes", 5, 0),
        ("No", 0, None),
    ]
    # Each option counted on its own, not the combinations chosen.
    assert [(r.label, r.cells["service_user"]) for r in several.rows] == [
        ("A phone call", 5),
        ("A visit", 5),
        ("A leaflet", 0),
    ]
    assert several.rows[1].total == 7 or several.rows[1].total is None
    assert [len(text.texts[p]) for p in text.texts] == [5, 2]  # every free text readable, perspectives apart


def test_results_wait_for_the_close_when_decided_so(org_a, coordinator_a):
    survey = make_survey(coordinator_a, audience="public", results_shown="after_close")
    for _ in range(6):
        answer(survey, perspective="service_user")
    assert not selectors.results(survey).visible
    services.close_survey(actor=coordinator_a, survey=survey)
    assert selectors.results(survey).visible


def test_the_organisations_threshold_is_used(org_a, coordinator_a):
    survey = make_survey(coordinator_a, audience="public", results_shown="while_open")
    for _ in range(3):
        answer(survey, perspective="carer")
    assert selectors.results(survey).answers.cells["carer"] is None
    account_services.set_small_number_threshold(actor=make_staff(org_a, Role.ADMIN), organisation=org_a, threshold=3)
    assert selectors.results(Survey.objects.get(pk=survey.pk)).answers.cells["carer"] == 3


def test_a_coordinator_tags_free_text_with_themes(org_a, coordinator_a):
    survey = make_survey(coordinator_a, audience="public", results_shown="while_open")
    answer(survey, perspective="other", text="Open later")
    item = AnswerItem.objects.get(question__kind="text")
    services.tag_theme(actor=coordinator_a, survey=survey, item_id=str(item.pk), theme="Opening hours")
    services.tag_theme(actor=coordinator_a, survey=survey, item_id=str(item.pk), theme="Opening hours")
    assert [t.name for t in item.themes.all()] == ["Opening hours"]
    with pytest.raises(ValidationError):
        services.tag_theme(actor=coordinator_a, survey=survey, item_id=str(item.pk), theme=" ")


def test_the_marks_are_written_again_with_each_anonymous_answer_so_none_matches_its_answer(org_a, coordinator_a):
    survey = make_survey(coordinator_a)
    first, second = make_member(org_a), make_member(org_a)
    answer(survey, first)
    before = Respondent.objects.get(person=first).pk
    answer(survey, second)
    assert Respondent.objects.get(person=first).pk != before  # rewritten with the second answer
    assert set(Respondent.objects.values_list("person_id", flat=True)) == {first.pk, second.pk}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT xmin::text FROM {Respondent._meta.db_table}")
            marks = {row[0] for row in cursor.fetchall()}
            cursor.execute(f"SELECT xmin::text FROM {SurveyAnswer._meta.db_table}")
            answers = [row[0] for row in cursor.fetchall()]
        # The day's answers were written again with the marks: all share one transaction, so none is singled out.
        assert len(marks) == 1 and answers == [next(iter(marks))] * 2
