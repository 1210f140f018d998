"""The ``withus`` command: Django's management commands under the product's name.

``withus demo``, ``withus createadmin``, ``withus serve`` and every other
management command (``withus migrate``, ``withus check``...).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withus.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["withus", *sys.argv[1:]])


if __name__ == "__main__":
    main()
