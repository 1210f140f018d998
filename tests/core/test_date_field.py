"""Dates are typed as day, month and year (the GOV.UK pattern): parsing, messages, what is kept, optional markers."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
from django import forms
from django.utils import translation

from tests.conftest import make_member, member_client, staff_client
from tests.core.dates import date_boxes, shown_date
from tests.meetings.factories import make_venue
from withus.core.forms import DateField, DateTimeField
from withus.meetings.models import Session

pytestmark = pytest.mark.django_db

NEW_CLAIM = "/me/payments/expenses/new/"


class WhenForm(forms.Form):
    when = DateField(label="When")


class StartsForm(forms.Form):
    starts = DateTimeField(label="Starts")


def boxes(day: str, month: str, year: str) -> dict[str, str]:
    return {"when_day": day, "when_month": month, "when_year": year}


def test_three_boxes_make_a_date_and_spaces_around_them_do_not_matter():
    form = WhenForm(boxes(" 7", "3 ", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == date(2026, 3, 7)


def test_an_iso_date_under_the_fields_own_name_is_still_read():
    form = WhenForm({"when": "2026-03-07"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == date(2026, 3, 7)


ERRORS = [
    (boxes("", "", ""), "Enter the date", "Rhowch y dyddiad"),
    (boxes("", "3", "2026"), "Date must include a day", "Rhaid i'r dyddiad gynnwys diwrnod"),
    (boxes("7", "", "2026"), "Date must include a month", "Rhaid i'r dyddiad gynnwys mis"),
    (boxes("7", "3", ""), "Date must include a year", "Rhaid i'r dyddiad gynnwys blwyddyn"),
    (boxes("", "", "2026"), "Date must include a day and month", "Rhaid i'r dyddiad gynnwys diwrnod a mis"),
    (boxes("", "3", ""), "Date must include a day and year", "Rhaid i'r dyddiad gynnwys diwrnod a blwyddyn"),
    (boxes("7", "", ""), "Date must include a month and year", "Rhaid i'r dyddiad gynnwys mis a blwyddyn"),
    (boxes("31", "2", "2026"), "Date must be a real date", "Rhaid i'r dyddiad fod yn ddyddiad go iawn"),
    (boxes("7", "March", "2026"), "Date must be a real date", "Rhaid i'r dyddiad fod yn ddyddiad go iawn"),
    (boxes("7", "13", "2026"), "Date must be a real date", "Rhaid i'r dyddiad fod yn ddyddiad go iawn"),
    (boxes("7", "3", "26"), "Year must include 4 numbers", "Rhaid i'r flwyddyn gynnwys 4 rhif"),
]


@pytest.mark.parametrize(("data", "english", "welsh"), ERRORS)
def test_each_problem_has_its_own_message_in_english_and_welsh(data, english, welsh):
    with translation.override("en"):
        form = WhenForm(data)
        assert not form.is_valid()
        assert form.errors["when"] == [english]
    with translation.override("cy"):
        form = WhenForm(data)
        assert not form.is_valid()
        assert form.errors["when"] == [welsh]


def test_the_hint_gives_an_example_in_the_same_form_as_the_boxes():
    with translation.override("en"):
        page = str(WhenForm()["when"].as_field_group())
    assert "For example, 27 3 2026" in page
    assert re.search(r'<fieldset class="fieldset" aria-describedby="id_when-hint"', page)
    assert '<legend class="fieldset__legend">When</legend>' in page
    for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        assert f'<label class="date-input__label" for="id_when_{part}">{label}</label>' in page
        assert re.search(
            rf'<input type="text" name="when_{part}"[^>]*inputmode="numeric"[^>]*id="id_when_{part}"', page
        )
    with translation.override("cy"):
        assert "Er enghraifft, 27 3 2026" in str(WhenForm()["when"].as_field_group())


def test_only_the_box_left_out_is_marked_and_the_others_keep_what_was_typed():
    form = WhenForm(boxes("7", "", "2026"))
    form.is_valid()
    page = str(form["when"].as_field_group())
    assert shown_date(page, "when") == "7  2026"
    invalid = re.findall(r'aria-invalid="true" id="(id_when_\w+)"', page)
    assert invalid == ["id_when_month"]


def test_a_date_and_time_is_in_uk_time_and_names_the_time_when_it_is_left_out():
    form = StartsForm({"starts_day": "27", "starts_month": "6", "starts_year": "2026", "starts_time": "14:30"})
    assert form.is_valid(), form.errors
    starts = form.cleaned_data["starts"]
    assert starts.isoformat() == "2026-06-27T14:30:00+01:00"
    form = StartsForm({"starts_day": "27", "starts_month": "6", "starts_year": "2026", "starts_time": ""})
    assert not form.is_valid() and form.errors["starts"] == ["Enter the time as hours and minutes, for example 14:30"]
    form = StartsForm({"starts_day": "27", "starts_month": "6", "starts_year": "2026", "starts_time": "25:00"})
    assert not form.is_valid() and form.errors["starts"] == ["Time must be a real time, for example 14:30"]


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_claim_page_names_the_missing_part_links_to_its_box_and_keeps_the_rest(org_a):
    member = make_member(org_a)
    data = {
        "category": "parking",
        "amount": "3.20",
        "activity_date_day": "11",
        "activity_date_month": "",
        "activity_date_year": "2025",
        "organisation": org_a.pk,
    }
    page = text(member_client(member).post(NEW_CLAIM, data))
    assert '<a href="#id_activity_date_month">Date must include a month</a>' in page
    assert shown_date(page, "activity_date") == "11  2025"
    client = member_client(member)
    client.cookies["withus_language"] = "cy"
    page = text(client.post(NEW_CLAIM, data))
    assert '<a href="#id_activity_date_month">' + "Rhaid i'r dyddiad gynnwys mis</a>" in page
    assert shown_date(page, "activity_date") == "11  2025"


def test_the_claim_form_marks_optional_only_what_is_optional(org_a):
    page = text(member_client(make_member(org_a)).get(NEW_CLAIM))
    optional = '<span class="optional">(optional)</span>'
    # The amount is needed for every claim but mileage, the miles for mileage, the receipt for all but mileage.
    assert re.search(r"Amount you paid \(£\)</label>", page)
    assert re.search(r"Miles, there and back</label>", page)
    assert re.search(r"Receipt</label>", page)
    assert f"Passengers you took {optional}" in page


def test_a_session_typed_in_boxes_is_saved_in_uk_time(org_a, coordinator_a):
    venue = make_venue(org_a)
    data = {
        "title": "Crisis line review",
        "kind": "meeting",
        **date_boxes("starts_at", "2030-06-12"),
        "starts_at_time": "10:30",
        **date_boxes("ends_at", "2030-06-12"),
        "ends_at_time": "12:00",
        "venue": venue.pk,
        "refreshments": "drinks",
        "contact": coordinator_a.pk,
    }
    response = staff_client(coordinator_a).post("/staff/sessions/new/", data)
    assert response.status_code == 302, text(response)
    session = Session.objects.get()
    assert session.starts_at == datetime(2030, 6, 12, 9, 30, tzinfo=UTC)  # 10:30 in British Summer Time


@pytest.mark.parametrize(
    ("plain", "ours"),
    [(forms.DateField, DateField), (forms.DateTimeField, DateTimeField)],
)
def test_a_plain_date_field_is_replaced_keeping_everything_set_on_it(plain, ours):
    from django.core.validators import MinValueValidator

    check = MinValueValidator(date(2020, 1, 1))
    field = plain(
        required=False,
        label="When it happened",
        initial=date(2026, 3, 27),
        help_text="The day itself",
        error_messages={"invalid": "Say when, please"},
        disabled=True,
        validators=[check],
    )
    replaced = ours.replacing(field)
    assert type(replaced) is ours
    assert (replaced.required, replaced.label, replaced.initial, replaced.help_text, replaced.disabled) == (
        False,
        "When it happened",
        date(2026, 3, 27),
        "The day itself",
        True,
    )
    assert replaced.error_messages["invalid"] == "Say when, please" and check in replaced.validators
    # Django's own generic messages give way to ours.
    assert replaced.error_messages["required"] == ours().error_messages["required"]
