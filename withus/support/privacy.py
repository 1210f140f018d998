"""What the support app holds about a person: each sub-package answers for its own."""

from __future__ import annotations

from withus.core.privacy import Section
from withus.people.models import Person

from .training import privacy as training


def export(person: Person) -> list[Section]:
    return [*training.export(person)]


def erase(person: Person) -> None:
    training.erase(person)
