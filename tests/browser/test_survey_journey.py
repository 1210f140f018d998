"""Surveys in a real browser, in English and Welsh, with axe on every page: a coordinator builds an
anonymous survey and opens it, a member answers it on the web, the coordinator types in a paper answer,
and the results keep service users and carers apart with small numbers hidden."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, check_page, expect_error_summary, open_site, sign_in, tr
from tests.conftest import make_member, make_staff
from withus.accounts.models import Organisation, Role
from withus.impact.surveys import services
from withus.impact.surveys.models import Survey, SurveyAnswer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_anonymous_survey_answered_on_the_web_and_on_paper_with_results_by_perspective(
    live_server: Any, page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    member = make_member(org_a, full_name="Alaw Member", perspective="service_user", prefers_welsh=lang == "cy")
    assert member.user is not None

    # The coordinator starts a survey: without a title first (refused), then properly.
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    page.goto("/staff/surveys/")
    check_page(page, lang)
    page.locator("a[href='/staff/surveys/new/']").click()
    expect(page).to_have_url(at(r"/staff/surveys/new/"))
    check_page(page, lang)
    page.locator("#id_audience_0").check()
    page.locator("#id_results_shown_0").check()
    page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(page, lang, {"id_title": tr(lang, "Give the survey a title.")})
    check_page(page, lang)
    page.locator("#id_title").fill("Crisis care")
    page.get_by_role("main").locator("button[type=submit]").click()
    survey = Survey.objects.get()
    assert survey.anonymous
    expect(page).to_have_url(at(rf"/staff/surveys/{survey.pk}/"))
    check_page(page, lang)

    # A survey with no question cannot be opened; with one it can.
    page.locator("button[name=do][value=open]").click()
    expect(page.get_by_role("main")).to_contain_text(
        tr(lang, "A survey with no question cannot be opened: add a question first.")
    )
    check_page(page, lang)
    page.locator("#id_kind_0").check()
    page.locator("#id_text").fill("Did you get help in time?")
    page.locator("#id_options").fill("Yes\nNo")
    page.locator("#id_required").check()
    page.get_by_role("main").locator("form[action$='/questions/'] button[type=submit]").click()
    expect(page.get_by_role("main")).to_contain_text("Did you get help in time?")
    check_page(page, lang)
    page.locator("button[name=do][value=open]").click()
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "Open for answers"))
    check_page(page, lang)
    survey.refresh_from_db()
    assert survey.status == "open"
    question = survey.questions.get()
    yes, _no = question.options.all()

    # The member answers on the web, once.
    open_site(second_page, lang)
    sign_in(second_page, lang, member.user.email, totp=False)
    second_page.goto("/me/surveys/")
    check_page(second_page, lang)
    second_page.locator(f"a[href='/me/surveys/{survey.pk}/']").click()
    expect(second_page).to_have_url(at(rf"/me/surveys/{survey.pk}/"))
    expect(second_page.get_by_role("main")).to_contain_text(
        tr(lang, "Your answer is anonymous: nothing links it to you, not even for staff.")
    )
    check_page(second_page, lang)
    expect(second_page.locator("#id_perspective_0")).to_be_checked()  # from their profile
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(second_page, lang, {f"id_q{question.pk}_0": tr(lang, "Answer this question: it is needed.")})
    check_page(second_page, lang)
    second_page.locator(f"input[name=q{question.pk}][value='{yes.pk}']").check()
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect(second_page).to_have_url(at(r"/me/surveys/"))
    expect(second_page.get_by_role("main")).to_contain_text(tr(lang, "Answered"))
    check_page(second_page, lang)
    assert SurveyAnswer.objects.get().person is None

    # The coordinator types in a paper answer from a carer.
    page.locator(f"a[href='/staff/surveys/{survey.pk}/paper/']").click()
    expect(page).to_have_url(at(rf"/staff/surveys/{survey.pk}/paper/"))
    check_page(page, lang)
    page.locator("#id_perspective_1").check()
    page.locator(f"input[name=q{question.pk}][value='{yes.pk}']").check()
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page.get_by_role("status").or_(page.locator(".notification--success")).first).to_contain_text(
        tr(lang, "The paper answer is saved.")
    )
    check_page(page, lang)
    assert SurveyAnswer.objects.filter(on_paper=True, perspective="carer").count() == 1

    # Four more service users answer, so theirs is shown and the carers' single answer is hidden.
    for _ in range(4):
        services.submit_answer(
            survey=survey,
            token=services.issue_token(survey=survey),
            values={question.pk: str(yes.pk)},
            perspective="service_user",
            person=make_member(org_a),
        )
    page.goto(f"/staff/surveys/{survey.pk}/results/")
    check_page(page, lang)
    row = page.get_by_role("main").locator("table").nth(1).locator("tbody tr").first
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text("5")
    expect(cells.nth(1)).to_have_text(tr(lang, "fewer than %(n)s", n="5"))
    expect(cells.nth(3)).to_have_text(tr(lang, "not shown"))
