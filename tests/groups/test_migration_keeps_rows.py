"""Moving Group, Appointment and ReportBack into the groups app keeps every row.

A database is made by the code of main before the move (commit ``BEFORE``): migrated,
filled with the demo, a report-back added and a permission on appointments granted.
The current code then migrates that same file. Every table keeps its row count, the
moved rows read through the groups app's models, and the audit log and permissions
still point at the models they were about.

The old code runs from ``git archive`` of the repository's own history, with this
virtualenv's Python, on a SQLite file of its own; the test's database is not used.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

BEFORE = "12049e1"  # main before the groups app
REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 300
MOVED = {
    "opportunities_group": "group",
    "opportunities_appointment": "appointment",
    "meetings_reportback": "reportback",
}

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs two versions of the code against one SQLite file; the PostgreSQL run is covered by SQLite's",
)

OLD_EXTRAS = """
from django.contrib.auth.models import Permission
from withus.accounts.models import User
from withus.meetings.models import Attendance, ReportBack

attended = Attendance.objects.select_related("session", "person").order_by("pk").first()
ReportBack.objects.create(
    session=attended.session, person=attended.person, reported_to="Hafan peer group", summary="We were heard."
)
User.objects.order_by("pk").first().user_permissions.add(
    Permission.objects.get(content_type__app_label="opportunities", codename="change_appointment")
)
"""

NEW_READS = """
import json
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from withus.accounts.models import User
from withus.groups.models import Appointment, Group, ReportBack

print(json.dumps({
    "rows": {
        "opportunities_group": Group.objects.count(),
        "opportunities_appointment": Appointment.objects.count(),
        "meetings_reportback": ReportBack.objects.count(),
    },
    "content_types": {
        model._meta.model_name: ContentType.objects.get_for_model(model).pk
        for model in (Group, Appointment, ReportBack)
    },
    "appointment_log": LogEntry.objects.get_for_model(Appointment).count(),
    "report_back": list(ReportBack.objects.values_list("reported_to", "person__full_name", "session__title")),
    "may_change_appointments": User.objects.order_by("pk").first().has_perm("groups.change_appointment"),
}))
"""


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, timeout=TIMEOUT, check=False)


@pytest.fixture
def old_tree(tmp_path: Path) -> Path:
    """The code of ``BEFORE``, or a skip saying why it cannot be had."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed, so the code before the move cannot be checked out")
    if _git("cat-file", "-e", f"{BEFORE}^{{commit}}").returncode != 0:
        pytest.skip(f"commit {BEFORE} is not in this repository's history (a shallow or exported copy?)")
    archive = _git("archive", "--format=tar", BEFORE, "withus", "manage.py")
    assert archive.returncode == 0, archive.stderr.decode()
    tree = tmp_path / "before"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tree, filter="data")
    return tree


def _manage(tree: Path, var: Path, *args: str) -> str:
    """``manage.py`` of ``tree`` on the SQLite file in ``var``, with this virtualenv's Python."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}}
    env.update(DJANGO_SETTINGS_MODULE="withus.settings", WITHUS_VAR_DIR=str(var), PYTHONPATH=str(tree))
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} in {tree}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def _content_types(database: Path) -> dict[tuple[str, str], int]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT app_label, model, id FROM django_content_type")
        return {(app_label, model): pk for app_label, model, pk in rows}


def _permissions(database: Path) -> set[tuple[int, str]]:
    with sqlite3.connect(database) as connection:
        return set(connection.execute("SELECT content_type_id, codename FROM auth_permission"))


# Tables that gain rows when the new code adds models of its own (their content types and
# permissions) and as migrations are recorded; every row they held before must remain.
GROWING = {"django_migrations", "django_content_type", "auth_permission"}


def _appointment_log(database: Path, content_type: int) -> int:
    with sqlite3.connect(database) as connection:
        query = "SELECT COUNT(*) FROM auditlog_logentry WHERE content_type_id = ?"
        count: int = connection.execute(query, [content_type]).fetchone()[0]
        return count


def test_migrating_a_database_made_before_the_move_keeps_every_row(old_tree: Path, tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    database = var / "withus.sqlite3"
    _manage(old_tree, var, "migrate", "--no-input", "-v", "0")
    _manage(old_tree, var, "demo")
    _manage(old_tree, var, "shell", "-c", OLD_EXTRAS)
    before = _row_counts(database)
    types_before = _content_types(database)
    old_ids = {
        model: types_before[("meetings" if model == "reportback" else "opportunities", model)]
        for model in MOVED.values()
    }
    appointment_log = _appointment_log(database, old_ids["appointment"])
    permissions_before = _permissions(database)
    assert all(before[table] > 0 for table in MOVED), before  # there is something to lose
    assert appointment_log > 0

    _manage(REPO, var, "migrate", "--no-input", "-v", "0")

    after = _row_counts(database)
    assert set(before) <= set(after)
    changed = {t: (before[t], after[t]) for t in before if t not in GROWING and before[t] != after[t]}
    assert changed == {}
    assert after["django_migrations"] > before["django_migrations"]
    assert all(after[t] >= before[t] for t in GROWING)
    assert permissions_before <= _permissions(database)

    read = json.loads(_manage(REPO, var, "shell", "-c", NEW_READS).strip().splitlines()[-1])
    assert read["rows"] == {table: before[table] for table in MOVED}
    # The same content type rows, relabelled: the audit log and permissions stay attached.
    assert read["content_types"] == old_ids
    types_after = _content_types(database)
    assert {types_after[("groups", model)] for model in MOVED.values()} == set(old_ids.values())
    assert not {key for key in types_after if key[0] in {"opportunities", "meetings"} and key[1] in MOVED.values()}
    assert set(types_before.values()) <= set(types_after.values())
    assert read["appointment_log"] == appointment_log
    assert read["may_change_appointments"] is True
    [(reported_to, _person, _session)] = read["report_back"]
    assert reported_to == "Hafan peer group"

    _manage(REPO, var, "migrate", "--check")
