"""A backup is encrypted, and restoring it brings every row back; PostgreSQL is pointed to pg_dump."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import make_member
from withus.core import backup
from withus.people import services
from withus.people.models import Person, WellbeingPlan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own backup; PostgreSQL uses pg_dump"),
]


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return {t: cursor.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_backup_restores_every_row_and_reveals_nothing_without_the_key(org_a, tmp_path: Path) -> None:
    person = make_member(org_a, full_name="Nia Backup")
    services.save_wellbeing_plan(
        person=person, actor=person.user, what_helps="A quiet walk", who_to_contact="", visible_to="only_me"
    )
    before = counts()
    target = tmp_path / "withus.backup"
    out = StringIO()
    call_command("backup", str(target), stdout=out)
    assert "encrypted" in out.getvalue()
    sealed = target.read_bytes()
    assert sealed.startswith(backup.MAGIC)
    assert b"Nia Backup" not in sealed and b"SQLite format 3" not in sealed

    # Things go wrong after the backup: a person is lost and another is added.
    Person.objects.filter(pk=person.pk).delete()
    make_member(org_a, full_name="Added Later")
    assert counts() != before

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(target))
    call_command("restore", str(target), "--yes", stdout=StringIO())

    assert counts() == before
    restored = Person.objects.get(full_name="Nia Backup")
    assert WellbeingPlan.objects.get(person=restored).what_helps == "A quiet walk"
    assert not Person.objects.filter(full_name="Added Later").exists()


def test_a_backup_made_with_another_key_is_refused_and_nothing_is_touched(org_a, tmp_path: Path, settings) -> None:
    make_member(org_a, full_name="Kept As Is")
    target = tmp_path / "withus.backup"
    backup.backup(target)
    settings.WITHUS_ENCRYPTION_KEY = "another-key"
    with pytest.raises(CommandError, match="cannot be read with this installation's WITHUS_ENCRYPTION_KEY"):
        call_command("restore", str(target), "--yes")
    assert Person.objects.filter(full_name="Kept As Is").exists()


def test_something_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "holiday.jpg"
    fake.write_bytes(b"\xff\xd8\xff not a backup")
    with pytest.raises(CommandError, match="not a WithUs backup"):
        call_command("restore", str(fake), "--yes")


def test_a_restore_applies_again_the_erasures_made_since_the_backup(org_a, tmp_path: Path, settings) -> None:
    from withus.people import erasure
    from withus.people.models import Erasure

    settings.WITHUS_ERASURE_LOG = tmp_path / "erasures.jsonl"
    gone = make_member(org_a, full_name="Asked To Go")
    stays = make_member(org_a, full_name="Still Here")
    target = tmp_path / "withus.backup"
    call_command("backup", str(target), stdout=StringIO())
    before = counts()

    erasure.request_erasure(person=gone, via=Erasure.Via.WEB)
    assert not Person.objects.filter(pk=gone.pk).exists()

    out = StringIO()
    call_command("restore", str(target), "--yes", stdout=out)
    assert "Erased again: 1" in out.getvalue()
    assert not Person.objects.filter(full_name="Asked To Go").exists()
    assert Person.objects.get(pk=stays.pk).full_name == "Still Here"
    assert Erasure.objects.get().status == Erasure.Status.DONE
    after = counts()
    changed = {t for t in before if before[t] != after.get(t)}
    # Only what the erasure removed differs from the backup (and the erasure's own records).
    assert "people_person" in changed and changed <= {
        "people_person",
        "people_person_tags",
        "people_consentrecord",
        "people_erasure",
        "accounts_user",
        "accounts_membership",
        "account_emailaddress",
        "mfa_authenticator",
        "auditlog_logentry",
        "accounts_securityevent",
    }
