"""Property tests in CI are reproducible: a run never fails by chance (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import settings


def test_the_ci_profile_tries_the_same_bounded_examples_every_time_with_no_deadline() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize is True
    assert ci.deadline is None
    assert 0 < ci.max_examples <= 200


def test_ci_true_loads_the_ci_profile() -> None:
    script = "import tests.conftest; from hypothesis import settings; print(settings.default.derandomize)"
    environment = {**os.environ, "CI": "true", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    environment.pop("HYPOTHESIS_PROFILE", None)
    found = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    assert found.stdout.strip() == "True"
