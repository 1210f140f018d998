import html

import pytest
from django.utils import timezone

from tests.conftest import make_member, member_client, staff_client
from tests.meetings.factories import AttendanceFactory, SessionFactory
from withus.impact.surveys import selectors, services
from withus.impact.surveys.models import Survey
from withus.people.models import ExitInterview

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def test_the_evaluation_form_starts_from_the_default_set_in_both_languages(org_a, coordinator_a):
    form = services.evaluation_form(actor=coordinator_a, organisation=org_a)
    questions = [q.text for q in form.questions.all()]
    assert questions[:5] == [
        "What went well?",
        "What could be better?",
        "Did you feel heard?",
        "Did you feel safe?",
        "Did you feel respected?",
    ]
    assert "Were you paid your fee on time?" in questions and all(q.text_cy for q in form.questions.all())
    assert services.evaluation_form(actor=coordinator_a, organisation=org_a) == form


def test_an_evaluation_is_offered_to_those_who_attended_anonymously_with_the_adapted_form(org_a, coordinator_a):
    form = services.evaluation_form(actor=coordinator_a, organisation=org_a)
    services.add_question(actor=coordinator_a, survey=form, kind="text", text="Was the room accessible?")
    session = SessionFactory(organisation=org_a)
    came = make_member(org_a)
    away = make_member(org_a)
    AttendanceFactory(session=session, person=came)
    AttendanceFactory(session=session, person=away, status="apologies")
    evaluation = services.offer_evaluation(actor=coordinator_a, session=session)
    assert evaluation.anonymous and evaluation.is_open and evaluation.kind == Survey.Kind.EVALUATION
    assert evaluation.questions.last().text == "Was the room accessible?"
    assert services.offer_evaluation(actor=coordinator_a, session=session) == evaluation
    assert selectors.may_answer(came, evaluation) and not selectors.may_answer(away, evaluation)
    assert [s for s, _ in selectors.open_for(came)] == [evaluation] and selectors.open_for(away) == []
    assert "How was it?" in text(member_client(came).get("/me/surveys/"))


def test_evaluations_per_session_and_over_time_with_exit_interviews(org_a, coordinator_a):
    session = SessionFactory(organisation=org_a)
    people = [make_member(org_a, perspective="carer") for _ in range(5)]
    for person in people:
        AttendanceFactory(session=session, person=person)
    evaluation = services.offer_evaluation(actor=coordinator_a, session=session)
    heard = evaluation.questions.get(text="Did you feel heard?")
    yes = heard.options.get(text="Yes")
    required = {q.pk: str(q.options.first().pk) for q in evaluation.questions.filter(required=True)}
    for person in people:
        services.submit_answer(
            survey=evaluation,
            token=services.issue_token(survey=evaluation),
            values={**required, heard.pk: str(yes.pk)},
            perspective="carer",
            person=person,
        )
    leaver = people[0]
    ExitInterview.objects.create(person=leaver, went_well="The peer group", completed_at=timezone.now())
    page = text(staff_client(coordinator_a).get("/staff/evaluations/"))
    assert "Did you feel heard?" in page and "The peer group" in page and leaver.full_name not in page
    rows = selectors.evaluation_trend(org_a, threshold=5)
    assert any(r.question == "Did you feel heard?" and r.option == "Yes" and r.cells["carer"] == 5 for r in rows)


def test_a_coordinator_asks_about_a_session_from_the_evaluations_page(org_a, coordinator_a):
    session = SessionFactory(organisation=org_a)
    AttendanceFactory(session=session, person=make_member(org_a))
    client = staff_client(coordinator_a)
    assert str(session) in text(client.get("/staff/evaluations/"))
    response = client.post(f"/staff/evaluations/sessions/{session.pk}/")
    assert response.status_code == 302
    assert Survey.objects.get(session=session).status == "open"


def test_a_coordinator_adapts_the_evaluation_form_with_members_as_co_designers(org_a, coordinator_a):
    member = make_member(org_a)
    client = staff_client(coordinator_a)
    response = client.get("/staff/evaluations/form/")
    form = Survey.objects.get(kind=Survey.Kind.EVALUATION_DEFAULT)
    assert response.status_code == 302 and response["Location"] == f"/staff/surveys/{form.pk}/"
    response = client.post(
        f"/staff/surveys/{form.pk}/change/", {"title": "How did it go?", "co_designers": [str(member.pk)]}
    )
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.title == "How did it go?" and list(form.co_designers.all()) == [member]
    assert form.audience == "attendees" and form.anonymous


def test_the_members_debrief_links_to_the_sessions_evaluation_until_they_answer_it(org_a, coordinator_a):
    from withus.impact.surveys.models import Respondent
    from withus.meetings.models import Debrief

    session = SessionFactory(organisation=org_a)
    came = make_member(org_a)
    AttendanceFactory(session=session, person=came)
    debrief = Debrief.objects.create(session=session, person=came)
    client = member_client(came)
    assert "/me/surveys/" not in text(client.get(f"/me/debriefs/{debrief.pk}/"))
    evaluation = services.offer_evaluation(actor=coordinator_a, session=session)
    page = text(client.get(f"/me/debriefs/{debrief.pk}/"))
    assert f'href="/me/surveys/{evaluation.pk}/"' in page and "Tell us what you thought of the session" in page
    client.cookies["withus_language"] = "cy"
    assert "Tell us what you thought" not in text(client.get(f"/me/debriefs/{debrief.pk}/"))
    Respondent.objects.create(survey=evaluation, person=came)
    assert f"/me/surveys/{evaluation.pk}/" not in text(client.get(f"/me/debriefs/{debrief.pk}/"))
