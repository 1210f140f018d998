"""Reads for imports: an organisation's imports and mappings, and what a check compares rows against."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING
from withus.accounts.selectors import has_role
from withus.groups.models import Group
from withus.meetings.models import Attendance, Session, Venue
from withus.opportunities.models import Opportunity
from withus.people.models import Person, Tag

from . import rules
from .models import ImportMapping, RegisterImport

# The Person fields an import may write (tags are written apart).
PERSON_FIELDS = frozenset(f for f in rules.FIELDS if f not in rules.TAG_FIELDS) | {"other_languages"}


def max_bytes() -> int:
    return int(getattr(settings, "WITHUS_IMPORT_MAX_BYTES", rules.MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "WITHUS_IMPORT_MAX_ROWS", rules.MAX_ROWS))


def imports_of(user: Any, organisation: Organisation) -> QuerySet[RegisterImport]:
    if not has_role(user, organisation, *ADMINISTERING):
        raise PermissionDenied
    return RegisterImport.objects.filter(organisation=organisation).select_related("created_by", "imported_by")


def import_for(user: Any, organisation: Organisation, pk: int) -> RegisterImport:
    """One of the organisation's imports; another organisation's is not found (404), never shown."""
    found = imports_of(user, organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def mappings_of(organisation: Organisation, kind: str = "people") -> QuerySet[ImportMapping]:
    return ImportMapping.objects.filter(organisation=organisation, kind=kind)


def mapping_for_headers(
    organisation: Organisation, headers: Sequence[str], kind: str = "people"
) -> ImportMapping | None:
    """The most recently saved mapping of this kind whose columns are all in ``headers``."""
    names = {rules.key(h) for h in headers}
    fields = rules.fields_of(kind)
    for mapping in mappings_of(organisation, kind).order_by("-updated_at", "-pk"):
        if not all(f in fields for f in mapping.columns.values()):
            continue
        if mapping.columns and all(rules.key(h) in names for h in mapping.columns):
            return mapping
    return None


def vocabulary(organisation: Organisation | None = None) -> rules.Vocabulary:
    """The tags rows are matched against and, for an import of history, the organisation's groups and venues."""
    words: dict[str, dict[str, str]] = {}
    for tag in Tag.objects.filter(kind__in=list(rules.TAG_FIELDS.values())).only("kind", "slug", "name", "name_cy"):
        found = words.setdefault(tag.kind, {})
        for name in (tag.slug, tag.name, tag.name_cy):
            if name:
                found.setdefault(rules.key(name), tag.slug)
    if organisation is None:
        return rules.Vocabulary(words)
    return rules.Vocabulary(
        words,
        groups=_named(Group.objects.filter(organisation=organisation).values_list("pk", "name", "name_cy")),
        venues=_named(Venue.objects.filter(organisation=organisation).values_list("pk", "name", "name_cy")),
    )


def _named(rows: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for pk, name, name_cy in rows.order_by("pk"):
        for text in (name, name_cy):
            if text:
                found.setdefault(rules.key(text), pk)
    return found


def tags_by_slug() -> dict[tuple[str, str], Tag]:
    return {(t.kind, t.slug): t for t in Tag.objects.filter(kind__in=list(rules.TAG_FIELDS.values()))}


def existing_people(organisation: Organisation) -> Iterator[rules.Existing]:
    """Everyone the organisation already has, as duplicates are matched: only its own people, never another's."""
    found = Person.objects.sharing_with(organisation).filter(erased_at__isnull=True).order_by()
    rows = found.values_list("pk", "email", "phone", "full_name")
    for pk, email, phone, name in rows.iterator(chunk_size=2000):
        yield rules.Existing(pk, email or "", phone or "", name or "")


def existing_opportunities(organisation: Organisation) -> Iterator[tuple[str, str]]:
    """The organisation's opportunities as an import of history matches them: title and start date."""
    found = Opportunity.objects.filter(organisation=organisation).order_by().values_list("title", "starts_on")
    for title, starts_on in found.iterator(chunk_size=2000):
        yield title, starts_on.isoformat() if starts_on else ""


def past_sessions(organisation: Organisation) -> dict[tuple[str, str], int]:
    """The organisation's sessions by (title, local date), so that a row joins the session that is already there."""
    found: dict[tuple[str, str], int] = {}
    rows = Session.objects.filter(organisation=organisation).exclude(status=Session.Status.CANCELLED)
    for pk, title, starts_at in rows.order_by("pk").values_list("pk", "title", "starts_at").iterator(chunk_size=2000):
        found.setdefault((rules.key(title), timezone.localtime(starts_at).date().isoformat()), pk)
    return found


def recorded_attendance(organisation: Organisation, session_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(session, person) pairs already recorded for these sessions, read a few hundred sessions at a time."""
    ids = sorted(set(session_ids))
    found: set[tuple[int, int]] = set()
    for start in range(0, len(ids), 500):
        rows = Attendance.objects.filter(session__organisation=organisation, session_id__in=ids[start : start + 500])
        found.update(rows.order_by().values_list("session_id", "person_id"))
    return found


COMPARED = ("full_name", "email", "phone", "address", "postcode", "local_authority", "perspective", "preferred_channel")


def matches(register_import: RegisterImport) -> list[dict[str, Any]]:
    """Each good row that matches someone registered, with both sides' details to compare and the decision so far."""
    if register_import.kind != "people":
        return []  # attendance rows are matched to people, but there is nothing to decide
    checks = [c for c in register_import.checks if c["match"] is not None and not c["problems"]]
    people = Person.objects.sharing_with(register_import.organisation).in_bulk([c["match"] for c in checks])
    found = []
    for check in checks:
        person = people.get(check["match"])
        if person is None:
            continue
        rows = []
        for name in COMPARED:
            theirs = check["values"].get(name, "")
            ours = getattr(person, name)
            display = getattr(person, f"get_{name}_display", None)
            rows.append(
                {
                    "label": rules.FIELDS[name].label,
                    "registered": display() if display and ours else ours,
                    "file": _display(name, theirs),
                    "differs": bool(theirs) and theirs != ours,
                }
            )
        found.append(
            {
                "row": check["row"],
                "person": person,
                "match_by": check["match_by"],
                "rows": rows,
                "decision": register_import.decisions.get(str(check["row"]), "skip"),
            }
        )
    return found


def _display(name: str, value: Any) -> Any:
    choices = dict(getattr(Person._meta.get_field(name), "choices", None) or ())
    return choices.get(value, value) if choices else value


def problems(register_import: RegisterImport) -> list[dict[str, Any]]:
    """Every row with a problem, with its name as in the file (to find it) and why."""
    named_by = rules.NAMED_BY[register_import.kind]
    return [
        {"row": c["row"], "name": c["values"].get(named_by, ""), "problems": c["problems"]}
        for c in register_import.checks
        if c["problems"]
    ]
