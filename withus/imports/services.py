"""Bringing an existing register in: upload, match columns, check (the dry run), import, undo.

Web, API and CLI all call these. Nothing reaches the register until ``confirm``, which writes
the whole import in one transaction and refuses it whole if anything fails; ``undo`` takes it
back as a whole within ``WITHUS_IMPORT_UNDO_DAYS``. An import only ever adds people to, or
updates people of, the organisation it was uploaded to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING
from withus.accounts.selectors import has_role
from withus.core.audit import acting_as, on_behalf_of
from withus.groups.models import Group
from withus.meetings import services as meeting_services
from withus.meetings.models import Attendance, Invitation, Session, Venue
from withus.opportunities import services as opportunity_services
from withus.opportunities.models import Opportunity
from withus.people import services as people_services
from withus.people.models import (
    AssistedAction,
    CallAttempt,
    ConsentRecord,
    OutgoingMessage,
    Person,
    SensitiveRead,
    Tag,
)
from withus.people.notify import notify

from . import rules, selectors
from .models import ImportedPerson, ImportedRecord, ImportMapping, Kind, LawfulBasis, RegisterImport

Status = RegisterImport.Status
DECISIONS = ("merge", "keep_apart", "skip")
# What a person brought in by an import may have gained since without the undo losing anything.
# Told how many rows are done of how many, as the command line's progress bar is.
Progress = Callable[[int, int], None]
UNDO_TAKES = {Person, ConsentRecord, OutgoingMessage, CallAttempt, AssistedAction, SensitiveRead, ImportedPerson}


def undo_days() -> int:
    return int(getattr(settings, "WITHUS_IMPORT_UNDO_DAYS", 30))


def background_rows() -> int:
    """Registers longer than this are checked and imported by a background task, with a page showing how far."""
    return int(getattr(settings, "WITHUS_IMPORT_BACKGROUND_ROWS", 1000))


def _check_admin(actor: User, organisation: Organisation) -> None:
    if not has_role(actor, organisation, *ADMINISTERING):
        raise PermissionDenied


def upload(
    *, actor: User, organisation: Organisation, data: bytes, file_name: str, kind: str = Kind.PEOPLE
) -> RegisterImport:
    """Read the file (refused whole, ``rules.FileProblem``, if it is not a register we can read) and guess its columns.

    ``kind`` says what the file holds: people, opportunities, or past attendance. The last mapping
    of that kind saved whose columns are all in this file is used again; otherwise each column is
    guessed from its name.
    """
    _check_admin(actor, organisation)
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Choose what the file holds: people, opportunities or past attendance.")]})
    table = rules.read_table(data, max_bytes=selectors.max_bytes(), max_rows=selectors.max_rows())
    saved = selectors.mapping_for_headers(organisation, table.headers, kind)
    if saved is not None:
        by_name = {rules.key(h): i for i, h in enumerate(table.headers)}
        mapping = {by_name[rules.key(h)]: f for h, f in saved.columns.items() if rules.key(h) in by_name}
    else:
        mapping = rules.guess_mapping(table.headers, kind)
    return RegisterImport.objects.create(
        organisation=organisation,
        kind=kind,
        file_name=file_name[:255],
        file_type=table.file_type,
        headers=table.headers,
        rows_data=json.dumps(table.rows),
        row_count=len(table.rows),
        mapping={str(i): f for i, f in mapping.items()},
        mapping_name=saved.name if saved is not None else "",
        created_by=actor,
    )


def _open(register_import: RegisterImport, actor: User, *statuses: str) -> None:
    _check_admin(actor, register_import.organisation)
    if register_import.status not in statuses:
        raise ValidationError(
            _("This import is %(status)s: it cannot be changed now.")
            % {"status": register_import.get_status_display().lower()}
        )


@transaction.atomic
def set_mapping(
    *,
    actor: User,
    register_import: RegisterImport,
    mapping: Mapping[int, str],
    lawful_basis: str,
    lawful_basis_note: str = "",
    mapping_name: str = "",
    send_welcome: bool = True,
    progress: Progress | None = None,
    background: bool | None = None,
) -> RegisterImport:
    """Match the columns, say the lawful basis, remember the mapping if named, and check every row (the dry run).

    A register longer than ``background_rows()`` is checked by a background task unless ``background`` is
    False (the command line checks in the foreground, with a progress bar): the import is then "checking"
    until the task is done, and its page says how far it has got.
    """
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    _open(register_import, actor, Status.MAPPING, Status.CHECKED)
    errors: dict[str, list[str]] = {}
    mapping = {int(i): f for i, f in mapping.items() if f}
    problems = rules.mapping_problems(mapping, register_import.headers, register_import.kind)
    if problems:
        errors["mapping"] = problems
    people = register_import.kind == Kind.PEOPLE
    if not people:
        lawful_basis, lawful_basis_note, send_welcome = "", "", False
    elif lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = [_("Choose the lawful basis on which you hold these people's details.")]
    mapping_name = mapping_name.strip()
    if len(mapping_name) > 80:
        errors["mapping_name"] = [_("Keep the mapping's name to 80 characters.")]
    if errors:
        raise ValidationError(errors)
    if mapping_name:
        ImportMapping.objects.update_or_create(
            organisation=register_import.organisation,
            kind=register_import.kind,
            name=mapping_name,
            defaults={
                "columns": {register_import.headers[i]: f for i, f in sorted(mapping.items())},
                "updated_by": actor,
            },
        )
    register_import.mapping = {str(i): f for i, f in sorted(mapping.items())}
    register_import.mapping_name = mapping_name
    register_import.lawful_basis = lawful_basis
    register_import.lawful_basis_note = lawful_basis_note.strip()[:300]
    register_import.send_welcome = send_welcome
    register_import.decisions = {}
    register_import.task_problem = ""
    if background if background is not None else register_import.row_count > background_rows():
        register_import.status = Status.CHECKING
        register_import.progress_done, register_import.progress_total = 0, register_import.row_count
        register_import.save()
        _enqueue("check", register_import.pk)
        return register_import
    _check(register_import, progress)
    register_import.status = Status.CHECKED
    register_import.save()
    return register_import


def _enqueue(work: str, import_id: int, actor_id: int = 0) -> None:
    from . import tasks

    if work == "check":
        transaction.on_commit(lambda: tasks.check_rows_task.enqueue(import_id))
    else:
        transaction.on_commit(lambda: tasks.import_rows_task.enqueue(import_id, actor_id))


def _saving_progress(import_id: int) -> Progress:
    def saved(done: int, total: int) -> None:
        RegisterImport.objects.filter(pk=import_id).update(progress_done=done, progress_total=total)

    return saved


def run_check(import_id: int) -> dict[str, int]:
    """The background check of a large register: outside a transaction, so its page sees how far it has got."""
    found = RegisterImport.objects.select_related("organisation").filter(pk=import_id).first()
    if found is None or found.status != Status.CHECKING:
        return {}
    try:
        _check(found, _saving_progress(import_id))
    except Exception:
        RegisterImport.objects.filter(pk=import_id, status=Status.CHECKING).update(
            status=Status.MAPPING, task_problem=_("The check stopped with an error. Try again, or split the file.")
        )
        raise
    with transaction.atomic():
        current = RegisterImport.objects.select_for_update().get(pk=import_id)
        if current.status == Status.CHECKING:
            current.checks_data, current.counts = found.checks_data, found.counts
            current.status, current.progress_done = Status.CHECKED, current.row_count
            current.save()
    return dict(found.counts)


def run_import(import_id: int, actor_id: int) -> dict[str, int]:
    """The background import of a large register, as ``confirm`` writes a small one."""
    found = RegisterImport.objects.filter(pk=import_id).first()
    actor = User.objects.filter(pk=actor_id).first()
    if found is None or actor is None or found.status != Status.IMPORTING:
        return {}
    try:
        return dict(_write(actor=actor, register_import=found, statuses=(Status.IMPORTING,)).counts)
    except Exception as error:
        problem = " ".join(error.messages) if isinstance(error, ValidationError) else ""
        RegisterImport.objects.filter(pk=import_id, status=Status.IMPORTING).update(
            status=Status.CHECKED,
            task_problem=(problem or _("The import stopped with an error, and nothing was written. Try again."))[:500],
        )
        if isinstance(error, ValidationError):
            return {}
        raise


def _check(register_import: RegisterImport, progress: Progress | None = None) -> list[rules.RowCheck]:
    """Check every row against the register as it is now, and keep the result and its counts on the import."""
    organisation = register_import.organisation
    kind = register_import.kind
    mapping = register_import.column_mapping
    vocabulary = selectors.vocabulary(organisation if kind != Kind.PEOPLE else None)
    rows = register_import.rows
    today = timezone.localdate()
    checks = []
    for number, row in enumerate(rows, start=2):
        checks.append(rules.check_row(number, row, mapping, vocabulary, kind, today))
        if progress is not None and (number % 100 == 0 or number == len(rows) + 1):
            progress(number - 1, len(rows))
    if kind == Kind.OPPORTUNITIES:
        rules.find_repeated_opportunities(checks, selectors.existing_opportunities(organisation))
    elif kind == Kind.ATTENDANCE:
        _check_attendance(organisation, checks)
    else:
        rules.find_duplicates(checks, selectors.existing_people(organisation))
        for check in checks:
            if check.ok:
                _full_clean(check)
    register_import.checks_data = json.dumps([_stored(c) for c in checks])
    register_import.counts = _counts(checks, register_import.decisions, kind)
    return checks


def _check_attendance(organisation: Organisation, checks: list[rules.RowCheck]) -> None:
    """Who each row is, which session it joins (one in WithUs, or one the import makes), and what is recorded already.

    Rows of one meeting (same title and date) make one session. A session the import makes needs a venue
    or an online link; attendance already recorded is left as it is and the row skipped.
    """
    rules.match_people(checks, selectors.existing_people(organisation))
    sessions = selectors.past_sessions(organisation)
    good = [c for c in checks if c.ok]
    for check in good:
        found = sessions.get((rules.key(str(check.values["session_title"])), str(check.values["date"])))
        if found is not None:
            check.values["session_id"] = found
        elif not check.values.get("venue") and not check.values.get("online_link"):
            check.problems.append(
                _("There is no session called %(title)s on that date yet: add a venue or online link column.")
                % {"title": check.values["session_title"]}
            )
    recorded = selectors.recorded_attendance(
        organisation, [c.values["session_id"] for c in good if "session_id" in c.values]
    )
    seen: dict[tuple[str, str, int], int] = {}
    for check in good:
        if not check.ok:
            continue
        marker = (rules.key(str(check.values["session_title"])), str(check.values["date"]), int(check.match or 0))
        if marker in seen:
            check.problems.append(_("The same person at the same session as row %(row)s.") % {"row": seen[marker]})
            continue
        seen[marker] = check.number
        if (check.values.get("session_id"), check.match) in recorded:
            check.values["recorded"] = True


def _full_clean(check: rules.RowCheck) -> None:
    """The model's own checks too, so that a row the dry run passes is a row the import can write."""
    fields = {k: v for k, v in check.values.items() if k in selectors.PERSON_FIELDS}
    try:
        Person(**fields).full_clean(exclude=["user", "registered_by"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = rules.FIELDS[name].label if name in rules.FIELDS else name
            check.problems.extend(f"{label}: {m}" for m in messages)


def _stored(check: rules.RowCheck) -> dict[str, Any]:
    return {
        "row": check.number,
        "values": check.values,
        "tags": check.tags,
        "problems": check.problems,
        "match": check.match,
        "match_by": check.match_by,
    }


def _restored(stored: Mapping[str, Any]) -> rules.RowCheck:
    return rules.RowCheck(
        number=stored["row"],
        values=dict(stored["values"]),
        tags={k: list(v) for k, v in stored["tags"].items()},
        problems=list(stored["problems"]),
        match=stored["match"],
        match_by=stored["match_by"],
    )


def _decision(decisions: Mapping[str, str], check: rules.RowCheck) -> str:
    return decisions.get(str(check.number), "skip")


def _counts(checks: list[rules.RowCheck], decisions: Mapping[str, str], kind: str = Kind.PEOPLE) -> dict[str, int]:
    counts = {"rows": len(checks), "added": 0, "updated": 0, "skipped": 0, "problems": 0, "matches": 0}
    if kind == Kind.ATTENDANCE:
        counts["sessions"] = 0
    new_sessions: set[tuple[str, str]] = set()
    for check in checks:
        if not check.ok:
            counts["problems"] += 1
            counts["skipped"] += 1
            continue
        if kind == Kind.ATTENDANCE:
            if check.values.get("recorded"):
                counts["skipped"] += 1
                continue
            counts["added"] += 1
            if "session_id" not in check.values:
                new_sessions.add((rules.key(str(check.values["session_title"])), str(check.values["date"])))
            continue
        if check.match is None or kind != Kind.PEOPLE:
            counts["added"] += 1
            continue
        counts["matches"] += 1
        decision = _decision(decisions, check)
        counts[{"merge": "updated", "keep_apart": "added", "skip": "skipped"}[decision]] += 1
    if kind == Kind.ATTENDANCE:
        counts["sessions"] = len(new_sessions)
    return counts


@transaction.atomic
def decide(*, actor: User, register_import: RegisterImport, decisions: Mapping[Any, str]) -> RegisterImport:
    """For rows that match someone registered: merge into them, keep apart as a new person, or skip."""
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    _open(register_import, actor, Status.CHECKED)
    if register_import.kind != Kind.PEOPLE and decisions:
        raise ValidationError({"decisions": [_("Only an import of people has matches to decide.")]})
    matching = {str(c["row"]) for c in register_import.checks if c["match"] is not None and not c["problems"]}
    chosen = dict(register_import.decisions)
    for row, decision in decisions.items():
        if decision not in DECISIONS:
            raise ValidationError(
                {"decisions": [_("Choose merge, keep apart or skip for row %(row)s.") % {"row": row}]}
            )
        if str(row) not in matching:
            raise ValidationError(
                {"decisions": [_("Row %(row)s does not match anyone already registered.") % {"row": row}]}
            )
        chosen[str(row)] = decision
    register_import.decisions = chosen
    register_import.counts = _counts([_restored(c) for c in register_import.checks], chosen, register_import.kind)
    register_import.save(update_fields=["decisions", "counts"])
    return register_import


def confirm(
    *,
    actor: User,
    register_import: RegisterImport,
    decisions: Mapping[Any, str] | None = None,
    progress: Progress | None = None,
    background: bool | None = None,
) -> RegisterImport:
    """Write the import: every good row, in one transaction; rows with problems are skipped whole.

    The rows are checked again first, against the register as it is now, so that someone registered
    since the dry run is matched rather than added twice. Welcomes go once the import is written.
    A register longer than ``background_rows()`` is written by a background task unless ``background``
    is False; the import is "importing" until it is done.
    """
    if decisions:
        register_import = decide(actor=actor, register_import=register_import, decisions=decisions)
    if background if background is not None else register_import.row_count > background_rows():
        with transaction.atomic():
            found = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
            _open(found, actor, Status.CHECKED)
            found.status, found.task_problem = Status.IMPORTING, ""
            found.progress_done, found.progress_total = 0, found.row_count
            found.save()
            _enqueue("import", found.pk, actor.pk)
        return found
    return _write(actor=actor, register_import=register_import, progress=progress, statuses=(Status.CHECKED,))


def _write(
    *,
    actor: User,
    register_import: RegisterImport,
    statuses: tuple[str, ...],
    progress: Progress | None = None,
) -> RegisterImport:
    with transaction.atomic():
        register_import = (
            RegisterImport.objects.select_for_update().select_related("organisation").get(pk=register_import.pk)
        )
        _open(register_import, actor, *statuses)
        checks = _check(register_import, progress)
        tags = selectors.tags_by_slug()
        added: list[Person] = []
        with acting_as(actor):
            if register_import.kind == Kind.OPPORTUNITIES:
                _write_opportunities(register_import, actor, checks)
            elif register_import.kind == Kind.ATTENDANCE:
                _write_attendance(register_import, actor, checks)
            for check in checks if register_import.kind == Kind.PEOPLE else ():
                if not check.ok:
                    continue
                decision = _decision(register_import.decisions, check) if check.match is not None else "add"
                if decision == "skip":
                    continue
                if decision == "merge":
                    _merge(register_import, check, tags)
                else:
                    added.append(_add(register_import, actor, check, tags))
        now = timezone.now()
        register_import.status = Status.IMPORTED
        register_import.imported_at = now
        register_import.imported_by = actor
        register_import.undo_until = now + timedelta(days=undo_days())
        register_import.progress_done = register_import.row_count
        register_import.rows_data = ""
        register_import.checks_data = ""
        register_import.save()
        if register_import.send_welcome:
            ids = [p.pk for p in added]
            organisation = register_import.organisation
            transaction.on_commit(lambda: _welcome(organisation, ids))
    return register_import


NOT_RECORDED = gettext_lazy("Not recorded before this opportunity was brought into WithUs.")


def _write_opportunities(register_import: RegisterImport, actor: User, checks: list[rules.RowCheck]) -> None:
    """Each good row as an opportunity: closed if it has ended, else a draft. Nothing an import writes is published."""
    organisation = register_import.organisation
    groups = Group.objects.filter(organisation=organisation).in_bulk()
    for check in checks:
        if not check.ok:
            continue
        values = dict(check.values)
        closed = bool(values.pop("closed", False))
        fields: dict[str, Any] = {k: v for k, v in values.items() if k in rules.OPPORTUNITY_FIELDS}
        for name in ("starts_on", "ends_on", "closes_on"):
            if fields.get(name):
                fields[name] = date.fromisoformat(fields[name])
        if "group" in fields:
            fields["group"] = groups.get(fields["group"])
        for name in ("intended_outcomes", "influence"):
            fields[name] = fields.get(name) or str(NOT_RECORDED)
        fields["level"] = int(fields["level"])
        opportunity = opportunity_services.bring_in_opportunity(
            actor=actor, organisation=organisation, fields=fields, closed=closed
        )
        ImportedRecord.objects.create(register_import=register_import, row=check.number, opportunity=opportunity)


def _write_attendance(register_import: RegisterImport, actor: User, checks: list[rules.RowCheck]) -> None:
    """Each good row as attendance at a past session: rows of one meeting share a session, made held if new."""
    organisation = register_import.organisation
    rows = [c for c in checks if c.ok and not c.values.get("recorded")]
    people: dict[int, Person] = {}
    ids = sorted({int(c.match) for c in rows if c.match is not None})
    for start in range(0, len(ids), 500):
        people.update(Person.objects.sharing_with(organisation).in_bulk(ids[start : start + 500]))
    sessions: dict[Any, Session] = {}
    known = sorted({int(c.values["session_id"]) for c in rows if "session_id" in c.values})
    for start in range(0, len(known), 500):
        sessions.update(Session.objects.filter(organisation=organisation).in_bulk(known[start : start + 500]))
    groups = Group.objects.filter(organisation=organisation).in_bulk()
    venues = Venue.objects.filter(organisation=organisation).in_bulk()
    for check in rows:
        values = check.values
        person = people.get(int(check.match or 0))
        if person is None:
            raise ValidationError(_("Row %(row)s: that person is no longer registered here.") % {"row": check.number})
        marker: Any = values.get("session_id") or (rules.key(str(values["session_title"])), str(values["date"]))
        session = sessions.get(marker)
        if session is None:
            session = _past_session(register_import, actor, check, groups, venues)
            sessions[marker] = session
        invitation, invited = Invitation.objects.get_or_create(
            session=session,
            person=person,
            defaults={"role": Invitation.Role.MEMBER, "reply": _REPLIES.get(values["status"], Invitation.Reply.NONE)},
        )
        attendance = meeting_services.mark_attendance(
            actor=actor,
            session=session,
            person=person,
            status=values["status"],
            role=values["role"],
            minutes_present=values.get("minutes_present"),
        )
        ImportedRecord.objects.create(
            register_import=register_import,
            row=check.number,
            invitation=invitation if invited else None,
            attendance=attendance,
        )


_REPLIES = {Attendance.Status.APOLOGIES: Invitation.Reply.APOLOGIES}


def _past_session(
    register_import: RegisterImport,
    actor: User,
    check: rules.RowCheck,
    groups: Mapping[int, Group],
    venues: Mapping[int, Venue],
) -> Session:
    values = check.values
    day = date.fromisoformat(str(values["date"]))
    starts, ends = (time.fromisoformat(str(values[name])) for name in ("starts", "ends"))
    fields: dict[str, Any] = {
        "title": values["session_title"],
        "starts_at": timezone.make_aware(datetime.combine(day, starts)),
        "ends_at": timezone.make_aware(datetime.combine(day, ends)),
        "venue": venues.get(values["venue"]) if values.get("venue") else None,
        "online_link": values.get("online_link", ""),
    }
    if values.get("group"):
        fields["group"] = groups.get(values["group"])
    session = meeting_services.plan_session(
        actor=actor, organisation=register_import.organisation, fields=fields, involvement_item=False
    )
    session.status = Session.Status.HELD
    session.save(update_fields=["status"])
    ImportedRecord.objects.create(register_import=register_import, row=check.number, session=session)
    return session


def _person_fields(check: rules.RowCheck) -> dict[str, Any]:
    return {k: v for k, v in check.values.items() if k in selectors.PERSON_FIELDS}


def _tag_objects(check: rules.RowCheck, tags: Mapping[tuple[str, str], Tag]) -> list[Tag]:
    return [tags[(kind, slug)] for kind, slugs in check.tags.items() for slug in slugs if (kind, slug) in tags]


def _basis_note(register_import: RegisterImport) -> str:
    note = _("Brought in from %(file)s (import %(id)s). Lawful basis: %(basis)s.") % {
        "file": register_import.file_name,
        "id": register_import.pk,
        "basis": register_import.get_lawful_basis_display(),
    }
    if register_import.lawful_basis_note:
        note = f"{note} {register_import.lawful_basis_note}"
    return note[:500]


def _add(
    register_import: RegisterImport, actor: User, check: rules.RowCheck, tags: Mapping[tuple[str, str], Tag]
) -> Person:
    person = Person(registered_by=actor, **_person_fields(check))
    person.full_clean(exclude=["user"])
    person.save()
    organisation = register_import.organisation
    note = _basis_note(register_import)
    with on_behalf_of(person.pk):
        person.tags.set(_tag_objects(check, tags))
        people_services.record_brought_in(
            person=person,
            organisation=organisation,
            actor=actor,
            consented=register_import.lawful_basis == LawfulBasis.CONSENT,
            notes=note,
        )
    ImportedPerson.objects.create(
        register_import=register_import, person=person, row=check.number, action=ImportedPerson.Action.ADDED
    )
    return person


def _merge(register_import: RegisterImport, check: rules.RowCheck, tags: Mapping[tuple[str, str], Tag]) -> None:
    """Fill in and correct an already registered person's details from the row: what the file leaves empty stays."""
    assert check.match is not None
    person = Person.objects.sharing_with(register_import.organisation).get(pk=check.match)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in _person_fields(check).items():
        if value in ("", None) or (name == "preferred_channel" and "preferred_channel" not in _mapped(register_import)):
            continue
        if getattr(person, name) != value:
            before[name] = getattr(person, name)
            after[name] = value
            setattr(person, name, value)
    old_tags = set(person.tags.values_list("pk", flat=True))
    new_tags = {t.pk for t in _tag_objects(check, tags)} - old_tags
    with on_behalf_of(person.pk):
        if after:
            person.full_clean(exclude=["user"])
            person.save()
        if new_tags:
            person.tags.add(*new_tags)
    ImportedPerson.objects.create(
        register_import=register_import,
        person=person,
        row=check.number,
        action=ImportedPerson.Action.UPDATED,
        before=json.dumps({"fields": before}),
        after=json.dumps({"fields": after, "tags": sorted(new_tags)}),
    )


def _mapped(register_import: RegisterImport) -> set[str]:
    return set(register_import.mapping.values())


def _welcome(organisation: Organisation, person_ids: list[int]) -> None:
    for person in Person.objects.filter(pk__in=person_ids).prefetch_related("tags"):
        notify(
            person=person,
            organisation=organisation,
            subject=_("Your details at %(organisation)s") % {"organisation": organisation.name},
            template="imports/welcome.txt",
            context={"organisation": organisation},
        )


def _used_since(objects: list[Any], ours: Mapping[Any, set[int]]) -> int:
    """How many things deleting ``objects`` would also delete that the import did not write (0: nothing is lost)."""
    collector = Collector(using="default")
    try:
        collector.collect(objects)
    except (ProtectedError, RestrictedError) as error:
        return len(error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects) or 1
    found = 0
    for model, instances in collector.data.items():
        if model is ImportedRecord:
            continue
        found += sum(1 for instance in instances if instance.pk not in ours.get(model, set()))
    for queryset in collector.fast_deletes:
        if queryset.model is ImportedRecord or queryset.model._meta.auto_created:
            continue
        mine = ours.get(queryset.model, set())
        found += sum(1 for pk in queryset.values_list("pk", flat=True).iterator() if pk not in mine)
    # Rows that would only lose their link (a fee line's attendance, set to null) count as well.
    for (field, _value), batches in collector.field_updates.items():
        if field.model is ImportedRecord:
            continue
        mine = ours.get(field.model, set())
        for batch in batches:
            found += sum(1 for pk in _pks(batch) if pk not in mine)
    return found


def _pks(batch: Any) -> list[int]:
    """The primary keys of what a deletion would change: a queryset, or the instances Django collected."""
    if hasattr(batch, "values_list"):
        return list(batch.values_list("pk", flat=True))
    return [instance.pk for instance in batch]


def _history(person_ids: list[int]) -> int:
    """How many of these people have something since the import that deleting them would lose."""
    collector = Collector(using="default")
    collector.collect(list(Person.objects.filter(pk__in=person_ids)))
    involved: set[int] = set()
    for model, instances in collector.data.items():
        if model in UNDO_TAKES:
            continue
        for instance in instances:
            person_id = getattr(instance, "person_id", None)
            involved.add(person_id if person_id is not None else -1)
    for queryset in collector.fast_deletes:
        if queryset.model in UNDO_TAKES or queryset.model is Person.tags.through:
            continue
        if queryset.model._meta.auto_created:
            continue
        found = queryset.values_list("person_id", flat=True) if hasattr(queryset.model, "person_id") else None
        if found is not None:
            involved.update(found)
        elif queryset.exists():
            involved.add(-1)
    return len(involved)


@transaction.atomic
def undo(*, actor: User, register_import: RegisterImport) -> RegisterImport:
    """Take the whole import back: people it added go, people it updated get their details back.

    Refused while anyone it added has taken part since (applied, attended, been paid...), which
    deleting them would lose; and after ``undo_until``. A detail someone has changed again since
    the import is left as they changed it.
    """
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    _check_admin(actor, register_import.organisation)
    if not register_import.can_undo():
        raise ValidationError(_("This import can no longer be undone."))
    if register_import.kind != Kind.PEOPLE:
        _undo_history(register_import, actor)
    else:
        _undo_people(register_import, actor)
    register_import.status = Status.UNDONE
    register_import.undone_at = timezone.now()
    register_import.undone_by = actor
    register_import.save()
    return register_import


def _undo_people(register_import: RegisterImport, actor: User) -> None:
    added = list(register_import.people.filter(action=ImportedPerson.Action.ADDED).values_list("person_id", flat=True))
    involved = _history(added)
    if involved:
        raise ValidationError(
            _(
                "%(n)s of the people this import added have taken part since (an application, a session, a "
                "payment...). Undoing would lose that, so nothing was undone. Remove the others one by one instead."
            )
            % {"n": involved}
        )
    with acting_as(actor):
        for record in register_import.people.filter(action=ImportedPerson.Action.UPDATED).select_related("person"):
            _put_back(record)
        Person.objects.filter(pk__in=added).delete()
    register_import.people.all().delete()


def _undo_history(register_import: RegisterImport, actor: User) -> None:
    """Take back the opportunities, sessions and attendance the import wrote.

    Refused while an opportunity it added has applications or sessions since, or a session it made
    has attendance, papers or claims it did not bring in: undoing would lose them.
    """
    records = list(register_import.records.all())
    opportunities = [r.opportunity_id for r in records if r.opportunity_id]
    sessions = [r.session_id for r in records if r.session_id]
    attendance = {r.attendance_id for r in records if r.attendance_id}
    ours = {
        Attendance: attendance,
        Invitation: {r.invitation_id for r in records if r.invitation_id},
        Session: set(sessions),
        Opportunity: set(opportunities),
    }
    since = 0
    # What was written into sessions already in WithUs (a fee claimed on imported attendance...) counts too.
    for model, ids in ((Session, sessions), (Opportunity, opportunities), (Attendance, sorted(attendance))):
        for start in range(0, len(ids), 500):
            since += _used_since(list(model.objects.filter(pk__in=ids[start : start + 500])), ours)
    if since:
        raise ValidationError(
            _(
                "Some of what this import brought in has been used since (an application, a session, a paper or "
                "attendance recorded in WithUs). Undoing would lose that, so nothing was undone."
            )
        )
    with acting_as(actor):
        for start in range(0, len(records), 500):
            chunk = records[start : start + 500]
            Attendance.objects.filter(pk__in=[r.attendance_id for r in chunk if r.attendance_id]).delete()
            Invitation.objects.filter(pk__in=[r.invitation_id for r in chunk if r.invitation_id]).delete()
        for start in range(0, len(sessions), 500):
            Session.objects.filter(pk__in=sessions[start : start + 500]).delete()
        for start in range(0, len(opportunities), 500):
            Opportunity.objects.filter(pk__in=opportunities[start : start + 500]).delete()
    register_import.records.all().delete()


def _put_back(record: ImportedPerson) -> None:
    person = record.person
    before = json.loads(record.before or "{}").get("fields", {})
    after = json.loads(record.after or "{}")
    changed = False
    for name, old in before.items():
        if getattr(person, name) == after.get("fields", {}).get(name):
            setattr(person, name, old)
            changed = True
    with on_behalf_of(person.pk):
        if changed:
            person.save()
        if after.get("tags"):
            person.tags.remove(*after["tags"])


@transaction.atomic
def abandon(*, actor: User, register_import: RegisterImport) -> RegisterImport:
    """Drop an import not yet done: its rows are deleted and nothing is written."""
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    _open(register_import, actor, Status.MAPPING, Status.CHECKED)
    register_import.status = Status.ABANDONED
    register_import.rows_data = ""
    register_import.checks_data = ""
    register_import.save()
    return register_import
