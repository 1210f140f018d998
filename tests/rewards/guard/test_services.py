from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import make_member
from withus.rewards.fees import services as fee_services
from withus.rewards.guard import selectors, services
from withus.rewards.models import BenefitDeclaration, BenefitLimit, GuardChoice, IncomeLine

pytestmark = pytest.mark.django_db
D = Decimal
WEDNESDAY = date(2025, 6, 11)


def test_the_reference_table_ships_with_sources():
    assert BenefitLimit.objects.filter(rule="carers_allowance", amount=D("196.00")).exists()
    assert not BenefitLimit.objects.filter(source="").exists()


def test_declaration_is_encrypted_and_only_shared_where_allowed(org_a, org_b):
    member = make_member(org_a)
    with pytest.raises(ValidationError) as error:
        services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_b])
    assert "share_with" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.declare_benefit(actor=member.user, person=member, benefit="universal_credit")
    assert "assessment_day" in error.value.message_dict
    declaration = services.declare_benefit(
        actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT benefit FROM rewards_benefitdeclaration WHERE id = %s", [declaration.pk])
        assert cursor.fetchone()[0] != "carers_allowance"
    assert BenefitDeclaration.objects.get().benefit == "carers_allowance"


DETAILS = ("assessment_day", "uc_housing_support", "uc_work_allowance", "disregard")


def stored_details(declaration: BenefitDeclaration) -> dict[str, object]:
    """The columns as the database holds them, below the model."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(DETAILS)} FROM rewards_benefitdeclaration WHERE id = %s",
            [declaration.pk],
        )
        return dict(zip(DETAILS, cursor.fetchone(), strict=True))


def test_the_details_of_a_declaration_are_encrypted_at_rest_even_when_empty(org_a):
    from auditlog.models import LogEntry

    member = make_member(org_a)
    uc = services.declare_benefit(
        actor=member.user,
        person=member,
        benefit="universal_credit",
        assessment_day=14,
        uc_housing_support=True,
        uc_work_allowance=True,
        share_with=[org_a],
    )
    legacy = services.declare_benefit(
        actor=member.user, person=member, benefit="legacy_disregard", disregard="couple", share_with=[org_a]
    )
    carers = services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance")
    stored = {d.pk: stored_details(d) for d in (uc, legacy, carers)}
    for columns in stored.values():
        for name, value in columns.items():
            # Ciphertext for every value, False, blank and none too: a NULL, a 0 or a "" would say what it is.
            assert isinstance(value, str) and value.startswith("gAAAA"), (name, value)
    for name in DETAILS:  # and of one length whatever the answer, so its length says nothing either
        assert len({len(str(columns[name])) for columns in stored.values()}) == 1, name
    uc, legacy, carers = (BenefitDeclaration.objects.get(pk=d.pk) for d in (uc, legacy, carers))
    assert (uc.assessment_day, uc.uc_housing_support, uc.uc_work_allowance, uc.disregard) == (14, True, True, "")
    assert (legacy.assessment_day, legacy.uc_housing_support, legacy.disregard) == (None, False, "couple")
    assert (carers.assessment_day, carers.uc_housing_support, carers.uc_work_allowance) == (None, False, False)
    assert isinstance(uc.uc_housing_support, bool) and isinstance(uc.assessment_day, int)
    # The audit log records that they changed, never what they are.
    logged = [e.changes_dict for e in LogEntry.objects.filter(object_pk__in=[str(uc.pk), str(legacy.pk)])]
    for changes in logged:
        for name in DETAILS:
            if name in changes:
                assert "14" not in str(changes[name]) and "True" not in str(changes[name])
                assert "couple" not in str(changes[name])
    # The guard still reads them.
    [verdict] = [v for d, v in selectors.guard(member) if d.pk == uc.pk]
    assert verdict.period_start.day == 14


def test_the_same_benefit_cannot_be_declared_twice(org_a):
    member = make_member(org_a)
    services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance")
    with pytest.raises(ValidationError) as again:
        services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance")
    assert "benefit" in again.value.message_dict
    assert BenefitDeclaration.objects.count() == 1


def test_the_migration_encrypts_the_details_kept_in_clear(org_a):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("withus.rewards.migrations.0009_encrypt_benefit_details")
    member = make_member(org_a)
    uc = services.declare_benefit(
        actor=member.user, person=member, benefit="universal_credit", assessment_day=3, share_with=[org_a]
    )
    legacy = services.declare_benefit(actor=member.user, person=member, benefit="legacy_disregard", disregard="higher")
    # As the columns hold them once their types became text: PostgreSQL writes booleans as true/false, SQLite as 1/0.
    with connection.cursor() as cursor:
        update = (
            "UPDATE rewards_benefitdeclaration SET assessment_day = %s, uc_housing_support = %s, "
            "uc_work_allowance = %s, disregard = %s WHERE id = %s"
        )
        cursor.execute(update, ["3", "true", "0", "", uc.pk])
        cursor.execute(update, [None, "false", "1", "higher", legacy.pk])
    migration.encrypt_benefit_details(apps, None)
    for declaration in (uc, legacy):
        assert all(str(value).startswith("gAAAA") for value in stored_details(declaration).values())
    uc, legacy = BenefitDeclaration.objects.get(pk=uc.pk), BenefitDeclaration.objects.get(pk=legacy.pk)
    assert (uc.assessment_day, uc.uc_housing_support, uc.uc_work_allowance, uc.disregard) == (3, True, False, "")
    assert (legacy.assessment_day, legacy.uc_housing_support, legacy.uc_work_allowance) == (None, False, True)
    assert legacy.disregard == "higher"


def test_only_the_member_declares(org_a, coordinator_a):
    member = make_member(org_a)
    with pytest.raises(PermissionDenied):
        services.declare_benefit(actor=coordinator_a, person=member, benefit="carers_allowance")


def test_guard_counts_across_the_organisations_the_member_allows(org_a, org_b, coordinator_a, coordinator_b):
    member = make_member(org_a, org_b)
    services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a, org_b])
    fee_services.offer_fee(
        actor=coordinator_b,
        organisation=org_b,
        person=member,
        description="Panel",
        amount=D("150"),
        activity_date=WEDNESDAY,
        hours=D("3"),
    )
    offer = fee_services.offer_fee(
        actor=coordinator_a,
        organisation=org_a,
        person=member,
        description="Board",
        amount=D("50"),
        activity_date=WEDNESDAY + timedelta(days=2),
        hours=D("2"),
    )
    [(_d, verdict)] = selectors.guard(member, offer=offer)
    assert verdict.counted_before == D("150.00") and verdict.over_by == D("4.00")
    # Organisation B's coordinator sees it; an organisation the member did not tick would not.
    assert selectors.guard(member, offer=offer, viewer_organisation=org_b)


def test_staff_count_only_organisations_the_member_allowed_but_the_member_counts_all(
    org_a, org_b, coordinator_b, coordinator_a
):
    member = make_member(org_a, org_b)
    services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a])
    fee_services.offer_fee(
        actor=coordinator_b,
        organisation=org_b,
        person=member,
        description="Panel",
        amount=D("150"),
        activity_date=WEDNESDAY,
    )
    offer = fee_services.offer_fee(
        actor=coordinator_a,
        organisation=org_a,
        person=member,
        description="Board",
        amount=D("50"),
        activity_date=WEDNESDAY,
    )
    # A's staff are not told what B pays: the member did not let B's payments be shared.
    [(_d, staff_view)] = selectors.guard(member, offer=offer, viewer_organisation=org_a)
    assert staff_view.counted_before == D("0.00") and not staff_view.warns
    # The member is: the limit is theirs whoever pays (sharing decides only what staff see).
    [(_d, own_view)] = selectors.guard(member, offer=offer)
    assert own_view.counted_before == D("150.00") and own_view.warns
    assert selectors.guard(member, offer=offer, viewer_organisation=org_b) == []


def test_member_chooses_fewer_hours_and_the_warning_is_kept(org_a, coordinator_a):
    member = make_member(org_a)
    services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a])
    offer = fee_services.offer_fee(
        actor=coordinator_a,
        organisation=org_a,
        person=member,
        description="Workshop",
        amount=D("200"),
        hours=D("4"),
        activity_date=WEDNESDAY,
    )
    with pytest.raises(ValidationError):
        services.choose(actor=member.user, line=offer, choice="fewer_hours", hours=D("5"))
    choice = services.choose(actor=member.user, line=offer, choice="fewer_hours", hours=D("3"))
    offer.refresh_from_db()
    assert offer.amount == D("150.00") and offer.status == "accepted"
    assert choice.warning[0]["problem"] == "over_limit" and choice.warning[0]["over_by"] == "4.00"
    with pytest.raises(ValidationError, match="already answered"):
        services.choose(actor=member.user, line=offer, choice="accept")


def test_the_guard_never_decides(org_a, coordinator_a):
    member = make_member(org_a)
    services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a])
    offer = fee_services.offer_fee(
        actor=coordinator_a,
        organisation=org_a,
        person=member,
        description="Big day",
        amount=D("400"),
        activity_date=WEDNESDAY,
    )
    services.choose(actor=member.user, line=offer, choice="accept")
    offer.refresh_from_db()
    assert offer.status == "accepted"
    assert GuardChoice.objects.get().warning[0]["problem"] == "over_limit"


def test_donating_takes_the_fee_out_of_the_count(org_a, coordinator_a):
    member = make_member(org_a)
    services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a])
    offer = fee_services.offer_fee(
        actor=coordinator_a,
        organisation=org_a,
        person=member,
        description="Big day",
        amount=D("400"),
        activity_date=WEDNESDAY,
    )
    services.choose(actor=member.user, line=offer, choice="donate")
    [(_d, verdict)] = selectors.guard(member, on=WEDNESDAY)
    assert verdict.counted_before == D("0.00")


@pytest.mark.parametrize("amount", [D("-1"), D("5000.01")])
def test_absurd_amounts_are_refused(org_a, coordinator_a, amount):
    member = make_member(org_a)
    with pytest.raises(ValidationError):
        fee_services.offer_fee(
            actor=coordinator_a,
            organisation=org_a,
            person=member,
            description="x",
            amount=amount,
            activity_date=WEDNESDAY,
        )
    assert not IncomeLine.objects.exists()


def test_limit_rows_need_a_source_and_must_not_overlap(org_a):
    from tests.conftest import make_staff

    admin = make_staff(org_a, "admin")
    base = {
        "rule": "carers_allowance",
        "period": "week",
        "amount": D("205.00"),
        "valid_from": date(2026, 4, 6),
        "valid_to": date(2027, 4, 5),
    }
    with pytest.raises(ValidationError) as error:
        services.add_limit(actor=admin, fields={**base, "source": " "})
    assert "source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_limit(actor=admin, fields={**base, "valid_from": date(2026, 1, 1), "source": "DWP 2026"})
    assert "valid_from" in error.value.message_dict
    services.add_limit(actor=admin, fields={**base, "source": "DWP, Benefit and pension rates 2026 to 2027"})
    # A new figure closes an open-ended row that started earlier, the day before it starts.
    services.add_limit(
        actor=admin,
        fields={
            "rule": "disregard_single",
            "period": "week",
            "amount": D("6.00"),
            "valid_from": date(2026, 4, 6),
            "source": "DWP 2026",
        },
    )
    assert BenefitLimit.objects.get(rule="disregard_single", amount=D("5.00")).valid_to == date(2026, 4, 5)
    with time_machine.travel(date(2026, 11, 21)):
        assert "carers_allowance" not in selectors.uncovered_rules(date(2026, 11, 21))
        assert "esa_permitted_work" in selectors.uncovered_rules(date(2026, 11, 21))


def test_benefits_check_command(org_a, coordinator_a):
    member = make_member(org_a)
    services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a])
    with time_machine.travel(date(2025, 6, 11)):
        fee_services.offer_fee(
            actor=coordinator_a,
            organisation=org_a,
            person=member,
            description="Board",
            amount=D("210"),
            activity_date=date(2025, 6, 11),
        )
        out = StringIO()
        call_command("benefits", "check", member.email, stdout=out)
    text = out.getvalue()
    assert "current period 2025-06-09 to 2025-06-15" in text and "next period 2025-06-16 to 2025-06-22" in text
    assert "OVER by £14.00" in text and "£196.00" in text
    with pytest.raises(CommandError):
        call_command("benefits", "check", "nobody@example.org")


def test_member_chooses_how_one_activitys_fee_is_paid(org_a, coordinator_a):
    member = make_member(org_a)
    offer = fee_services.offer_fee(
        actor=coordinator_a,
        organisation=org_a,
        person=member,
        description="Panel",
        amount=D("60"),
        hours=D("4"),
        activity_date=WEDNESDAY,
    )
    with pytest.raises(ValidationError) as error:
        services.choose(actor=member.user, line=offer, choice="accept", method="volunteer")
    assert "method" in error.value.message_dict
    services.choose(actor=member.user, line=offer, choice="accept", method="cheque")
    offer.refresh_from_db()
    assert offer.method == "cheque" and offer.status == "accepted"
