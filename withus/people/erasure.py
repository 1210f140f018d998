"""Erasing a person's details (UK GDPR Art. 17; PRODUCT C11). Web, API and CLI all call these.

What goes and what stays is each app's to say (``withus.core.privacy``): everything goes
at once except payments already made, which stay as a pseudonymous ledger for 6 years
after their tax year. Money still owed is paid first, unless the person gives it up.

Every erasure is written, without identity, to the erasure log kept beside the
database (``WITHUS_ERASURE_LOG``), so that after a backup is restored ``replay``
applies it again. The person is told by their own channel: an e-mail goes before their
address is removed; a letter's address is kept, encrypted, only until it is printed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.accounts.models import SecurityEvent, User
from withus.accounts.services import record_security_event
from withus.core import pdf, privacy
from withus.core.audit import forget
from withus.core.letters import address_block

from .models import Erasure, Person

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a letter
KEEP_ON_LEDGER = {"id", "created_at", "erased_at", "updated_at"}


@dataclass
class Plan:
    """What erasing a person would do now: what stays, what is owed, and whether it must wait."""

    kept: list[privacy.Kept] = field(default_factory=list)
    owed: list[privacy.Owed] = field(default_factory=list)

    @property
    def waivable(self) -> Decimal:
        return sum((o.total for o in self.owed if o.can_waive), Decimal("0.00"))

    @property
    def on_its_way(self) -> Decimal:
        return sum((o.total for o in self.owed if not o.can_waive), Decimal("0.00"))

    @property
    def kept_until(self) -> date | None:
        days = [k.until for k in self.kept if k.until]
        return max(days) if days else None

    def waits(self, *, waive_unpaid: bool) -> bool:
        """True when the erasure must wait for a payment: one on its way, or one the person keeps."""
        return any(not o.can_waive or not waive_unpaid for o in self.owed)


def plan(person: Person) -> Plan:
    return Plan(kept=privacy.kept(person), owed=privacy.owed(person))


def fingerprint(person_number: int, registered_at: datetime) -> str:
    """A hash of the register number and the moment of registering: no identity, but only this record matches."""
    moment = registered_at.astimezone(UTC).isoformat(timespec="microseconds")
    return hashlib.sha256(f"withus-erasure:{person_number}:{moment}".encode()).hexdigest()


def new_reference() -> str:
    return "E-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(10))


def log_path() -> Path:
    return Path(settings.WITHUS_ERASURE_LOG)


def _write_log(erasure: Erasure) -> None:
    """Append the erasure to the log that outlives a restore (no name, no contact details)."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "reference": erasure.reference,
        "person_number": erasure.person_number,
        "fingerprint": erasure.fingerprint,
        "requested_at": erasure.requested_at.isoformat(),
        "done_at": erasure.done_at.isoformat() if erasure.done_at else None,
        "waived_unpaid": erasure.waived_unpaid,
    }
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry, sort_keys=True) + "\n")
        log.flush()
        os.fsync(log.fileno())


@transaction.atomic
def request_erasure(
    *, person: Person, via: str, actor: User | None = None, waive_unpaid: bool = False, confirm: bool = True
) -> Erasure:
    """Erase ``person`` now, or as soon as what is owed to them is paid.

    ``waive_unpaid`` gives up approved fees and expenses not yet paid (not those already
    sent to the bank). Asking again while an erasure waits updates it.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ValidationError(_("These details have already been erased."))
    erasure = Erasure.objects.filter(person=person, status=Erasure.Status.WAITING).first()
    if erasure is None:
        erasure = Erasure(
            reference=new_reference(),
            person_number=person.pk,
            fingerprint=fingerprint(person.pk, person.created_at),
            person=person,
            via=via,
        )
    erasure.waived_unpaid = waive_unpaid
    erasure.save()
    record_security_event(kind=SecurityEvent.Kind.ERASURE, detail=f"{erasure.reference} asked for ({via})")
    if plan(person).waits(waive_unpaid=waive_unpaid):
        return erasure
    return _complete(erasure, person, confirm=confirm)


def _confirm(erasure: Erasure, person: Person, kept_until: date | None) -> None:
    """Tell the person by their channel, while their address is still held.

    Post goes by letter; everyone else with an e-mail address gets an e-mail (a letter
    if it cannot be sent); someone with neither gets a letter if an address is held.
    """
    erasure.confirmation_language = "cy" if person.prefers_welsh else "en"
    has_address = bool(person.address.strip() or person.postcode.strip())
    if person.email and not (person.preferred_channel == "post" and has_address):
        with translation.override(erasure.confirmation_language):
            body = render_to_string(
                "people/erasure_confirmation.txt",
                {"name": person.display_name, "erasure": erasure, "kept_until": kept_until},
            )
            subject = _("Your details have been erased from WithUs")
        try:
            send_mail(subject, body.strip(), None, [person.email])
            erasure.confirmation = Erasure.Confirmation.EMAIL
            return
        except OSError:
            logger.exception("Could not e-mail the confirmation of erasure %s", erasure.reference)
    if has_address:
        erasure.confirmation = Erasure.Confirmation.LETTER
        erasure.letter_address = "\n".join(address_block(person.full_name, person.address, person.postcode))
    else:
        erasure.confirmation = Erasure.Confirmation.NONE


def _strip(person: Person, reference: str) -> None:
    """What is left of a person whose payments must stay: a reference, and nothing that says who."""
    for each in Person._meta.concrete_fields:
        if each.name in KEEP_ON_LEDGER:
            continue
        setattr(person, each.attname, each.get_default())
    person.full_name = reference
    person.status = Person.Status.LEFT
    person.erased_at = timezone.now()
    person.save()


def _erase_everywhere(erasure: Erasure, person: Person) -> None:
    """Every app removes what it holds, with the audit trail of it; the person's record goes,
    or, when payments made must stay, is stripped to the erasure's reference."""
    with disable_auditlog():
        privacy.erase(person)
        LogEntry.objects.filter(additional_data__on_behalf_of=person.pk).delete()
        forget(Person.objects.filter(pk=person.pk))
        try:
            with transaction.atomic():
                Person.objects.filter(pk=person.pk).delete()
            erasure.person = None
        except ProtectedError:
            _strip(person, erasure.reference)
            erasure.person = person
    erasure.status = Erasure.Status.DONE


def _complete(erasure: Erasure, person: Person, *, confirm: bool = True) -> Erasure:
    found = plan(person)
    erasure.ledger_kept_until = found.kept_until
    if confirm:
        _confirm(erasure, person, found.kept_until)
    else:
        erasure.confirmation = Erasure.Confirmation.NONE
    _erase_everywhere(erasure, person)
    erasure.done_at = timezone.now()
    erasure.save()
    record_security_event(kind=SecurityEvent.Kind.ERASURE, detail=f"{erasure.reference} erased")
    transaction.on_commit(lambda: _write_log(erasure))
    return erasure


def complete_waiting() -> list[Erasure]:
    """Erasures whose person is no longer owed anything, done now (``withus privacy purge`` runs it daily)."""
    done = []
    for erasure in Erasure.objects.filter(status=Erasure.Status.WAITING, person__isnull=False).select_related("person"):
        person = erasure.person
        assert person is not None
        with transaction.atomic():
            if plan(person).waits(waive_unpaid=erasure.waived_unpaid):
                continue
            done.append(_complete(erasure, person))
    return done


@dataclass
class Purged:
    erased: int
    ledger_lines: dict[str, int]
    records_removed: int


def purge(today: date | None = None) -> Purged:
    """The daily round: finish waiting erasures, then remove ledgers whose time is up, and what is left of them."""
    today = today or timezone.localdate()
    finished = complete_waiting()
    counts = privacy.purge(today)
    removed = 0
    for erasure in Erasure.objects.filter(person__erased_at__isnull=False).select_related("person"):
        person = erasure.person
        assert person is not None
        try:
            with transaction.atomic():
                forget(Person.objects.filter(pk=person.pk))
                Person.objects.filter(pk=person.pk).delete()
        except ProtectedError:
            continue
        removed += 1
    return Purged(erased=len(finished), ledger_lines=counts, records_removed=removed)


@dataclass
class Replayed:
    applied: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


def replay(path: Path | None = None) -> Replayed:
    """Apply again every erasure in the log to the database as it is now (after a backup is restored).

    A record is erased again only when its number and registration moment match the
    log's fingerprint, so a new person who was given the same number is left alone.
    No confirmation is sent again.
    """
    path = path or log_path()
    found = Replayed()
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry: dict[str, Any] = json.loads(line)
        if not entry.get("done_at"):
            continue
        person = Person.objects.filter(pk=entry["person_number"], erased_at__isnull=True).first()
        if person is None or fingerprint(person.pk, person.created_at) != entry["fingerprint"]:
            found.already.append(entry["reference"])
            continue
        with transaction.atomic():
            erasure, _made = Erasure.objects.update_or_create(
                reference=entry["reference"],
                defaults={
                    "person_number": entry["person_number"],
                    "fingerprint": entry["fingerprint"],
                    "person": person,
                    "via": Erasure.Via.COMMAND,
                    "waived_unpaid": True,
                    "status": Erasure.Status.WAITING,
                },
            )
            _replayed(erasure, person)
        found.applied.append(entry["reference"])
    return found


def _replayed(erasure: Erasure, person: Person) -> None:
    """Erase again without writing the log twice or telling the person twice."""
    erasure.ledger_kept_until = plan(person).kept_until
    erasure.confirmation = erasure.confirmation or Erasure.Confirmation.NONE
    _erase_everywhere(erasure, person)
    erasure.done_at = erasure.done_at or timezone.now()
    erasure.save()


# ---- Confirmation letters ------------------------------------------------------------------


def letters_to_print() -> list[Erasure]:
    return list(
        Erasure.objects.filter(confirmation=Erasure.Confirmation.LETTER, letter_printed_at__isnull=True).order_by(
            "done_at", "pk"
        )
    )


def letters_pdf(erasures: list[Erasure], *, today: date | None = None) -> bytes:
    """One PDF of confirmation letters, each in its reader's language and on its own page."""
    if not erasures:
        raise ValueError("There are no letters to print.")
    today = today or timezone.localdate()
    bodies = []
    for erasure in erasures:
        with translation.override(erasure.confirmation_language):
            bodies.append(
                render_to_string(
                    "people/erasure_letter.html",
                    {"erasure": erasure, "address": erasure.letter_address.splitlines(), "today": today},
                )
            )
    html = render_to_string("people/erasure_letters.html", {"letters": bodies})
    return pdf.render_pdf(html, settings.SITE_URL)


def mark_letters_printed(erasures: list[Erasure]) -> int:
    """The letters went: their addresses are no longer needed, and are removed."""
    ids = [e.pk for e in erasures]
    for erasure in Erasure.objects.filter(pk__in=ids):
        erasure.letter_address = ""
        erasure.letter_printed_at = timezone.now()
        erasure.save(update_fields=["letter_address", "letter_printed_at"])
    return len(ids)
