"""The annual report's sections: a small registry other apps add to from their ``AppConfig.ready``.

A section has a key, a title, a function from (organisation, year) to plain data (what the
report shows and what a published version freezes: JSON, with its tables as ``selectors.Table``
dicts), and a template that lays that data out. The report itself imports no app that adds a
section: standards progress or a summary of concerns arrive by ``register`` alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from withus.accounts.models import Organisation

Text = str | Promise
SectionData = Callable[[Organisation, int], dict[str, Any]]
DEFAULT_TEMPLATE = "reports/section.html"


@dataclass(frozen=True)
class Section:
    key: str
    title: Text
    data: SectionData
    template: str = DEFAULT_TEMPLATE
    order: int = 100


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    if section.key in SECTIONS and SECTIONS[section.key] != section:
        raise ValueError(f"the annual report already has a section {section.key!r}")
    SECTIONS[section.key] = section


def all_sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))


def get(key: str) -> Section | None:
    return SECTIONS.get(key)
