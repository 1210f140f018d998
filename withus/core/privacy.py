"""What each app holds about a person, collected in one place (C11: subject access, erasure).

Every app that keeps anything about a person has a ``privacy`` module with
``export(person) -> list[Section]``: each section is one kind of thing held (the
profile, applications, claims...), with a readable label for it and for each of its
fields, and machine-readable values. ``subject_access(person)`` here finds every
installed app's module, as the API collects each app's router, so a new app is
covered by adding its ``privacy.py``; nothing here knows the apps by name.

For erasure (Art. 17) the same modules answer, each for what it holds:
``erase(person)`` removes it (or, for what the law makes us keep, strips it to a
pseudonymous record); ``kept(person) -> list[Kept]`` says what would stay and until
when; ``owed(person) -> list[Owed]`` what is still to be paid to the person; and
``purge(today) -> int`` removes what was kept once its time is up. Each is optional.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from auditlog.context import disable_auditlog
from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst

from .audit import forget

FORMAT = "withus-subject-access/1"
MODULE = "privacy"

Record = dict[str, Any]


@dataclass
class Section:
    """One kind of thing held about the person.

    ``key`` is a stable machine name (``"applications"``); ``title`` and ``fields``
    are what a person reads. ``records`` is a list of dicts, or one dict (``single``)
    for something a person has at most one of, or None when they have none.
    """

    key: str
    title: str | Promise
    fields: Mapping[str, str | Promise] = field(default_factory=dict)
    records: list[Record] | Record | None = None

    @property
    def single(self) -> bool:
        return not isinstance(self.records, list)


def jsonable(value: Any) -> Any:
    """A value as JSON can carry it: dates and times as ISO 8601, money as a string, choices as their value."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def record(**values: Any) -> Record:
    """One record, its values made JSON-ready."""
    return {name: jsonable(value) for name, value in values.items()}


def records(items: Iterable[Any], make: Callable[[Any], Record]) -> list[Record]:
    return [make(item) for item in items]


def field_labels(
    model: type[models.Model], names: Iterable[str], **overrides: str | Promise
) -> dict[str, str | Promise]:
    """Readable labels for ``names``: the model field's own verbose name, unless given in ``overrides``."""
    labels: dict[str, str | Promise] = {}
    for name in names:
        if name in overrides:
            labels[name] = overrides[name]
        else:
            field = model._meta.get_field(name)
            labels[name] = capfirst(getattr(field, "verbose_name", name))
    return labels


def values_of(instance: models.Model, names: Iterable[str]) -> Record:
    """The named fields of ``instance`` as one record (foreign keys as their text, choices as their value)."""
    values: Record = {}
    for name in names:
        value = getattr(instance, name)
        values[name] = str(value) if isinstance(value, models.Model) else jsonable(value)
    return values


@cache
def _hooks(hook: str) -> tuple[Callable[..., Any], ...]:
    """Every installed app's ``privacy.<hook>`` function, in the order the apps are installed."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            continue
        function = getattr(module, hook, None)
        if function is not None and module.__name__ != __name__:
            found.append(function)
    return tuple(found)


def _exporters() -> tuple[Callable[[Any], list[Section]], ...]:
    return _hooks("export")


def sections(person: Any) -> list[Section]:
    """Every section every app holds about ``person``, in the order the apps are installed."""
    collected: list[Section] = []
    for exporter in _exporters():
        collected.extend(exporter(person))
    keys = [s.key for s in collected]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise RuntimeError(f"Two apps export the same section: {', '.join(sorted(duplicates))}")
    return collected


@dataclass
class ReadableSection:
    """A section as a person reads it: a title, then rows of labelled values (or one record's pairs)."""

    key: str
    title: str
    single: bool
    pairs: list[tuple[str, str]] = field(default_factory=list)  # for a single record: (label, value)
    columns: list[str] = field(default_factory=list)  # for a list: column labels
    rows: list[list[str]] = field(default_factory=list)


def shown(value: Any) -> str:
    """A stored value as text a person reads (in the language in force)."""
    from django.utils.translation import gettext

    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return gettext("Yes")
    if value is False:
        return gettext("No")
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {shown(v)}" for k, v in value.items())
    return str(jsonable(value))


def readable(person: Any) -> list[ReadableSection]:
    """Everything held about ``person`` as sections a person can read, in the language in force."""
    result = []
    for section in sections(person):
        labels = {name: str(label) for name, label in section.fields.items()}
        if section.single:
            record_ = section.records if isinstance(section.records, dict) else {}
            names = list(labels) or list(record_)
            result.append(
                ReadableSection(
                    section.key,
                    str(section.title),
                    True,
                    pairs=[(labels.get(n, n), shown(record_.get(n))) for n in names if n in record_],
                )
            )
        else:
            items = section.records if isinstance(section.records, list) else []
            names = list(labels) or sorted({n for item in items for n in item})
            result.append(
                ReadableSection(
                    section.key,
                    str(section.title),
                    False,
                    columns=[labels.get(n, n) for n in names],
                    rows=[[shown(item.get(n)) for n in names] for item in items],
                )
            )
    return result


def subject_access(person: Any) -> dict[str, Any]:
    """Everything held about ``person`` as one JSON-ready document.

    Each section's values sit under its key (``data["profile"]["full_name"]``); what
    each key means, in the reader's language, is under ``labels``.
    """
    document: dict[str, Any] = {"format": FORMAT, "generated_at": jsonable(timezone.now()), "labels": {}}
    for section in sections(person):
        document[section.key] = jsonable(section.records)
        document["labels"][section.key] = {
            "title": str(section.title),
            "fields": {name: str(label) for name, label in section.fields.items()},
        }
    return document


# ---- Erasure ------------------------------------------------------------------------------


@dataclass
class Kept:
    """Something an app keeps after a person's details are erased: what, how many, until when, and why."""

    what: str | Promise
    count: int
    until: date | None
    why: str | Promise = ""


@dataclass
class Owed:
    """Money still to be paid to the person: paid before their details go, unless they give it up.

    ``can_waive`` is False for what is already on its way (in a payment file sent to the bank).
    """

    what: str | Promise
    count: int
    total: Decimal
    can_waive: bool = True


def kept(person: Any) -> list[Kept]:
    """What every app would keep, in a pseudonymous form, if ``person`` were erased now."""
    return [item for hook in _hooks("kept") for item in hook(person) if item.count]


def owed(person: Any) -> list[Owed]:
    """What every app still owes ``person``."""
    return [item for hook in _hooks("owed") for item in hook(person) if item.count]


def remove(*querysets: QuerySet[Any]) -> None:
    """Delete every row of each queryset, in order, with its audit trail: how an app's ``erase`` lets go.

    The audit log writes a row with every old value when something is deleted: that row would
    keep what erasure removes, so nothing is logged here.
    """
    with disable_auditlog():
        for queryset in querysets:
            forget(queryset)
            queryset.delete()


def erase(person: Any) -> None:
    """Every app removes what it holds about ``person``, the last installed first.

    Apps that must keep something (the payment ledger) strip it of identity instead.
    The person's own record is left to the caller (``withus.people.erasure``), which
    deletes it, or strips it to a reference while a ledger points at it.
    """
    for hook in reversed(_hooks("erase")):
        hook(person)


def purge(today: date) -> dict[str, int]:
    """Every app removes what it kept after an erasure once its time is up; how many each removed."""
    counts = {}
    # What goes at the end of its keeping leaves no copy of itself in the audit log (see ``remove``).
    with disable_auditlog():
        for hook in _hooks("purge"):
            counts[hook.__module__.rsplit(".", 2)[-2]] = hook(today)
    return counts
