"""``withus serve`` migrates under a lock, so instances started together take turns."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections

from withus.core.management.commands import serve


@pytest.mark.django_db(transaction=True)
def test_a_second_instance_cannot_migrate_while_the_first_holds_the_lock(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    with serve.migration_lock():
        if connection.vendor == "postgresql":
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_lock(%s)", [serve.MIGRATION_LOCK])
                    assert cursor.fetchone() == (False,)
            finally:
                other.close()
        else:
            with open(tmp_path / "migrate.lock", "w") as lock, pytest.raises(BlockingIOError):
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    # Released afterwards: the next instance takes it at once.
    with serve.migration_lock():
        pass


def started(monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    commands: list[str] = []
    monkeypatch.setattr(serve, "call_command", lambda name, *a, **k: commands.append(name))
    monkeypatch.setattr(serve.os, "execvp", lambda *a: commands.append("gunicorn"))
    call_command("serve", *args)
    return commands


@pytest.mark.django_db(transaction=True)
def test_serve_migrates_then_starts(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.DEBUG = False
    assert started(monkeypatch) == ["migrate", "createcachetable", "collectstatic", "gunicorn"]


@pytest.mark.django_db(transaction=True)
def test_no_migrate_leaves_the_database_alone(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.DEBUG = False
    assert started(monkeypatch, "--no-migrate") == ["collectstatic", "gunicorn"]
