import csv
import html
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_member, member_client, staff_client
from tests.core.xlsx import assert_text, sheet_of
from tests.impact.surveys.factories import make_survey, question, values
from withus.impact.surveys import documents, services
from withus.impact.surveys.models import AnswerItem, Survey, SurveyAnswer

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def token_of(page: str) -> str:
    return page.split('name="token" value="', 1)[1].split('"', 1)[0]


def form_data(survey, page, perspective="service_user", **kwargs):
    data = {"token": token_of(page), "perspective": perspective}
    for qid, value in values(survey, **kwargs).items():
        data[f"q{qid}"] = value
    return data


def test_a_coordinator_builds_a_survey_and_cannot_open_it_without_a_question(org_a, coordinator_a):
    client = staff_client(coordinator_a)
    page = text(client.post("/staff/surveys/new/", {"audience": "members", "results_shown": "after_close"}))
    assert "There is a problem" in page and "Give the survey a title." in page
    response = client.post(
        "/staff/surveys/new/",
        {"title": "Crisis care", "audience": "members", "results_shown": "after_close", "anonymous": "on"},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.anonymous
    page = text(client.post(f"/staff/surveys/{survey.pk}/status/", {"do": "open"}, follow=True))
    assert "A survey with no question cannot be opened" in page
    survey.refresh_from_db()
    assert survey.status == "draft"
    page = text(client.post(f"/staff/surveys/{survey.pk}/questions/", {"kind": "single", "text": "Was it quick?"}))
    assert "Give at least two options" in page and 'value="Was it quick?"' in page
    client.post(
        f"/staff/surveys/{survey.pk}/questions/", {"kind": "single", "text": "Was it quick?", "options": "Yes\nNo"}
    )
    client.post(f"/staff/surveys/{survey.pk}/status/", {"do": "open"})
    survey.refresh_from_db()
    assert survey.status == "open" and [o.text for o in survey.questions.get().options.all()] == ["Yes", "No"]


def test_a_member_answers_once_on_the_web_and_a_replayed_form_is_refused(org_a, coordinator_a, member_a):
    survey = make_survey(coordinator_a)
    client = member_client(member_a)
    assert "Our crisis service" in text(client.get("/me/surveys/"))
    page = text(client.get(f"/me/surveys/{survey.pk}/"))
    assert "Your answer is anonymous" in page and "Results are shown only after the survey closes." in page
    data = form_data(survey, page, text="Evening cover")
    assert client.post(f"/me/surveys/{survey.pk}/", data).status_code == 302
    assert SurveyAnswer.objects.get().person is None
    assert "already answered" in text(client.get(f"/me/surveys/{survey.pk}/"))
    assert SurveyAnswer.objects.count() == 1


def test_a_missing_required_answer_keeps_what_was_typed(org_a, coordinator_a, member_a):
    survey = make_survey(coordinator_a)
    client = member_client(member_a)
    data = form_data(survey, text(client.get(f"/me/surveys/{survey.pk}/")), text="Kept words")
    del data[f"q{question(survey, 'single').pk}"]
    page = text(client.post(f"/me/surveys/{survey.pk}/", data))
    assert "Answer this question: it is needed." in page and "Kept words" in page
    assert not SurveyAnswer.objects.exists()
    assert client.post(f"/me/surveys/{survey.pk}/", form_data(survey, page)).status_code == 302


def test_the_public_answers_by_link_without_signing_in_and_a_spent_form_is_refused(org_a, coordinator_a):
    survey = make_survey(coordinator_a, audience="public")
    client = Client()
    url = f"/surveys/{survey.public_key}/"
    data = form_data(survey, text(client.get(url)), perspective="other")
    assert client.post(url, data).status_code == 302
    page = text(client.post(url, data))
    assert "already been used" in page
    assert SurveyAnswer.objects.count() == 1
    services.close_survey(actor=coordinator_a, survey=survey)
    assert "This survey is closed" in text(client.get(url))
    assert Client().get("/surveys/not-a-key/").status_code == 404


def test_staff_type_in_paper_answers_marked_as_paper_and_print_the_survey_as_pdf(org_a, coordinator_a):
    survey = make_survey(coordinator_a)
    client = staff_client(coordinator_a)
    url = f"/staff/surveys/{survey.pk}/paper/"
    assert client.post(url, form_data(survey, text(client.get(url)), perspective="carer")).status_code == 302
    assert SurveyAnswer.objects.get().on_paper
    response = client.get(f"/staff/surveys/{survey.pk}/paper.pdf?lang=cy")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    laid_out = documents.paper_document(survey, language="en")
    words = " ".join(
        box.text for page in laid_out.pages for box in _text_boxes(page._page_box) if getattr(box, "text", None)
    )
    assert "Did you get help in time?" in words and "Do not write your name" in words


def _text_boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)


def test_results_split_by_perspective_hide_small_numbers_and_take_the_same_queries_however_many(org_a, coordinator_a):
    survey = make_survey(coordinator_a, audience="public", results_shown="while_open")

    def add(n, perspective):
        for _ in range(n):
            token = services.issue_token(survey=survey)
            services.submit_answer(
                survey=survey, token=token, values=values(survey, text="Words"), perspective=perspective
            )

    add(5, "service_user")
    add(1, "carer")
    client = staff_client(coordinator_a)
    url = f"/staff/surveys/{survey.pk}/results/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = text(client.get(url))
    assert "fewer than 5" in page and "Service users" in page and "Carers" in page
    add(12, "carer")
    add(3, "other")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_results_wait_for_the_close_and_the_csv_streams_hidden_counts_as_below_the_threshold(org_a, coordinator_a):
    survey = make_survey(coordinator_a, audience="public")
    for perspective in ["service_user"] * 6 + ["carer"]:
        services.submit_answer(
            survey=survey,
            token=services.issue_token(survey=survey),
            values=values(survey, text="=HYPERLINK(1)"),
            perspective=perspective,
        )
    client = staff_client(coordinator_a)
    page = text(client.get(f"/staff/surveys/{survey.pk}/results/"))
    assert "will be shown here when the survey closes" in page and "Did you get help in time?" not in page
    services.close_survey(actor=coordinator_a, survey=survey)
    response = client.get(f"/staff/surveys/{survey.pk}/results.csv")
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["question", "answer", "service_users", "carers", "others", "total", "themes"]
    assert ["Did you get help in time?", "Yes", "6", "<5", "0", "hidden", ""] in rows
    assert any(r[1] == "'=HYPERLINK(1)" for r in rows)

    # The same rows as a workbook: counts are numbers, held-back ones as in the CSV, text never a formula.
    workbook = client.get(f"/staff/surveys/{survey.pk}/results.xlsx")
    assert workbook.status_code == 200 and workbook["Content-Disposition"].endswith('.xlsx"')
    sheet = sheet_of(b"".join(workbook.streaming_content))
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == ["question", "answer", "service_users", "carers", "others", "total", "themes"]
    yes = next(
        row for row in sheet.iter_rows() if row[0].value == "Did you get help in time?" and row[1].value == "Yes"
    )
    assert (yes[2].value, yes[2].data_type, yes[3].value, yes[5].value) == (6, "n", "<5", "hidden")
    hostile = next(row[1] for row in sheet.iter_rows() if str(row[1].value).endswith("=HYPERLINK(1)"))
    assert_text(hostile, "=HYPERLINK(1)")
    assert [row[0].value for row in sheet.iter_rows()] == [r[0] for r in rows]  # the same rows as the CSV


def test_a_coordinator_tags_a_free_text_answer_with_a_theme(org_a, coordinator_a):
    survey = make_survey(coordinator_a, audience="public", results_shown="while_open")
    services.submit_answer(
        survey=survey,
        token=services.issue_token(survey=survey),
        values=values(survey, text="Later"),
        perspective="other",
    )
    item = AnswerItem.objects.get(question__kind="text")
    client = staff_client(coordinator_a)
    client.post(f"/staff/surveys/{survey.pk}/themes/", {"item": str(item.pk), "theme": "Opening hours"})
    assert "Opening hours" in text(client.get(f"/staff/surveys/{survey.pk}/results/"))


def test_other_organisations_and_members_cannot_reach_a_survey(org_a, org_b, coordinator_a, coordinator_b, member_b):
    survey = make_survey(coordinator_a)
    other = staff_client(coordinator_b)
    for url in ("", "results/", "results.csv", "results.xlsx", "paper.pdf", "paper/"):
        assert other.get(f"/staff/surveys/{survey.pk}/{url}").status_code == 404
    assert member_client(member_b).get(f"/me/surveys/{survey.pk}/").status_code == 404
    assert member_client(make_member(org_a)).get(f"/staff/surveys/{survey.pk}/results/").status_code == 403


def test_the_answer_page_in_welsh(org_a, coordinator_a, member_a):
    survey = make_survey(coordinator_a)
    client = member_client(member_a)
    client.cookies["withus_language"] = "cy"
    page = text(client.get(f"/me/surveys/{survey.pk}/"))
    assert "Ein gwasanaeth argyfwng" in page and 'lang="cy"' in page
