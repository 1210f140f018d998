from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.concerns.factories import raise_one
from tests.conftest import make_staff
from tests.support.localhelp.factories import make_entry
from withus.accounts.models import Organisation, Role, User
from withus.concerns import rules, selectors, services
from withus.concerns.models import Concern, ConcernPolicy, Step
from withus.people.models import Person

pytestmark = pytest.mark.django_db

# Wednesday 23 April 2025, after Easter; Monday 5 May 2025 is the early May bank holiday.
RECEIVED = date(2025, 4, 30)


@pytest.fixture
def handler(org_a: Organisation) -> User:
    return make_staff(org_a, Role.COORDINATOR, "handler@example.org")


def test_an_anonymous_concern_stores_nothing_that_links_it_to_anyone(org_a: Organisation, member_a: Person) -> None:
    raised = raise_one(org_a, raised_by=member_a, anonymous=True, raiser_name="Alaw", raiser_contact="alaw@example.org")
    assert raised.pin is not None and len(raised.pin) == 8
    with connection.cursor() as cursor:
        cursor.execute("select * from concerns_concern where id = %s", [raised.concern.pk])
        columns = [c[0] for c in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
        cursor.execute("select * from concerns_step where concern_id = %s", [raised.concern.pk])
        steps = cursor.fetchall()
    assert row["raised_by_id"] is None and row["recorded_by_id"] is None
    assert row["raiser_name"] == "" and row["raiser_contact"] == ""
    assert raised.pin not in " ".join(str(v) for v in row.values())
    assert row["pin_hash"].startswith(("pbkdf2_", "argon2", "md5$", "bcrypt"))
    assert member_a.user is not None
    everything = " ".join(str(v) for step in steps for v in step) + " ".join(str(v) for v in row.values())
    assert str(member_a.user.email) not in everything and "Alaw" not in everything
    assert selectors.concern_by_pin(raised.concern.reference, raised.pin) == raised.concern
    assert selectors.concern_by_pin(raised.concern.reference, "00000000") is None


def test_a_concern_with_no_text_is_refused_and_nothing_is_written(org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as refused:
        raise_one(org_a, text="   ")
    assert "text" in refused.value.message_dict
    assert not Concern.objects.exists() and not Step.objects.exists()


def test_someone_without_an_account_gives_a_name_and_a_way_to_reach_them_or_stays_anonymous(
    org_a: Organisation,
) -> None:
    with pytest.raises(ValidationError) as refused:
        raise_one(org_a, raiser_name="", raiser_contact="")
    assert set(refused.value.message_dict) == {"raiser_name", "raiser_contact"}


def test_a_member_raising_it_under_their_name_is_linked_and_gets_no_pin(org_a: Organisation, member_a: Person) -> None:
    raised = raise_one(org_a, raised_by=member_a)
    assert raised.pin is None and raised.concern.raised_by == member_a
    assert list(selectors.concerns_raised_by(member_a)) == [raised.concern]


def test_only_concern_handlers_record_one_by_phone(org_a: Organisation, handler: User) -> None:
    member_of_staff = make_staff(org_a, Role.BUDGET_HOLDER, "budget@example.org")
    fields = {"text": "Rang to say", "about": "process", "channel": "phone", "anonymous": True}
    with pytest.raises(PermissionDenied):
        services.raise_concern(organisation=org_a, fields=fields, recorded_by=member_of_staff)
    with pytest.raises(PermissionDenied):
        services.raise_concern(organisation=org_a, fields=fields)
    raised = services.raise_concern(organisation=org_a, fields=fields, recorded_by=handler)
    assert raised.concern.channel == "phone" and raised.concern.recorded_by == handler


def test_the_clock_follows_the_organisations_rules_fixed_when_received(org_a: Organisation, handler: User) -> None:
    wales = raise_one(org_a, today=RECEIVED).concern
    ConcernPolicy.objects.create(organisation=org_a, rule_set="nhs_england")
    england = raise_one(org_a, today=RECEIVED).concern
    # Wales: 2 working days (Thursday 1, Friday 2 May); England: 3, over the May bank holiday (Tuesday 6).
    assert selectors.clock_of(wales, today=RECEIVED).acknowledge_by == date(2025, 5, 2)
    assert selectors.clock_of(england, today=RECEIVED).acknowledge_by == date(2025, 5, 6)
    assert selectors.clock_of(england, today=RECEIVED).respond_by is None
    assert wales.ombudsman is not None and str(wales.ombudsman.name) == "Public Services Ombudsman for Wales"
    assert england.ombudsman is not None and "Parliamentary and Health Service" in str(england.ombudsman.name)


def test_stages_record_who_holds_it_when_it_is_due_and_what_the_person_was_told(
    org_a: Organisation, handler: User
) -> None:
    concern = raise_one(org_a, today=RECEIVED).concern
    with pytest.raises(ValidationError):
        services.move(actor=handler, concern=concern, stage=rules.Stage.RESPONSE, told="Done", today=RECEIVED)
    with pytest.raises(ValidationError) as refused:
        services.move(actor=handler, concern=concern, stage=rules.Stage.ACKNOWLEDGED, told=" ", today=RECEIVED)
    assert "told" in refused.value.message_dict
    step = services.move(
        actor=handler, concern=concern, stage=rules.Stage.ACKNOWLEDGED, told="Thank you; we are on it.", today=RECEIVED
    )
    assert step.holder == handler and step.due_on == selectors.clock_of(concern, today=RECEIVED).respond_by


def test_waiting_for_the_person_pauses_the_clock_until_they_answer(org_a: Organisation, handler: User) -> None:
    concern = raise_one(org_a, today=RECEIVED).concern
    services.move(actor=handler, concern=concern, stage=rules.Stage.ACKNOWLEDGED, told="Thanks", today=RECEIVED)
    before = selectors.clock_of(concern, today=RECEIVED).respond_by
    services.ask_raiser(actor=handler, concern=concern, asked="Which meeting?", today=date(2025, 5, 7))
    assert selectors.clock_of(Concern.objects.get(pk=concern.pk), today=date(2025, 5, 9)).respond_by is None
    services.answer(concern=concern, text="The one in Bangor", today=date(2025, 5, 14))
    after = selectors.clock_of(Concern.objects.get(pk=concern.pk), today=date(2025, 5, 14)).respond_by
    assert before is not None and after is not None
    # Wednesday 7 to Tuesday 13 May: five working days paused.
    from withus.core.working_days import bank_holidays, working_days_between

    assert working_days_between(before, after, bank_holidays("wales", [2025])) == 5


def test_an_extension_with_no_agreed_date_is_refused_and_nothing_written(org_a: Organisation, handler: User) -> None:
    concern = raise_one(org_a, today=RECEIVED).concern
    services.move(actor=handler, concern=concern, stage=rules.Stage.ACKNOWLEDGED, told="Thanks", today=RECEIVED)
    with pytest.raises(ValidationError) as refused:
        services.extend(
            actor=handler, concern=concern, agreed_on=None, respond_by=date(2025, 8, 1), reason="Witness away"
        )
    assert "agreed_on" in refused.value.message_dict
    assert not concern.extensions.exists()
    services.extend(
        actor=handler,
        concern=concern,
        agreed_on=date(2025, 6, 2),
        respond_by=date(2025, 8, 1),
        reason="Witness away",
        today=date(2025, 6, 2),
    )
    assert selectors.clock_of(Concern.objects.get(pk=concern.pk)).respond_by == date(2025, 8, 1)


def test_overdue_concerns_are_flagged_once_to_the_handler_and_coordinators(org_a: Organisation, handler: User) -> None:
    concern = raise_one(org_a, today=RECEIVED).concern
    assert services.flag_overdue(today=date(2025, 5, 2)) == []
    flags = services.flag_overdue(today=date(2025, 5, 6))
    assert [f.late for f in flags] == ["acknowledgement"]
    assert concern.reference in mail.outbox[0].subject and "handler@example.org" in mail.outbox[0].to
    assert services.flag_overdue(today=date(2025, 5, 7)) == []
    assert len(mail.outbox) == 1


def test_mediation_comes_from_the_directory_and_an_appeal_goes_to_someone_not_involved(
    org_a: Organisation, org_b: Organisation, handler: User
) -> None:
    concern = raise_one(org_a, today=RECEIVED).concern
    services.move(actor=handler, concern=concern, stage=rules.Stage.ACKNOWLEDGED, told="Thanks", today=RECEIVED)
    elsewhere = make_entry(org_b, kind="mediation", name="Elsewhere mediation")
    welfare = make_entry(org_a)
    with pytest.raises(ValidationError):
        services.refer_to_mediation(actor=handler, concern=concern, service=welfare, told="Referred")
    with pytest.raises(ValidationError):
        services.refer_to_mediation(actor=handler, concern=concern, service=elsewhere, told="Referred")
    mediation = make_entry(org_a, kind="mediation", name="Mid Wales Mediation")
    services.refer_to_mediation(actor=handler, concern=concern, service=mediation, told="Referred to mediation")
    services.record_mediation_outcome(actor=handler, concern=concern, outcome="Partly agreed")
    services.move(actor=handler, concern=concern, stage=rules.Stage.RESPONSE, told="Our response")
    services.appeal(concern=concern, grounds="The response missed the point")
    concern.refresh_from_db()
    assert concern.stage == rules.Stage.APPEAL
    with pytest.raises(ValidationError) as refused:
        services.assign_appeal_reviewer(actor=handler, concern=concern, reviewer=handler)
    assert "reviewer" in refused.value.message_dict
    reviewer = make_staff(org_a, Role.DECISION_MAKER, "reviewer@example.org")
    with pytest.raises(ValidationError):
        services.move(actor=handler, concern=concern, stage=rules.Stage.RESPONSE, told="Final")
    services.assign_appeal_reviewer(actor=handler, concern=concern, reviewer=reviewer)
    services.move(actor=reviewer, concern=concern, stage=rules.Stage.RESPONSE, told="Final response")
    services.record_outcome(actor=reviewer, concern=concern, outcome="partly", learning="Papers a week ahead")
    services.move(actor=reviewer, concern=concern, stage=rules.Stage.CLOSED, told="Closed")
    concern.refresh_from_db()
    assert concern.stage == rules.Stage.CLOSED and concern.mediator == mediation


def test_closing_needs_whether_it_was_well_founded(org_a: Organisation, handler: User) -> None:
    concern = raise_one(org_a, today=RECEIVED).concern
    services.move(actor=handler, concern=concern, stage=rules.Stage.ACKNOWLEDGED, told="Thanks")
    services.move(actor=handler, concern=concern, stage=rules.Stage.RESPONSE, told="Answer")
    with pytest.raises(ValidationError):
        services.move(actor=handler, concern=concern, stage=rules.Stage.CLOSED, told="Closed")
    with pytest.raises(ValidationError) as refused:
        services.record_outcome(actor=handler, concern=concern, outcome="well_founded", learning="")
    assert "learning" in refused.value.message_dict


def test_staff_see_their_organisations_concerns_in_their_role_and_never_one_about_themselves(
    org_a: Organisation, org_b: Organisation, handler: User, coordinator_b: User
) -> None:
    colleague = make_staff(org_a, Role.COORDINATOR, "colleague@example.org")
    budget = make_staff(org_a, Role.BUDGET_HOLDER, "budget@example.org")
    about_colleague = raise_one(org_a, about="staff").concern
    other = raise_one(org_a).concern
    services.name_subject(actor=handler, concern=about_colleague, about_staff=colleague)
    assert set(selectors.concerns_for_staff(handler, org_a)) == {about_colleague, other}
    assert set(selectors.concerns_for_staff(colleague, org_a)) == {other}
    assert set(selectors.concerns_for_staff(budget, org_a)) == set()
    assert set(selectors.concerns_for_staff(coordinator_b, org_a)) == set()
    with pytest.raises(PermissionDenied):
        services.move(actor=colleague, concern=about_colleague, stage=rules.Stage.ACKNOWLEDGED, told="x")


def test_the_yearly_summary_suppresses_small_numbers(org_a: Organisation, handler: User) -> None:
    for _i in range(5):
        raise_one(org_a, today=RECEIVED)
    raise_one(org_a, today=RECEIVED, kind="complaint")
    summary = selectors.yearly_summary(org_a, 2025)
    assert summary.total == 6
    assert summary.by_kind == {"concern": 5, "complaint": None}
    assert summary.by_about["process"] == 6 and summary.by_about["staff"] == 0


def test_a_summary_counts_its_period_both_ends_included(org_a: Organisation, handler: User) -> None:
    """The report's tax year (6 April to 5 April) and the page's calendar year are both periods of one selector."""
    for day in (date(2025, 4, 1), date(2025, 4, 5), date(2025, 4, 6), date(2025, 4, 10), date(2026, 4, 5)):
        for _i in range(5):
            raise_one(org_a, today=day)
    tax_year = selectors.summary_in_period(org_a, date(2025, 4, 6), date(2026, 4, 5))
    assert tax_year.total == 15 and (tax_year.first, tax_year.last, tax_year.year) == (
        date(2025, 4, 6),
        date(2026, 4, 5),
        2025,
    )
    assert selectors.summary_in_period(org_a, date(2024, 4, 6), date(2025, 4, 5)).total == 10
    assert selectors.summary_in_period(org_a, date(2025, 4, 2), date(2025, 4, 4)).total == 0
    calendar = selectors.yearly_summary(org_a, 2025)
    assert calendar.total == 20 and (calendar.first, calendar.last, calendar.year) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        2025,
    )
    assert selectors.yearly_summary(org_a, 2026).total == 5
