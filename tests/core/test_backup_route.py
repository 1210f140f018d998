"""On PostgreSQL, `withus backup` says to use pg_dump rather than failing obscurely."""

from __future__ import annotations

import copy

import pytest
from django.core.management import CommandError, call_command


def test_postgresql_is_pointed_to_pg_dump(settings, tmp_path) -> None:
    databases = copy.deepcopy(settings.DATABASES)
    databases["default"]["ENGINE"] = "django.db.backends.postgresql"
    settings.DATABASES = databases
    with pytest.raises(CommandError, match=r"pg_dump as docs/operations\.md describes"):
        call_command("backup", str(tmp_path / "x.backup"))
