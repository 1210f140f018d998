"""Fees and expenses: the fee and mileage rules as pure functions, then the services against the database."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given
from hypothesis import strategies as st

from tests.conftest import make_member, make_staff
from tests.meetings.factories import london, make_attendance, make_session
from tests.opportunities.factories import make_opportunity
from tests.people.factories import share
from withus.accounts.models import Organisation, Role, User
from withus.meetings.models import Attendance
from withus.people.models import Person
from withus.people.selectors import NotShared
from withus.rewards import reference, rules
from withus.rewards.fees import services
from withus.rewards.models import IncomeLine, MileageRate, RateCard, RewardMethod, RewardPreference

D = Decimal
DAY = date(2025, 6, 11)
HMRC = rules.MileageRates(D("45"), D("25"), D("5"))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64


def card(**fields: object) -> rules.Card:
    values: dict[str, object] = {"activity_type": "meeting", "hourly_rate": D("15.00"), "valid_from": date(2025, 4, 1)}
    values.update(fields)
    return rules.Card(**values)  # type: ignore[arg-type]


# ---- Rules: rate cards ------------------------------------------------------------------------


def test_the_level_specific_card_beats_the_card_for_every_level_and_only_on_its_dates():
    every = card(hourly_rate=D("14.00"))
    level_4 = card(level=4, valid_from=date(2025, 5, 1), valid_to=date(2025, 5, 31))
    cards = [every, level_4]
    assert rules.rate_in_force(cards, "meeting", 4, date(2025, 5, 15)) is level_4
    assert rules.rate_in_force(cards, "meeting", 4, date(2025, 6, 1)) is every
    assert rules.rate_in_force(cards, "meeting", 3, date(2025, 5, 15)) is every
    assert rules.rate_in_force(cards, "meeting", 4, date(2025, 3, 31)) is None
    assert rules.rate_in_force(cards, "research", 4, date(2025, 5, 15)) is None


def test_cards_overlap_only_for_the_same_activity_and_level_on_a_shared_day():
    existing = [card(valid_to=date(2025, 12, 31))]
    assert rules.rate_cards_overlap(existing, card(valid_from=date(2025, 12, 31)))
    assert not rules.rate_cards_overlap(existing, card(valid_from=date(2026, 1, 1)))
    assert not rules.rate_cards_overlap(existing, card(level=4))
    assert not rules.rate_cards_overlap(existing, card(activity_type="research"))
    assert rules.rate_cards_overlap([card()], card(valid_from=date(2030, 1, 1)))  # open-ended runs on


# ---- Rules: the fee ---------------------------------------------------------------------------


def test_a_representative_chair_with_a_long_journey_gets_every_line():
    fee = rules.fee_for(150, rate=D("15.00"), role="chair", representative=True, travel_minutes=100, card=card())
    amounts = {line.key: line.amount for line in fee.lines}
    assert amounts == {"meeting": D("37.5"), "preparation": D("37.5"), "travel": D("10"), "chairing": D("9.375")}
    assert fee.total == D("94.38")  # rounded once, half up
    assert fee.paid_hours.quantize(rules.PENNY) == D("5.67")


def test_a_member_giving_a_personal_view_with_a_short_journey_gets_meeting_time_only():
    fee = rules.fee_for(150, rate=D("15.00"), role="member", representative=False, travel_minutes=60, card=card())
    assert [line.key for line in fee.lines] == ["meeting"]
    assert fee.total == D("37.50")


def test_only_the_journey_time_over_the_threshold_is_paid_both_ways():
    assert rules.travel_minutes_paid(60, 30) == 0  # 30 minutes each way: not over 30
    assert rules.travel_minutes_paid(62, 30) == 2
    assert rules.travel_minutes_paid(90, 30) == 30


@pytest.mark.parametrize("activity", ["information", "open_consultation"])
def test_no_fee_for_receiving_information_or_open_consultations(activity):
    fee = rules.fee_for(
        120, rate=D("15.00"), role="chair", representative=True, travel_minutes=200, card=card(activity_type=activity)
    )
    assert fee.lines == () and fee.total == D("0.00")


minutes = st.integers(min_value=0, max_value=24 * 60)
rates = st.decimals(min_value=D("0"), max_value=D("500"), places=2)
ratios = st.decimals(min_value=D("0"), max_value=D("3"), places=2)
uplifts = st.decimals(min_value=D("0"), max_value=D("100"), places=2)
roles = st.sampled_from(["member", "chair", "presenter"])


@given(minutes, rates, roles, st.booleans(), minutes, ratios, uplifts)
# Found by this test: the exact lines come to £42.315, half a penny (see the test after this one).
@example(806, D("1.40"), "member", True, 0, D("1.25"), D("25.00"))
# Found by this test: £793.425 exactly, which lines written to 50 digits and added at 28 made £793.42.
@example(602, D("35.50"), "member", True, 197, D("1.00"), D("0.00"))
def test_fee_is_decimal_and_the_total_is_the_sum_of_the_lines_rounded_once(
    present, rate, role, representative, travel, ratio, uplift
):
    fee = rules.fee_for(
        present,
        rate=rate,
        role=role,
        representative=representative,
        travel_minutes=travel,
        card=card(preparation_ratio=ratio, chair_uplift_percent=uplift),
    )
    assert isinstance(fee.total, Decimal) and fee.total.as_tuple().exponent == -2
    assert all(isinstance(line.amount, Decimal) and isinstance(line.hours, Decimal) for line in fee.lines)
    exact = sum((Fraction(line.exact) for line in fee.lines), Fraction(0))
    assert fee.total == rules.money_exact(exact) == rules.money(Decimal(exact.numerator) / Decimal(exact.denominator))
    shown = [pounds for _line, pounds in fee.shown()]
    assert sum(shown, D("0")) == fee.total
    assert all(abs(Fraction(pounds) - line.exact) < Fraction(1, 100) for line, pounds in fee.shown())


def test_a_total_exactly_on_half_a_penny_rounds_up_and_the_lines_shown_add_up_to_it():
    """806 minutes at £1.40, representative, preparation 1.25 hours an hour: £18.80666… + £23.50833… = £42.315."""
    fee = rules.fee_for(
        806,
        rate=D("1.40"),
        role="member",
        representative=True,
        travel_minutes=0,
        card=card(preparation_ratio=D("1.25")),
    )
    assert [line.key for line in fee.lines] == ["meeting", "preparation"]
    assert fee.exact_total == Fraction(42315, 1000)
    assert fee.total == D("42.32")  # rounded once, half up, from the exact sum
    assert [pounds for _line, pounds in fee.shown()] == [D("18.81"), D("23.51")]
    assert sum((pounds for _line, pounds in fee.shown()), D("0")) == D("42.32")


def test_lines_that_are_not_finite_decimals_still_add_up_to_the_total_exactly():
    """602 minutes at £35.50, representative, 197 minutes' travel: (602 + 602 + 137) / 60 hours at £35.50 = £793.425."""
    fee = rules.fee_for(602, rate=D("35.50"), role="member", representative=True, travel_minutes=197, card=card())
    assert fee.exact_total == Fraction(793425, 1000)
    assert fee.total == D("793.43")
    shown = [pounds for _line, pounds in fee.shown()]
    assert sum(shown, D("0")) == D("793.43")
    assert shown == [D("356.19"), D("356.18"), D("81.06")]  # equal remainders: the earlier line takes the penny


def test_money_exact_rounds_half_a_penny_away_from_zero():
    assert rules.money_exact(Fraction(42315, 1000)) == D("42.32")
    assert rules.money_exact(Fraction(42314999, 1000000)) == D("42.31")
    assert rules.money_exact(Fraction(-1, 200)) == D("-0.01")
    assert rules.money_exact(Fraction(0)) == D("0.00")


@given(minutes, st.integers(min_value=0, max_value=600), rates, roles, st.booleans(), minutes)
def test_fee_never_falls_as_minutes_present_rise(present, more, rate, role, representative, travel):
    def total(m: int) -> Decimal:
        return rules.fee_for(
            m, rate=rate, role=role, representative=representative, travel_minutes=travel, card=card()
        ).total

    assert total(present + more) >= total(present)


# ---- Rules: mileage ---------------------------------------------------------------------------


def test_mileage_across_the_threshold_splits_the_journey():
    trip = rules.mileage_amount(D("100"), 1, rate=HMRC, miles_already_this_tax_year=D("9950"))
    assert (trip.miles_at_first_rate, trip.miles_at_after_rate) == (D("50"), D("50"))
    assert trip.amount == D("40.00")  # 50 × 45p + 50 × 25p + 100 × 5p


@pytest.mark.parametrize(
    ("miles", "passengers"), [(D("0"), 0), (D("-1"), 0), (D("500.1"), 0), (D("10"), -1), (D("10"), 9)]
)
def test_mileage_outside_sane_bounds_is_refused(miles, passengers):
    with pytest.raises(ValueError):
        rules.mileage_amount(miles, passengers, rate=HMRC, miles_already_this_tax_year=D("0"))


@given(
    st.decimals(min_value=D("0.1"), max_value=D("500"), places=1),
    st.integers(min_value=0, max_value=8),
    st.decimals(min_value=D("0"), max_value=D("20000"), places=1),
)
def test_the_threshold_split_is_exact(miles, passengers, already):
    trip = rules.mileage_amount(miles, passengers, rate=HMRC, miles_already_this_tax_year=already)
    assert trip.miles_at_first_rate + trip.miles_at_after_rate == miles
    assert trip.miles_at_first_rate == min(miles, max(D("0"), D("10000") - already))
    expected = (trip.miles_at_first_rate * 45 + trip.miles_at_after_rate * 25 + miles * passengers * 5) / 100
    assert isinstance(trip.amount, Decimal) and trip.amount == rules.money(expected)


# ---- Services: rate cards ---------------------------------------------------------------------


def admin_of(organisation: Organisation) -> User:
    return make_staff(organisation, Role.ADMIN)


def card_fields(**fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "activity_type": "meeting",
        "level": None,
        "hourly_rate": D("15.00"),
        "valid_from": date(2025, 11, 1),
        "valid_to": None,
    }
    values.update(fields)
    return values


@pytest.mark.django_db
def test_a_rate_card_overlapping_another_is_refused(org_a):
    admin = admin_of(org_a)
    services.set_rate_card(actor=admin, organisation=org_a, fields=card_fields(valid_to=date(2026, 3, 31)))
    with pytest.raises(ValidationError) as refused:
        services.set_rate_card(actor=admin, organisation=org_a, fields=card_fields(valid_from=date(2026, 3, 31)))
    assert "valid_from" in refused.value.message_dict
    services.set_rate_card(actor=admin, organisation=org_a, fields=card_fields(valid_from=date(2026, 4, 1)))
    services.set_rate_card(actor=admin, organisation=org_a, fields=card_fields(level=4, hourly_rate=D("16.00")))
    assert RateCard.objects.filter(organisation=org_a).count() == 3


@pytest.mark.django_db
def test_a_rate_below_the_real_living_wage_in_force_is_refused(org_a):
    admin = admin_of(org_a)
    with pytest.raises(ValidationError) as refused:
        services.set_rate_card(actor=admin, organisation=org_a, fields=card_fields(hourly_rate=D("13.44")))
    assert "13.45" in refused.value.message_dict["hourly_rate"][0]
    services.set_rate_card(actor=admin, organisation=org_a, fields=card_fields(hourly_rate=D("13.45")))
    # Before the 2025/26 figure, the historic £9.00 was the floor.
    services.set_rate_card(
        actor=admin,
        organisation=org_a,
        fields=card_fields(hourly_rate=D("9.00"), valid_from=date(2020, 1, 1), valid_to=date(2020, 12, 31)),
    )
    assert reference.real_living_wage_on(date(2025, 10, 20)) == (D("9.00"), reference.SEED_001_RLW)


@pytest.mark.django_db
def test_only_an_admin_sets_rate_cards(org_a, coordinator_a):
    with pytest.raises(PermissionDenied):
        services.set_rate_card(actor=coordinator_a, organisation=org_a, fields=card_fields())


# ---- Services: the fee for an attendance ------------------------------------------------------


def meeting_with(organisation: Organisation, person: Person, **attendance: object) -> Attendance:
    contact = make_staff(organisation)
    opportunity = make_opportunity(organisation, contact, view="representative", level=4)
    session = make_session(organisation, contact, opportunity=opportunity, starts_at=london(2025, 6, 11, 10, 30))
    values: dict[str, object] = {"role": "chair", "minutes_present": 150}
    values.update(attendance)
    return make_attendance(session, person, **values)


def rate_card(organisation: Organisation, **fields: object) -> RateCard:
    values: dict[str, object] = {"activity_type": "meeting", "hourly_rate": D("15.00"), "valid_from": date(2025, 4, 1)}
    values.update(fields)
    return RateCard.objects.create(organisation=organisation, **values)


@pytest.mark.django_db
def test_the_fee_for_a_representative_chair_with_a_long_journey(org_a, coordinator_a):
    member = make_member(org_a)
    attendance = meeting_with(org_a, member)
    rate_card(org_a, hourly_rate=D("14.00"))  # every level: the level-4 card is more specific
    rate_card(org_a, level=4)
    line, breakdown = services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance, travel_minutes=100)
    line.refresh_from_db()
    assert (line.kind, line.status, line.amount, line.hours) == ("fee", "offered", D("94.38"), D("5.67"))
    assert line.attendance_id == attendance.pk and line.activity_date == date(2025, 6, 11)
    assert [key.key for key in breakdown.lines] == ["meeting", "preparation", "travel", "chairing"]
    for part in ("meeting time 2.5 h £37.50", "preparation 2.5 h £37.50", "travel time", "chairing uplift £9.38"):
        assert part in line.description


@pytest.mark.django_db
def test_no_second_fee_for_one_attendance(org_a, coordinator_a):
    attendance = meeting_with(org_a, make_member(org_a))
    rate_card(org_a)
    services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance)
    with pytest.raises(ValidationError, match="already been offered"):
        services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance)
    assert IncomeLine.objects.filter(attendance=attendance).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("choice", [RewardMethod.VOLUNTEER, RewardMethod.EXPENSES_ONLY])
def test_a_person_who_volunteers_is_not_offered_a_fee(org_a, coordinator_a, choice):
    member = make_member(org_a)
    RewardPreference.objects.create(person=member, method=choice)
    attendance = meeting_with(org_a, member)
    rate_card(org_a)
    with pytest.raises(ValidationError, match="not split"):
        services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance)
    assert not IncomeLine.objects.exists()


@pytest.mark.django_db
def test_a_fee_needs_attendance_and_a_rate_card_and_the_organisations_coordinator(org_a, org_b, coordinator_b):
    coordinator = make_staff(org_a)
    absent = meeting_with(org_a, make_member(org_a), status="apologies")
    present = meeting_with(org_a, make_member(org_a))
    rate_card(org_a, valid_from=date(2025, 6, 12))  # starts the day after the meeting
    with pytest.raises(ValidationError, match="attended"):
        services.offer_fee_for_attendance(actor=coordinator, attendance=absent)
    with pytest.raises(ValidationError, match="No rate card"):
        services.offer_fee_for_attendance(actor=coordinator, attendance=present)
    with pytest.raises(PermissionDenied):
        services.offer_fee_for_attendance(actor=coordinator_b, attendance=present)
    assert not IncomeLine.objects.exists()


# ---- Services: expenses -----------------------------------------------------------------------


def claim(person: Person, organisation: Organisation, **fields: object) -> IncomeLine:
    values: dict[str, object] = {
        "actor": person.user,
        "person": person,
        "organisation": organisation,
        "category": "public_transport",
        "amount": D("4.50"),
        "activity_date": DAY,
    }
    values.update(fields)
    return services.claim_expense(**values)  # type: ignore[arg-type]


def mileage_line(person: Person, organisation: Organisation, miles: str, day: date) -> IncomeLine:
    return IncomeLine.objects.create(
        person=person,
        organisation=organisation,
        kind="expense",
        expense_category="mileage",
        description="Mileage",
        amount=D("0"),
        miles=D(miles),
        activity_date=day,
        status="paid",
    )


@pytest.mark.django_db
def test_mileage_crosses_the_threshold_within_a_tax_year_and_starts_again_on_6_april(org_a):
    assert MileageRate.objects.filter(valid_from=date(2011, 4, 6), first_10000_pence=D("45")).exists()  # shipped
    member = make_member(org_a)
    mileage_line(member, org_a, "9950", date(2024, 5, 1))  # the 2024/25 tax year
    last_day = claim(member, org_a, category="mileage", miles=D("100"), passengers=1, activity_date=date(2025, 4, 5))
    assert last_day.amount == D("40.00")  # 50 × 45p + 50 × 25p + 100 × 5p
    new_year = claim(member, org_a, category="mileage", miles=D("100"), passengers=1, activity_date=date(2025, 4, 6))
    assert new_year.amount == D("50.00")  # 100 × 45p + 100 × 5p
    assert (new_year.status, new_year.miles, new_year.passengers) == ("submitted", D("100.0"), 1)


@pytest.mark.django_db
def test_mileage_claimed_from_another_organisation_or_declined_does_not_count(org_a, org_b):
    member = make_member(org_a, org_b)
    mileage_line(member, org_b, "9950", DAY)
    declined = mileage_line(member, org_a, "9950", DAY)
    declined.status = "declined"
    declined.save()
    trip = claim(member, org_a, category="mileage", miles=D("100"), activity_date=DAY)
    assert trip.amount == D("45.00")


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "extension"), [(PNG, "png"), (JPEG, "jpg"), (PDF, "pdf"), (HEIC, "heic")])
def test_a_photo_or_pdf_receipt_is_kept_under_a_generated_name_of_its_real_type(org_a, media, content, extension):
    member = make_member(org_a)
    line = claim(member, org_a, receipt=SimpleUploadedFile("IMG_0001 my address.html", content))
    assert line.status == "submitted" and line.receipt
    assert re.fullmatch(rf"receipts/2025/[0-9a-f]{{32}}\.{extension}", line.receipt.name), line.receipt.name
    assert line.receipt_name == "IMG_0001 my address.html"  # for display only
    with line.receipt.open("rb") as stored:
        assert stored.read() == content
    again = claim(member, org_a, amount=D("1.20"), receipt=SimpleUploadedFile("IMG_0001 my address.html", content))
    assert again.receipt.name != line.receipt.name


@pytest.mark.django_db
def test_a_receipt_that_is_not_an_image_or_pdf_or_too_big_is_refused(org_a, media):
    member = make_member(org_a)
    with pytest.raises(ValidationError) as wrong_type:
        claim(member, org_a, receipt=SimpleUploadedFile("receipt.jpg", b"MZ\x90\x00 not really a photo"))
    assert "receipt" in wrong_type.value.message_dict
    too_big = SimpleUploadedFile("receipt.png", PNG + b"\x00" * (services.MAX_RECEIPT_BYTES - len(PNG) + 1))
    with pytest.raises(ValidationError, match="10 MB"):
        claim(member, org_a, receipt=too_big)
    with pytest.raises(ValidationError, match="JPEG, PNG or HEIC"):
        claim(member, org_a, receipt=SimpleUploadedFile("receipt.pdf", b"<html><script>alert(1)</script>"))
    assert not IncomeLine.objects.exists()
    first = claim(member, org_a)
    with pytest.raises(services.PossibleDuplicate):  # a claim not sent keeps no file either
        claim(member, org_a, receipt=SimpleUploadedFile("receipt.png", PNG))
    assert [line.pk for line in IncomeLine.objects.all()] == [first.pk]
    assert not [path for path in media.rglob("*") if path.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [D("-1.00"), D("0.00"), D("1000.01"), D("99999.99")])
def test_absurd_amounts_are_refused(org_a, amount):
    member = make_member(org_a)
    with pytest.raises(ValidationError) as refused:
        claim(member, org_a, amount=amount)
    assert "amount" in refused.value.message_dict
    assert claim(member, org_a, amount=D("1000.00")).amount == D("1000.00")


@pytest.mark.django_db
@pytest.mark.parametrize("category", ["taxi", "accommodation"])
def test_a_taxi_or_accommodation_needs_agreeing_beforehand(org_a, category):
    member = make_member(org_a)
    with pytest.raises(ValidationError) as refused:
        claim(member, org_a, category=category, amount=D("18.00"))
    assert "agreed_beforehand" in refused.value.message_dict
    assert not IncomeLine.objects.exists()
    assert claim(member, org_a, category=category, amount=D("18.00"), agreed_beforehand=True).status == "submitted"


@pytest.mark.django_db
def test_claims_go_only_to_an_organisation_the_person_shares_with_and_in_the_past(org_a, org_b):
    member = make_member(org_a)
    with pytest.raises(NotShared):
        claim(member, org_b)
    assert not IncomeLine.objects.filter(person=member, organisation=org_b).exists()
    with pytest.raises(ValidationError) as future:
        claim(member, org_a, activity_date=date.today() + timedelta(days=2))
    assert "activity_date" in future.value.message_dict


@pytest.mark.django_db
def test_a_coordinator_claims_for_a_member_only_with_their_consent(org_a, coordinator_a):
    member = make_member(org_a)
    with pytest.raises(PermissionDenied):
        claim(member, org_a, actor=coordinator_a)
    helped = make_member()
    share(helped, org_a, act_on_behalf=True)
    assert claim(helped, org_a, actor=coordinator_a).status == "submitted"


@pytest.mark.django_db
def test_an_organisation_can_ask_for_every_expense_to_be_agreed_beforehand(org_a):
    org_a.expenses_need_agreement = True
    org_a.save()
    member = make_member(org_a)
    with pytest.raises(ValidationError) as error:
        claim(member, org_a, category="parking", amount=D("3.50"))
    assert "agreed_beforehand" in error.value.message_dict
    assert claim(member, org_a, category="parking", amount=D("3.50"), agreed_beforehand=True).status == "submitted"


# ---- Services: how far back a claim or a fee can go ------------------------------------------
# Today is 19 November 2025 (tests/rewards/conftest.py): the last tax year started on 6 April 2024.

LONG_AGO = [date(2024, 4, 5), date(1900, 1, 1), date(1, 1, 1)]
EARLIEST = "Claims must be for an activity on or after 6 April 2024"


def test_the_earliest_activity_date_is_the_start_of_the_last_tax_year():
    assert rules.earliest_activity_date(date(2025, 11, 19)) == date(2024, 4, 6)
    assert rules.earliest_activity_date(date(2025, 4, 6)) == date(2024, 4, 6)
    assert rules.earliest_activity_date(date(2025, 4, 5)) == date(2023, 4, 6)
    assert rules.earliest_activity_date(date(2026, 12, 1)) == date(2025, 4, 6)


@given(st.dates(min_value=date(3, 1, 1), max_value=date(9998, 12, 31)))
def test_the_earliest_activity_date_always_lets_a_claim_for_the_last_tax_year_in(today):
    earliest = rules.earliest_activity_date(today)
    assert rules.tax_year(earliest)[0] == earliest  # a 6 April
    assert earliest <= rules.tax_year(today)[0] - timedelta(days=365)
    assert today - earliest < timedelta(days=2 * 366)


@pytest.mark.django_db
@pytest.mark.parametrize("day", LONG_AGO)
def test_an_expense_claim_long_ago_is_refused_by_the_member_or_a_coordinator_for_them(org_a, coordinator_a, day):
    member = make_member(org_a)
    helped = make_member()
    share(helped, org_a, act_on_behalf=True)
    for category, fields in (("public_transport", {}), ("mileage", {"miles": D("12"), "amount": None})):
        for person, actor in ((member, member.user), (helped, coordinator_a)):
            with pytest.raises(ValidationError) as refused:
                claim(person, org_a, actor=actor, category=category, activity_date=day, **fields)
            assert refused.value.message_dict["activity_date"] == [f"{EARLIEST}. Check the date."]
    assert not IncomeLine.objects.exists()
    assert claim(member, org_a, activity_date=date(2024, 4, 6)).status == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize("day", LONG_AGO)
def test_a_fee_offered_by_hand_for_an_activity_long_ago_is_refused(org_a, coordinator_a, day):
    member = make_member(org_a)

    def offer(on: date) -> IncomeLine:
        return services.offer_fee(
            actor=coordinator_a,
            organisation=org_a,
            person=member,
            description="Panel",
            amount=D("60"),
            activity_date=on,
        )

    with pytest.raises(ValidationError) as refused:
        offer(day)
    assert refused.value.message_dict["activity_date"] == [
        "Fees must be for an activity on or after 6 April 2024. Check the date."
    ]
    assert not IncomeLine.objects.exists()
    assert offer(date(2024, 4, 6)).status == "offered"
    assert offer(date(2026, 1, 20)).status == "offered"  # a fee can be offered before the activity


@pytest.mark.django_db
def test_no_fee_is_offered_for_attending_a_session_long_ago(org_a, coordinator_a):
    member = make_member(org_a)
    session = make_session(org_a, make_staff(org_a), starts_at=london(2024, 4, 5, 10, 30))
    attendance = make_attendance(session, member, minutes_present=60)
    rate_card(org_a, valid_from=date(2020, 4, 6))
    with pytest.raises(ValidationError) as refused:
        services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance)
    assert refused.value.messages == ["Fees must be for an activity on or after 6 April 2024. Check the date."]
    assert not IncomeLine.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [IncomeLine.Kind.FEE, IncomeLine.Kind.VOUCHER])
@pytest.mark.parametrize("choice", [RewardMethod.VOLUNTEER, RewardMethod.EXPENSES_ONLY])
def test_a_fee_offered_by_hand_is_refused_for_someone_who_chose_not_to_be_paid(org_a, coordinator_a, choice, kind):
    member = make_member(org_a, full_name="Vera Volunteer")
    RewardPreference.objects.create(person=member, method=choice)
    with pytest.raises(ValidationError) as refused:
        services.offer_fee(
            actor=coordinator_a,
            organisation=org_a,
            person=member,
            description="Panel",
            amount=D("60.00"),
            activity_date=date(2025, 6, 12),
            kind=kind,
        )
    label = RewardMethod(choice).label
    assert refused.value.messages == [
        f"Vera Volunteer has chosen “{label}”. One activity is not split into a paid and a voluntary part."
    ]
    assert not IncomeLine.objects.exists()
    # Someone who chose to be paid, or has not chosen yet, is offered the fee.
    RewardPreference.objects.filter(person=member).update(method=RewardMethod.CASH)
    assert (
        services.offer_fee(
            actor=coordinator_a,
            organisation=org_a,
            person=member,
            description="Panel",
            amount=D("60.00"),
            activity_date=date(2025, 6, 12),
            kind=kind,
        ).status
        == IncomeLine.Status.OFFERED
    )


def test_the_no_fee_rule_is_the_reward_choice():
    assert not rules.fee_may_be_offered("volunteer") and not rules.fee_may_be_offered("expenses_only")
    assert rules.fee_may_be_offered(None) and rules.fee_may_be_offered("bank_transfer")
    assert rules.fee_may_be_offered("donation")  # donating is an answer to an offer, so it needs one


def test_a_fee_exactly_on_a_half_penny_rounds_up():
    # £350.90 an hour: 514 minutes present and 1193 paid minutes of travel are exactly £9,983.105.
    fee = rules.fee_for(
        514,
        rate=D("350.90"),
        role="member",
        representative=False,
        travel_minutes=1253,
        card=card(preparation_ratio=D("0"), chair_uplift_percent=D("0")),
    )
    assert fee.total == D("9983.11")
    assert sum((pounds for _line, pounds in fee.shown()), D("0")) == D("9983.11")


# ---- Services: the same claim again -----------------------------------------------------------


@pytest.mark.django_db
def test_the_same_mileage_claim_again_asks_to_confirm_and_is_kept_once_confirmed(org_a):
    member = make_member(org_a)
    first = claim(member, org_a, category="mileage", miles=D("12"))
    with pytest.raises(services.PossibleDuplicate) as warned:
        claim(member, org_a, category="mileage", miles=D("12.0"), passengers=1)
    assert warned.value.duplicate_of == [first.pk]
    assert "confirm_duplicate" in warned.value.message_dict  # a ValidationError: any caller refuses it
    assert IncomeLine.objects.count() == 1
    second = claim(member, org_a, category="mileage", miles=D("12"), confirm_duplicate=True)
    assert second.status == "submitted"
    with pytest.raises(services.PossibleDuplicate) as again:
        claim(member, org_a, category="mileage", miles=D("12"))
    assert again.value.duplicate_of == [first.pk, second.pk]
    # Another distance, or another day, is another journey.
    claim(member, org_a, category="mileage", miles=D("14"))
    claim(member, org_a, category="mileage", miles=D("12"), activity_date=DAY - timedelta(days=1))


@pytest.mark.django_db
def test_the_same_cost_again_asks_to_confirm_but_not_another_cost_person_organisation_or_a_declined_claim(
    org_a, org_b, coordinator_a
):
    member = make_member(org_a, org_b)
    bus = claim(member, org_a, amount=D("4.50"))
    with pytest.raises(services.PossibleDuplicate) as warned:
        claim(member, org_a, amount=D("4.5"))
    assert warned.value.duplicate_of == [bus.pk]
    claim(member, org_a, amount=D("4.60"))
    claim(member, org_a, category="parking", amount=D("4.50"))
    claim(member, org_b, amount=D("4.50"))  # each organisation repays its own
    claim(make_member(org_a), org_a, amount=D("4.50"))
    IncomeLine.objects.filter(pk=bus.pk).update(status=IncomeLine.Status.DECLINED)
    claim(member, org_a, amount=D("4.50"))  # the declined one will never be paid
    # A coordinator claiming for a member is asked too.
    helped = make_member()
    share(helped, org_a, act_on_behalf=True)
    claim(helped, org_a, actor=coordinator_a, amount=D("7.00"))
    with pytest.raises(services.PossibleDuplicate):
        claim(helped, org_a, actor=coordinator_a, amount=D("7.00"))


@pytest.mark.django_db
def test_likely_duplicates_are_read_in_one_query_however_many_claims(org_a, django_assert_num_queries):
    from withus.rewards.fees import selectors

    member = make_member(org_a)
    first = claim(member, org_a, amount=D("4.50"))
    second = claim(member, org_a, amount=D("4.50"), confirm_duplicate=True)
    alone = claim(member, org_a, amount=D("9.99"))
    fee = IncomeLine.objects.create(
        person=member, organisation=org_a, kind="fee", description="Panel", amount=D("4.50"), activity_date=DAY
    )
    with django_assert_num_queries(1):
        assert selectors.likely_duplicates([first]) == [[second.pk]]
    many = [first, second, alone, fee]
    for n in range(6):
        many.append(claim(make_member(org_a), org_a, category="mileage", miles=D(10 + n)))
    with django_assert_num_queries(1):
        found = selectors.likely_duplicates(many)
    assert found[:4] == [[second.pk], [first.pk], [], []]  # a fee is never an expense claim's duplicate
    assert found[4:] == [[]] * 6
    assert selectors.likely_duplicates([]) == []


@pytest.mark.django_db
def test_likely_duplicates_are_looked_up_by_person_and_day_not_across_the_organisations_claims(org_a, org_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from withus.rewards.fees import selectors

    member = make_member(org_a, org_b)
    ours = claim(member, org_a, amount=D("4.50"))
    theirs = claim(member, org_b, amount=D("4.50"))
    with CaptureQueriesContext(connection) as captured:
        assert selectors.likely_duplicates([ours, theirs]) == [[], []]  # each organisation repays its own
    (sql,) = [q["sql"] for q in captured.captured_queries]
    assert "organisation_id" not in sql.split("WHERE", 1)[1]
    if connection.vendor == "sqlite":  # it keeps no statistics: the organisation's index would walk all its claims
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "person_id" in plan and "organisation_id" not in plan
