"""Pieces every printed letter shares, whoever sends it."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import cache

from django.apps import apps


def address_block(name: str, address: str, postcode: str) -> list[str]:
    """A name and postal address, a line each, ending with the postcode (written once, in capitals).

    Blank lines and trailing commas people type into an address box are dropped, and a
    postcode already written as the last line of the address is not written twice.
    """
    lines = [name]
    lines += [line.strip().rstrip(",") for line in address.splitlines() if line.strip()]
    postcode = postcode.strip().upper()
    if postcode and postcode not in {line.upper() for line in lines}:
        lines.append(postcode)
    return lines


# Lines other apps add to a person's letters ----------------------------------------------------

NOTES_MODULE = "letters"


@cache
def _note_makers(
    function_name: str = "notes",
) -> tuple[Callable[[set[tuple[int, int]]], dict[tuple[int, int], list[str]]], ...]:
    """Every installed app's ``letters.<function_name>`` function, in the order the apps are installed."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{NOTES_MODULE}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            continue
        function = getattr(module, function_name, None)
        if function is not None and module.__name__ != __name__:
            found.append(function)
    return tuple(found)


def notes_for(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    """What each app adds to the letters an organisation sends a person, by (person id, organisation id).

    An app adds lines by having a ``letters`` module with ``notes(pairs)`` (for example,
    who the person's support contact is and how to reach them); each is asked once for a
    whole batch, so a batch of letters stays a few queries. Lines are in the language in
    force: call inside ``translation.override`` for the letter's reader.
    """
    return _collect("notes", set(pairs))


def session_notes_for(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    """What each app adds to what a person is sent about one session, by (person id, session id).

    The same hook as ``notes_for``, for lines about that session alone (for example, a
    briefing before it): an app adds them by having ``session_notes(pairs)`` in its
    ``letters`` module. Used for printed letters and e-mails alike; call inside
    ``translation.override`` for the reader.
    """
    return _collect("session_notes", set(pairs))


def _collect(function_name: str, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    collected: dict[tuple[int, int], list[str]] = {}
    if not wanted:
        return collected
    for make in _note_makers(function_name):
        for key, lines in make(wanted).items():
            collected.setdefault(key, []).extend(lines)
    return collected
