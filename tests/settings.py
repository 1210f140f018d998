"""Test settings: the product's settings with a fast hasher, mail kept in memory and keys of its own.

DATABASE_URL chooses PostgreSQL exactly as in production; without it, SQLite.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("WITHUS_VAR_DIR", str(Path(tempfile.gettempdir()) / "withus-test-var"))

from withus.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
