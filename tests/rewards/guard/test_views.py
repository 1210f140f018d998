"""The benefits guard's pages: the member's own page and letter, the coordinator's offer, the admin's table."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.core.dates import shown_date
from tests.rewards.fees.test_changes import two_hour_session
from withus.accounts.models import Organisation, Role
from withus.meetings.models import Attendance
from withus.people.models import Person
from withus.rewards.fees import services as fee_services
from withus.rewards.guard import documents
from withus.rewards.models import BenefitDeclaration, BenefitLimit, GuardChoice, IncomeLine
from withus.rewards.reference import DWP_2025

pytestmark = pytest.mark.django_db
D = Decimal
LONDON = ZoneInfo("Europe/London")
# A Wednesday in the 2025/26 tax year, which the shipped reference rows cover.
WEDNESDAY = datetime(2025, 6, 11, 10, 0, tzinfo=LONDON)


def text(response) -> str:
    return html.unescape(response.content.decode())


def is_checked(page: str, name: str, value: str) -> bool:
    """Whether the input named ``name`` with ``value`` is ticked in the page."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    raise AssertionError(f"no input {name}={value}")


def declare(client: Client, benefit: str, *organisations: Organisation, **extra: str):
    return client.post("/me/benefits/", {"benefit": benefit, "share_with": [o.pk for o in organisations], **extra})


def offer(client: Client, person: Person, **fields: str):
    data = {"kind": "fee", "description": "Recruitment panel", "amount": "200.00", "hours": "4"}
    data.update(fields)
    return client.post(f"/staff/people/{person.pk}/offer/", data)


# ---- The member's page ------------------------------------------------------------------------


def test_universal_credit_without_an_assessment_day_is_refused_and_the_answers_are_kept(org_a):
    member = make_member(org_a)
    client = member_client(member)
    response = declare(client, "universal_credit", org_a, uc_housing_support="on")
    assert response.status_code == 200
    page = text(response)
    assert 'class="error-summary"' in page
    assert "Give the day your assessment period starts: it is on your statement." in page
    assert is_checked(page, "benefit", "universal_credit")
    assert not is_checked(page, "benefit", "carers_allowance")
    assert 'name="uc_housing_support"' in page and re.search(r'<input[^>]*name="uc_housing_support"[^>]*checked', page)
    assert is_checked(page, "share_with", str(org_a.pk))
    assert not BenefitDeclaration.objects.exists()


def test_a_member_can_only_share_a_benefit_with_organisations_they_share_details_with(org_a, org_b):
    member = make_member(org_a)
    client = member_client(member)
    page = text(client.get("/me/benefits/"))
    assert "Telling us is optional" in page and "never gives benefits advice" in page
    assert f'value="{org_a.pk}"' in page and f'value="{org_b.pk}"' not in page
    response = declare(client, "carers_allowance", org_b)
    assert response.status_code == 200
    assert "Choose only organisations you share your details with." in text(response)
    assert not BenefitDeclaration.objects.exists()


def test_the_page_shows_this_and_the_next_assessment_period(org_a, time_machine):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a)
    client = member_client(member)
    response = declare(client, "universal_credit", org_a, assessment_day="14", uc_work_allowance="on")
    assert response.status_code == 302
    declaration = BenefitDeclaration.objects.get()
    assert declaration.assessment_day == 14 and declaration.uc_work_allowance
    assert list(declaration.share_with.all()) == [org_a]
    page = text(client.get("/me/benefits/"))
    assert "Wednesday 14 May 2025 to Friday 13 June 2025" in page  # this period
    assert "Saturday 14 June 2025 to Sunday 13 July 2025" in page  # the next one
    assert "UC work allowance, no housing support: £684.00" in page
    assert "This figure may be out of date" not in page


def test_an_old_figure_is_flagged_as_possibly_out_of_date(org_a, time_machine):
    time_machine.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=LONDON))
    member = make_member(org_a)
    client = member_client(member)
    assert declare(client, "carers_allowance", org_a).status_code == 302
    page = text(client.get("/me/benefits/"))
    assert "Carer's Allowance earnings limit: £196.00" in page
    assert "This figure may be out of date" in page


def test_a_member_cannot_declare_the_same_benefit_twice_and_can_stop_telling_us(org_a):
    member = make_member(org_a)
    other = make_member(org_a)
    client = member_client(member)
    assert declare(client, "carers_allowance", org_a).status_code == 302
    response = declare(client, "carers_allowance", org_a)
    assert "You have already told us about this benefit." in text(response)
    declaration = BenefitDeclaration.objects.get()
    assert member_client(other).post(f"/me/benefits/{declaration.pk}/stop/").status_code == 404
    assert client.get(f"/me/benefits/{declaration.pk}/stop/").status_code == 405
    assert client.post(f"/me/benefits/{declaration.pk}/stop/").status_code == 302
    declaration.refresh_from_db()
    assert declaration.ended_at is not None
    assert "You have not told us about any benefits." in text(client.get("/me/benefits/"))


def test_the_trading_allowance_total_counts_fees_paid_this_tax_year(org_a, time_machine):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a)
    for amount, day, status, kind in [
        ("300.00", date(2025, 5, 1), "paid", "fee"),
        ("25.50", date(2025, 6, 1), "paid", "voucher"),
        ("40.00", date(2025, 6, 1), "paid", "expense"),  # a repayment, not income
        ("500.00", date(2025, 3, 1), "paid", "fee"),  # the tax year before
        ("80.00", date(2025, 6, 2), "accepted", "fee"),  # not paid yet
    ]:
        IncomeLine.objects.create(
            person=member,
            organisation=org_a,
            kind=kind,
            description="x",
            amount=D(amount),
            activity_date=day,
            status=status,
        )
    page = text(member_client(member).get("/me/benefits/"))
    assert "You have been paid £325.50 in fees and vouchers on WithUs in this tax year" in page
    assert "(6 April 2025 to 5 April 2026)" in page
    assert "HMRC's trading allowance is £1,000.00 a year." in page
    assert "not advice" in page


# ---- An offer, the warning and the member's choice -----------------------------------------------


def test_a_carer_is_warned_about_an_offer_over_the_limit_and_chooses_fewer_hours(org_a, coordinator_a, time_machine):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a, perspective="carer", full_name="Carys Carer")
    client = member_client(member)
    assert declare(client, "carers_allowance", org_a).status_code == 302

    coordinator = staff_client(coordinator_a)
    response = offer(coordinator, member, activity_date="2025-06-12")
    assert response.status_code == 302
    line = IncomeLine.objects.get()
    assert (line.amount, line.hours, line.status, line.organisation) == (D("200.00"), D("4.00"), "offered", org_a)
    made = text(coordinator.get(response["Location"]))
    assert "£4.00 over the Carer's Allowance earnings limit." in made

    page = text(client.get("/me/benefits/"))
    assert "Offers waiting for your answer" in page
    assert "This offer could affect your benefits." in page
    assert "That is £4.00 over the Carer's Allowance earnings limit of £196.00." in page
    assert f"Source: {DWP_2025}, from 7 April 2025." in page
    assert "Vouchers are not a way round" in page
    assert "talk to a welfare rights adviser" in page
    for option in ["Take part for fewer hours", "A lower fee", "Donate", "Expenses only", "Decline", "Accept"]:
        assert option in page

    prefix = f"offer-{line.pk}"
    answer = {f"{prefix}-choice": "fewer_hours", f"{prefix}-hours": "3"}
    response = client.post(f"/me/benefits/offers/{line.pk}/", answer)
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.hours, line.status) == (D("150.00"), D("3.00"), "accepted")
    choice = GuardChoice.objects.get(income_line=line)
    assert choice.choice == "fewer_hours" and choice.chosen_by == member.user
    [warning] = choice.warning
    assert warning["problem"] == "over_limit" and warning["over_by"] == "4.00" and warning["source"] == DWP_2025

    page = text(client.get("/me/benefits/"))
    assert "No offers are waiting for your answer." in page and f"/me/benefits/offers/{line.pk}/" not in page
    assert "Counted so far: £150.00" in page


def test_a_wrong_answer_keeps_the_choice_and_the_member_can_always_accept(org_a, coordinator_a, time_machine):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a)
    client = member_client(member)
    declare(client, "carers_allowance", org_a)
    offer(staff_client(coordinator_a), member, activity_date="2025-06-12")
    line = IncomeLine.objects.get()
    url, prefix = f"/me/benefits/offers/{line.pk}/", f"offer-{line.pk}"

    response = client.post(url, {f"{prefix}-choice": "fewer_hours"})
    page = text(response)
    assert response.status_code == 200 and "Give the number of hours you will take part for." in page
    assert is_checked(page, f"{prefix}-choice", "fewer_hours")
    assert "That is £4.00 over the Carer's Allowance earnings limit of £196.00." in page

    response = client.post(url, {f"{prefix}-choice": "fewer_hours", f"{prefix}-hours": "5"})
    assert "Give fewer hours than the 4 hours offered, and more than 0." in text(response)
    assert 'value="5"' in text(response)
    line.refresh_from_db()
    assert line.status == "offered" and not GuardChoice.objects.exists()

    assert client.post(url, {f"{prefix}-choice": "accept"}).status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.status) == (D("200.00"), "accepted")
    assert GuardChoice.objects.get().choice == "accept"
    # Answered once: the page does not take a second answer.
    assert client.post(url, {f"{prefix}-choice": "decline"}).status_code == 302
    assert GuardChoice.objects.count() == 1


def test_a_member_cannot_answer_someone_elses_offer(org_a, coordinator_a):
    member, other = make_member(org_a), make_member(org_a)
    offer(staff_client(coordinator_a), member, activity_date="2025-06-12")
    line = IncomeLine.objects.get()
    response = member_client(other).post(f"/me/benefits/offers/{line.pk}/", {f"offer-{line.pk}-choice": "decline"})
    assert response.status_code == 404
    line.refresh_from_db()
    assert line.status == "offered"


# ---- The coordinator's offer page ----------------------------------------------------------------


def test_a_coordinator_of_another_organisation_cannot_open_the_offer_page(org_a, org_b, coordinator_b):
    member = make_member(org_a)
    client = staff_client(coordinator_b)
    assert client.get(f"/staff/people/{member.pk}/offer/").status_code == 404
    assert offer(client, member, activity_date="2025-06-12").status_code == 404
    assert not IncomeLine.objects.exists()


def test_a_member_cannot_make_offers(org_a):
    member, other = make_member(org_a), make_member(org_a)
    assert member_client(member).get(f"/staff/people/{other.pk}/offer/").status_code == 403


def test_bad_offers_get_clear_messages_and_keep_what_was_typed(org_a, coordinator_a):
    member = make_member(org_a)
    client = staff_client(coordinator_a)
    response = offer(client, member, amount="-5", description="Focus group", activity_date="2025-06-12")
    page = text(response)
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert "Give an amount from £0 to £5000.00." in page
    assert 'value="Focus group"' in page and 'value="-5"' in page
    response = offer(client, member, description="", activity_date="not a date")
    page = text(response)
    assert "Say what the fee is for." in page and "Date must be a real date" in page
    assert not IncomeLine.objects.exists()


def test_a_coordinator_sees_only_the_declarations_shared_with_their_organisation(
    org_a, org_b, coordinator_a, time_machine
):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a, org_b, full_name="Dafydd Member")
    client = member_client(member)
    assert declare(client, "esa_permitted_work", org_b).status_code == 302  # not shared with A
    coordinator = staff_client(coordinator_a)
    made = text(coordinator.get(offer(coordinator, member, activity_date="2025-06-12")["Location"]))
    assert "Dafydd Member will see any warning about benefits themselves" in made
    assert "Employment and Support Allowance" not in made and "ESA" not in made

    assert declare(client, "carers_allowance", org_a).status_code == 302
    made = text(coordinator.get(offer(coordinator, member, activity_date="2025-06-13")["Location"]))
    assert "Carer's Allowance" in made
    assert "Employment and Support Allowance" not in made and "ESA" not in made
    # The staff page of the offer is only for the organisation that made it.
    line = IncomeLine.objects.first()
    assert staff_client(make_staff(org_b)).get(f"/staff/people/{member.pk}/offers/{line.pk}/").status_code == 404


def test_the_person_page_links_coordinators_to_the_offer_page(org_a, coordinator_a):
    member = make_member(org_a)
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    link = f'href="/staff/people/{member.pk}/offer/"'
    assert link in staff_client(coordinator_a).get(f"/staff/people/{member.pk}/").content.decode()
    assert link not in staff_client(supervisor).get(f"/staff/people/{member.pk}/").content.decode()


# ---- The letter --------------------------------------------------------------------------------


def test_the_letter_is_a_pdf_listing_the_last_three_months_of_fees_and_vouchers(org_a, time_machine):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a, perspective="carer", full_name="Carys Carer")
    for description, amount, day, status, kind in [
        ("Recruitment panel", "200.00", date(2025, 6, 12), "offered", "fee"),  # later this week: not yet
        ("Board meeting", "60.00", date(2025, 5, 20), "paid", "fee"),
        ("Survey", "15.00", date(2025, 4, 1), "accepted", "voucher"),
        ("Old workshop", "90.00", date(2025, 3, 10), "paid", "fee"),  # more than three months ago
        ("Train fare", "12.40", date(2025, 5, 20), "paid", "expense"),
        ("Declined panel", "70.00", date(2025, 5, 21), "declined", "fee"),
    ]:
        IncomeLine.objects.create(
            person=member,
            organisation=org_a,
            kind=kind,
            description=description,
            amount=D(amount),
            activity_date=day,
            status=status,
        )
    response = member_client(member).get("/me/benefits/letter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")

    letter = html.unescape(documents.benefits_letter_html(member))
    assert '<html lang="en">' in letter
    assert "Carys Carer takes part in involvement activities with Organisation A, as a carer" in letter
    assert "Board meeting" in letter and "£60.00" in letter and "Survey" in letter and "£15.00" in letter
    assert "Old workshop" not in letter and "Train fare" not in letter and "Declined panel" not in letter
    assert "Recruitment panel" not in letter
    assert "£75.00" in letter  # the total
    assert "repayments, not income" in letter and "It is not benefits advice" in letter

    member.prefers_welsh = True
    member.save()
    assert '<html lang="cy">' in documents.benefits_letter_html(member)


def test_only_a_member_gets_their_letter(client):
    assert client.get("/me/benefits/letter.pdf").status_code == 302  # to the sign-in page


# ---- The admin's reference table -----------------------------------------------------------------


def uncovered_block(page: str) -> str:
    return page.split('id="uncovered"', 1)[1].split("</div>", 1)[0]


LIMIT_ROW = {
    "rule": "carers_allowance",
    "period": "week",
    "amount": "250.00",
    "valid_from": "2030-04-08",
    "source": "DWP, Benefit and pension rates 2030 to 2031",
}


def test_the_admin_table_warns_about_uncovered_rules_and_refuses_overlapping_rows(org_a, time_machine):
    time_machine.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=LONDON))
    client = staff_client(make_staff(org_a, Role.ADMIN))
    page = text(client.get("/staff/benefits/limits/"))
    warning = uncovered_block(page)
    assert "Carer's Allowance earnings limit" in warning
    assert "ESA permitted work, higher limit" in warning
    assert "HMRC trading allowance" not in warning  # its row has no end date
    assert DWP_2025 in page  # the table itself

    assert client.post("/staff/benefits/limits/", LIMIT_ROW).status_code == 302
    assert BenefitLimit.objects.filter(amount=D("250.00"), rule="carers_allowance").exists()
    warning = uncovered_block(text(client.get("/staff/benefits/limits/")))
    assert "Carer's Allowance earnings limit" not in warning
    assert "ESA permitted work, higher limit" in warning

    count = BenefitLimit.objects.count()
    # A row starting before the open one and running into it overlaps it.
    response = client.post(
        "/staff/benefits/limits/",
        {**LIMIT_ROW, "amount": "260.00", "valid_from": "2030-01-01", "valid_to": "2030-05-01"},
    )
    page = text(response)
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert "These dates overlap another row for the same rule" in page
    assert 'value="260.00"' in page and shown_date(page, "valid_from") == "1 1 2030" and LIMIT_ROW["source"] in page

    response = client.post("/staff/benefits/limits/", {**LIMIT_ROW, "rule": "esa_permitted_work", "source": "  "})
    page = text(response)
    assert "Say where the figure comes from." in page and 'value="250.00"' in page

    response = client.post(
        "/staff/benefits/limits/", {**LIMIT_ROW, "rule": "esa_permitted_work", "valid_to": "2030-01-01"}
    )
    assert "The end date must be on or after the start date." in text(response)
    assert BenefitLimit.objects.count() == count


def test_only_admins_open_the_reference_table(org_a, coordinator_a):
    assert staff_client(coordinator_a).get("/staff/benefits/limits/").status_code == 403
    assert staff_client(make_staff(org_a, Role.ADMIN)).get("/staff/benefits/limits/").status_code == 200


def test_the_warning_names_the_organisations_welfare_rights_adviser(org_a):
    from django.template.loader import render_to_string

    org_a.welfare_adviser = "Cyngor Ar Bopeth Afon"
    org_a.welfare_adviser_contact = "01632 960123"
    org_a.save()
    html = render_to_string("rewards/_options.html", {"organisation": org_a, "level": 3})
    assert "Cyngor Ar Bopeth Afon" in html and "01632 960123" in html
    org_a.welfare_adviser = ""
    assert "can help you find one" in render_to_string("rewards/_options.html", {"organisation": org_a, "level": 3})


def test_a_lower_fee_that_would_split_the_activity_is_refused_on_the_page_and_fewer_hours_are_taken(
    org_a, coordinator_a
):
    """The two-hour session at £15.00 an hour (``tests.rewards.fees.test_changes``): £15.00 is refused, 1 hour taken."""
    member = make_member(org_a)
    attendance = two_hour_session(org_a, coordinator_a, member)
    line, _breakdown = fee_services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance)
    client = member_client(member)
    url, prefix = f"/me/benefits/offers/{line.pk}/", f"offer-{line.pk}"

    page = text(client.get(url))
    assert "Crisis care panel, 12 November 2025: meeting time 2 h £30.00" in page
    assert "At least £26.90: every paid hour must be paid at least the hourly minimum." in page
    assert "The offer is for 2 hours of taking part." in page

    response = client.post(url, {f"{prefix}-choice": "lower_fee", f"{prefix}-amount": "15.00"})
    page = text(response)
    assert response.status_code == 200
    assert page.startswith("<!DOCTYPE html>") and "<title>Error:" in page
    assert (
        "£15.00 is less than £26.90, the least a fee for 2 hours can be (£13.45 an hour, the Real Living Wage)." in page
    )
    assert (
        "Instead you can take part for fewer hours, give the fee to a charity, have expenses only, "
        "or decline the fee for the whole activity." in page
    )
    assert is_checked(page, f"{prefix}-choice", "lower_fee") and 'value="15.00"' in page
    line.refresh_from_db()
    assert line.status == "offered" and not GuardChoice.objects.exists()

    response = client.post(url, {f"{prefix}-choice": "fewer_hours", f"{prefix}-hours": "1"})
    assert response.status_code == 302
    assert Attendance.objects.get(pk=attendance.pk).minutes_present == 60
    line.refresh_from_db()
    assert (line.status, line.amount, line.hours) == ("accepted", D("15.00"), D("1.00"))
    follow = text(client.get("/me/payments/"))
    assert "Crisis care panel, 12 November 2025: meeting time 1 h £15.00" in follow
    assert "meeting time 2 h £30.00" not in follow
