"""Prepared files hold other people's details for a day: they go when someone in them is erased (C11)."""

from __future__ import annotations

from datetime import date

from withus.people.models import Person
from withus.people.selectors import organisations_shared_with

from . import services


def erase(person: Person) -> None:
    """Every file prepared at an organisation the person shares with goes: any of them may hold their details."""
    for organisation_id in organisations_shared_with(person).values_list("pk", flat=True):
        services.delete_for_organisation(organisation_id)


def purge(today: date) -> int:
    """Files past their time are deleted, every day."""
    return services.purge_expired()
