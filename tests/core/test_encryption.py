"""A wrong or lost encryption key stops start-up; a new key can take over without losing data."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import make_member
from withus.core import encryption
from withus.core.models import EncryptionKeyCheck
from withus.people import services
from withus.people.models import WellbeingPlan

pytestmark = pytest.mark.django_db


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def forget_derived_keys() -> None:
    """Encrypted fields derive their keys once; make them derive again from the settings in force."""
    for _model, fields in encryption.encrypted_columns():
        for field in fields:
            field.__dict__.pop("keys", None)
            field.__dict__.pop("f", None)


@pytest.fixture
def keys(settings) -> Iterator[object]:
    forget_derived_keys()
    yield settings
    forget_derived_keys()


def use(settings, *salt_keys: str) -> None:
    settings.SALT_KEY = list(salt_keys)
    forget_derived_keys()


def stored(plan: WellbeingPlan) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT what_helps FROM people_wellbeingplan WHERE id = %s", [plan.pk])
        return str(cursor.fetchone()[0])


def test_a_migrated_database_holds_the_check_and_the_key_reads_it(keys) -> None:
    assert EncryptionKeyCheck.objects.count() == 1
    assert encryption.key_reads_stored_data() is True
    assert encryption.check_encryption_key() == []


def test_a_wrong_key_is_an_error_that_stops_start_up(keys, org_a) -> None:
    person = make_member(org_a)
    services.save_wellbeing_plan(
        person=person, actor=person.user, what_helps="Quiet room", who_to_contact="", visible_to="only_me"
    )
    use(keys, new_key())
    errors = encryption.check_encryption_key()
    assert [e.id for e in errors] == ["withus.E001"]
    assert "WITHUS_ENCRYPTION_KEY" in errors[0].hint
    with pytest.raises(CommandError, match="cannot read the stored data"):
        call_command("encryption", "check")
    # The library itself would have answered with the ciphertext, not an error.
    assert WellbeingPlan.objects.get(person=person).what_helps != "Quiet room"


def test_rotation_moves_everything_to_the_new_key(keys, org_a) -> None:
    old = keys.SALT_KEY[0]
    person = make_member(org_a)
    plan = services.save_wellbeing_plan(
        person=person, actor=person.user, what_helps="Quiet room", who_to_contact="My sister", visible_to="only_me"
    )
    before = stored(plan)
    fresh = new_key()
    use(keys, fresh, old)  # new key first, the old one as a fallback: all still readable
    assert WellbeingPlan.objects.get(pk=plan.pk).what_helps == "Quiet room"
    out = StringIO()
    call_command("encryption", "rotate", stdout=out)
    assert "Re-encrypted" in out.getvalue()
    assert stored(plan) != before
    use(keys, fresh)  # the old key dropped
    assert WellbeingPlan.objects.get(pk=plan.pk).what_helps == "Quiet room"
    assert WellbeingPlan.objects.get(pk=plan.pk).who_to_contact == "My sister"
    assert encryption.check_encryption_key() == []


def test_check_says_the_key_is_right(keys) -> None:
    out = StringIO()
    call_command("encryption", "check", stdout=out)
    assert "reads the stored data" in out.getvalue()


def test_support_needs_are_stored_encrypted_and_read_back_as_text(org_a) -> None:
    person = make_member(org_a)
    services.update_profile(
        person=person,
        actor=person.user,
        fields={
            "reasonable_adjustments": "A quiet room after panic attacks",
            "dietary_needs": "",
            "experience_notes": "x",
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reasonable_adjustments, dietary_needs, experience_notes FROM people_person WHERE id = %s",
            [person.pk],
        )
        adjustments, dietary, notes = cursor.fetchone()
    assert "panic" not in adjustments and adjustments.startswith("gAAAA")
    assert notes != "x"
    assert dietary is None  # nothing written is stored as nothing
    person.refresh_from_db()
    assert person.reasonable_adjustments == "A quiet room after panic attacks"
    assert person.dietary_needs == ""  # nothing written reads back as "", never None


def test_the_migration_encrypts_what_was_kept_in_clear(org_a) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("withus.people.migrations.0004_encrypt_support_needs")
    person = make_member(org_a)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET reasonable_adjustments = %s WHERE id = %s", ["Step-free, please", person.pk]
        )
    migration.encrypt_what_is_stored(apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reasonable_adjustments FROM people_person WHERE id = %s", [person.pk])
        assert "Step-free" not in cursor.fetchone()[0]
    person.refresh_from_db()
    assert person.reasonable_adjustments == "Step-free, please"
