"""On PostgreSQL, `withus backup` says to use pg_dump rather than failing obscurely."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from withus.core import backup


def test_postgresql_is_pointed_to_pg_dump(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(backup, "connections", {"default": SimpleNamespace(vendor="postgresql")})
    with pytest.raises(CommandError, match=r"pg_dump as docs/operations\.md describes"):
        call_command("backup", str(tmp_path / "x.backup"))
