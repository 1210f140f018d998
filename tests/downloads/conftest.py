"""Prepared files are written where each test can throw them away, and read back whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from withus.downloads.models import PreparedFile


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def content_of(prepared: PreparedFile) -> bytes:
    """What a prepared file holds, as it is now."""
    prepared.refresh_from_db()
    with prepared.file.open("rb") as handle:
        return bytes(handle.read())
