"""Dates as a form posts them and shows them: three boxes, day, month and year."""

from __future__ import annotations

import re
from datetime import date


def date_boxes(name: str, day: date | str) -> dict[str, str]:
    """What a browser posts for the date field ``name`` when ``day`` is typed into its boxes."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def shown_date(page: str, name: str) -> str:
    """The date field's boxes as the page shows them, as "day month year" ("11 6 2025")."""
    values = []
    for part in ("day", "month", "year"):
        tag = re.search(rf'<input[^>]*name="{name}_{part}"[^>]*>', page)
        assert tag, f"no {part} box for {name}"
        value = re.search(r'value="([^"]*)"', tag.group(0))
        values.append(value.group(1) if value else "")
    return " ".join(values)
