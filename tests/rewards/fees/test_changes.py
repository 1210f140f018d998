"""One activity is never split into a paid part and a voluntary part (002 §5, PRODUCT C5).

The worked figures: a two-hour session on Wednesday 12 November 2025 at the rate card's
£15.00 an hour earns £30.00. The Real Living Wage that day is £13.45 an hour, so the
least a fee for those 2 hours can be is £26.90. A lower fee of £15.00 is refused (it would
pay for one hour and leave the other as volunteering), £26.90 is accepted. Taking part for
1 hour instead is accepted: the attendance then shows 60 minutes and the fee is £15.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import make_member
from tests.meetings.factories import london, make_attendance, make_session
from withus.accounts.models import Organisation, User
from withus.meetings.models import Attendance
from withus.people.models import Person
from withus.rewards import rules
from withus.rewards.fees import services
from withus.rewards.guard import services as guard_services
from withus.rewards.models import IncomeLine, RateCard

D = Decimal
SESSION_DAY = date(2025, 11, 12)

# ---- Rules ------------------------------------------------------------------------------------


def test_the_lowest_fee_pays_every_hour_the_minimum_rounded_up_to_the_penny():
    assert rules.lowest_fee(D("2"), D("13.45")) == D("26.90")
    assert rules.lowest_fee(D("1.5"), D("13.45")) == D("20.18")  # £20.175: £20.17 would be under
    assert rules.lowest_fee(D("0"), D("13.45")) == D("0.00")
    with pytest.raises(ValueError):
        rules.lowest_fee(D("-1"), D("13.45"))


@pytest.mark.parametrize(
    ("asked", "refusal"),
    [
        (D("15.00"), "below_minimum"),
        (D("26.89"), "below_minimum"),
        (D("26.90"), None),
        (D("29.99"), None),
        (D("30.00"), "not_lower"),
        (D("-0.01"), "not_lower"),
    ],
)
def test_a_lower_fee_still_pays_every_hour_the_minimum(asked, refusal):
    assert rules.lower_fee_refusal(offered=D("30.00"), asked=asked, hours=D("2"), hourly_minimum=D("13.45")) == refusal


@pytest.mark.parametrize(
    ("asked", "refusal"), [(D("1"), None), (D("1.75"), None), (D("2"), "not_fewer"), (D("0"), "not_fewer")]
)
def test_fewer_hours_are_more_than_none_and_fewer_than_before(asked, refusal):
    assert rules.fewer_hours_refusal(taking_part=D("2"), asked=asked) == refusal


def test_pro_rata_is_worked_out_exactly_and_rounded_once():
    assert rules.pro_rata(D("200.00"), hours=D("3"), of_hours=D("4")) == D("150.00")
    assert rules.pro_rata(D("10.00"), hours=D("1"), of_hours=D("3")) == D("3.33")
    assert rules.minutes_in(D("1.33")) == 80 and rules.minutes_in(D("2.25")) == 135


@given(
    st.decimals(min_value=D("0"), max_value=D("24"), places=2),
    st.decimals(min_value=D("0"), max_value=D("100"), places=2),
    st.decimals(min_value=D("0"), max_value=D("5000"), places=2),
)
def test_no_accepted_lower_fee_pays_an_hour_below_the_minimum(hours, minimum, asked):
    refusal = rules.lower_fee_refusal(offered=D("5000.01"), asked=asked, hours=hours, hourly_minimum=minimum)
    assert (refusal is None) == (asked >= hours * minimum)


# ---- Services ---------------------------------------------------------------------------------


def two_hour_session(organisation: Organisation, coordinator: User, member: Person) -> Attendance:
    """12 November 2025, 10:00 to 12:00, attended for its planned length."""
    session = make_session(
        organisation,
        coordinator,
        title="Crisis care panel",
        title_cy="Panel gofal argyfwng",
        starts_at=london(2025, 11, 12, 10, 0),
        ends_at=london(2025, 11, 12, 12, 0),
    )
    RateCard.objects.create(
        organisation=organisation, activity_type="meeting", hourly_rate=D("15.00"), valid_from=date(2025, 4, 1)
    )
    return make_attendance(session, member, status="attended", role="member", minutes_present=None)


@pytest.fixture
def offered(org_a, coordinator_a) -> tuple[Person, IncomeLine, Attendance]:
    member = make_member(org_a)
    attendance = two_hour_session(org_a, coordinator_a, member)
    line, _breakdown = services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance)
    return member, line, attendance


@pytest.mark.django_db
def test_the_two_hour_session_earns_thirty_pounds_described_from_what_was_offered(offered):
    _member, line, _attendance = offered
    line.refresh_from_db()
    assert (line.amount, line.hours) == (D("30.00"), D("2.00"))
    assert line.terms["fee"]["minutes"] == 120 and line.terms["fee"]["rate"] == "15.00"
    assert line.shown_description == "Crisis care panel, 12 November 2025: meeting time 2 h £30.00"
    assert line.description == line.shown_description  # the column keeps the installation's language


@pytest.mark.django_db
def test_a_lower_fee_below_the_hourly_minimum_is_refused_with_why_and_what_is_allowed(offered):
    member, line, attendance = offered
    with pytest.raises(services.FeeChangeRefused) as refused:
        guard_services.choose(actor=member.user, line=line, choice="lower_fee", amount=D("15.00"))
    [message] = refused.value.message_dict["amount"]
    assert message.startswith(
        "£15.00 is less than £26.90, the least a fee for 2 hours can be (£13.45 an hour, the Real Living Wage)."
    )
    assert "One activity cannot be split into a paid part and a voluntary part." in message
    for allowed in ("take part for fewer hours", "give the fee to a charity", "have expenses only", "decline the fee"):
        assert allowed in message
    assert refused.value.allowed == ["fewer_hours", "donate", "expenses_only", "decline"]
    line.refresh_from_db()
    attendance.refresh_from_db()
    assert (line.status, line.amount, line.terms.get("change")) == ("offered", D("30.00"), None)
    assert attendance.minutes_present is None and not line.guard_choices.exists()


@pytest.mark.django_db
def test_a_lower_fee_at_the_hourly_minimum_is_accepted_and_the_description_says_so(offered):
    member, line, _attendance = offered
    guard_services.choose(actor=member.user, line=line, choice="lower_fee", amount=D("26.90"))
    line.refresh_from_db()
    assert (line.status, line.amount, line.hours) == ("accepted", D("26.90"), D("2.00"))
    assert line.shown_description == (
        "Crisis care panel, 12 November 2025: a lower fee of £26.90 for 2 h (first offered: £30.00)"
    )
    assert "£30.00" not in line.description.split("(")[0]


@pytest.mark.django_db
def test_fewer_hours_means_taking_part_for_fewer_and_the_attendance_and_fee_follow(offered):
    member, line, attendance = offered
    with pytest.raises(ValidationError) as refused:
        guard_services.choose(actor=member.user, line=line, choice="fewer_hours", hours=D("2"))
    assert refused.value.message_dict["hours"] == ["Give fewer hours than the 2 hours offered, and more than 0."]

    guard_services.choose(actor=member.user, line=line, choice="fewer_hours", hours=D("1"))
    line.refresh_from_db()
    attendance.refresh_from_db()
    assert attendance.minutes_present == 60
    assert (line.status, line.amount, line.hours, line.hours_taking_part) == (
        "accepted",
        D("15.00"),
        D("1.00"),
        D("1.00"),
    )
    assert line.shown_description == (
        "Crisis care panel, 12 November 2025: meeting time 1 h £15.00 "
        "(taking part for fewer hours than first offered: 2 h)"
    )
    assert line.guard_choices.get().choice == "fewer_hours"


@pytest.mark.django_db
def test_the_description_is_in_the_readers_language_when_it_is_read(offered):
    _member, line, _attendance = offered
    line.refresh_from_db()
    with translation.override("cy"):
        welsh = line.shown_description
    assert welsh == "Panel gofal argyfwng, 12 Tachwedd 2025: amser cyfarfod 2 awr £30.00"
    assert line.shown_description.startswith("Crisis care panel, 12 November 2025")


@pytest.mark.django_db
def test_a_fee_offered_by_hand_follows_fewer_hours_and_keeps_to_the_minimum(org_a, coordinator_a):
    member = make_member(org_a)
    line = services.offer_fee(
        actor=coordinator_a,
        organisation=org_a,
        person=member,
        description="Workshop",
        amount=D("200.00"),
        hours=D("4"),
        activity_date=SESSION_DAY,
    )
    with pytest.raises(services.FeeChangeRefused):
        guard_services.choose(actor=member.user, line=line, choice="lower_fee", amount=D("53.79"))
    guard_services.choose(actor=member.user, line=line, choice="fewer_hours", hours=D("3"))
    line.refresh_from_db()
    assert (line.amount, line.hours) == (D("150.00"), D("3"))
    assert line.shown_description == "Workshop: taking part for 3 h, £150.00 (first offered for 4 h)"


@pytest.mark.django_db
def test_a_coordinator_cannot_offer_less_than_the_hourly_minimum_for_the_hours(org_a, coordinator_a):
    member = make_member(org_a)

    def offer(amount: str) -> IncomeLine:
        return services.offer_fee(
            actor=coordinator_a,
            organisation=org_a,
            person=member,
            description="Panel",
            amount=D(amount),
            hours=D("2"),
            activity_date=SESSION_DAY,
        )

    with pytest.raises(ValidationError) as refused:
        offer("15.00")
    [message] = refused.value.message_dict["amount"]
    assert message.startswith("A fee for 2 hours must be at least £26.90 (£13.45 an hour, the Real Living Wage).")
    assert offer("26.90").amount == D("26.90")


@pytest.mark.django_db
def test_one_hour_is_one_hour_in_what_is_refused(org_a, coordinator_a):
    member = make_member(org_a)
    with pytest.raises(ValidationError) as refused:
        services.offer_fee(
            actor=coordinator_a,
            organisation=org_a,
            person=member,
            description="Panel",
            amount=D("10.00"),
            hours=D("1"),
            activity_date=SESSION_DAY,
        )
    assert refused.value.message_dict["amount"][0].startswith("A fee for 1 hour must be at least £13.45 ")
