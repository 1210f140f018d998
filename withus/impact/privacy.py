"""What impact holds about a person, gathered from each of its parts."""

from __future__ import annotations

from withus.core.privacy import Section
from withus.people.models import Person

from .surveys import privacy as surveys


def export(person: Person) -> list[Section]:
    return surveys.export(person)


def erase(person: Person) -> None:
    surveys.erase(person)
