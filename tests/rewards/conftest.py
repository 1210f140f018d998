"""Every rewards test runs on one fixed day, so that the rules that depend on today hold however old the tests get.

Claims and fees may only be for activities from the start of the last tax year
(``rules.earliest_activity_date``), and the tests are written around activities in
the 2025/26 tax year (``factories.DAY``, 11 June 2025). Today is therefore a day in that
tax year, after every activity the tests claim for. A test that needs another day
moves there itself (``time_machine.move_to``), as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

TODAY = datetime(2025, 11, 19, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def _a_day_in_the_2025_26_tax_year(time_machine: time_machine.TimeMachineFixture) -> Iterator[None]:
    time_machine.move_to(TODAY)
    yield


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    """Uploaded files go to a directory of the test's own, never the installation's."""
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path
