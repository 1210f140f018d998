"""Test settings: the product's settings with a fast hasher, mail kept in memory and keys of its own.

DATABASE_URL chooses PostgreSQL exactly as in production; without it, SQLite.
"""

import os
import tempfile
from pathlib import Path

# One directory per test worker (pytest -n), so that workers never race to create its keys.
os.environ.setdefault(
    "WITHUS_VAR_DIR",
    str(Path(tempfile.gettempdir()) / f"withus-test-var-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"),
)

from withus.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# SQLite: test on a file, as production runs, not on Django's default shared in-memory database.
# Threads sharing an in-memory database fail at once with "database table is locked" instead of
# waiting for each other as connections to a file do, so a test of two task workers running at
# once (tests/meetings/test_reminders.py) could not run. One file per test process, so that two
# test runs on one machine never share one; Django deletes it at the end of the run.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"withus-test-{os.getpid()}.sqlite3")
    }

# No test reaches the real GOV.UK Notify: a test that wants Notify starts the local fake
# (tests/channels/fake_notify.py) and points this at it; anything else is refused at once.
NOTIFY_BASE_URL = "http://127.0.0.1:9"
NOTIFY_TIMEOUT = 5
