"""An existing register brought in from a spreadsheet, checked first and undoable as a whole.

The file's rows are kept, encrypted, only until the import is done or abandoned; what stays is
how many were added, updated and skipped, and for each person brought in the row they came from,
the lawful basis the admin gave for holding their details and, for someone already registered
whose details the import changed, what those details were before (so an undo puts them back).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.fields import EncryptedText


class Kind(models.TextChoices):
    PEOPLE = "people", _("People")
    OPPORTUNITIES = "opportunities", _("Opportunities")
    ATTENDANCE = "attendance", _("Past attendance")


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1): why the organisation may hold the details it brings in."""

    CONSENT = "consent", _("Consent: each person agreed to us keeping their details")
    PUBLIC_TASK = "public_task", _("Public task: our functions as a public body")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests, with an assessment done")
    CONTRACT = "contract", _("Contract: they are paid for their involvement under an agreement")


class ImportMapping(models.Model):
    """Which WithUs field each of a register's columns is, remembered by name for the next file."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PEOPLE)
    name = models.CharField(_("name for this mapping"), max_length=80)
    columns = models.JSONField(default=dict)  # column name as in the header -> field
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "name"], name="import_mapping_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RegisterImport(models.Model):
    class Status(models.TextChoices):
        MAPPING = "mapping", _("Columns to match")
        CHECKING = "checking", _("Checking the rows")
        CHECKED = "checked", _("Checked, not imported yet")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        UNDONE = "undone", _("Undone")
        ABANDONED = "abandoned", _("Abandoned")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PEOPLE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.MAPPING)
    file_name = models.CharField(max_length=255)
    file_type = models.CharField(max_length=10)
    headers = models.JSONField(default=list)
    # The rows as read (every cell as text), and each row's check: personal details, so encrypted,
    # and emptied once the import is done, undone or abandoned.
    rows_data: Any = EncryptedText()  # text (JSON); the field class has no type hints
    checks_data: Any = EncryptedText()  # text (JSON); the field class has no type hints
    row_count = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict)  # column index (as text) -> field
    mapping_name = models.CharField(max_length=80, blank=True)
    lawful_basis = models.CharField(_("lawful basis"), max_length=30, choices=LawfulBasis.choices, blank=True)
    lawful_basis_note = models.CharField(_("where this is recorded"), max_length=300, blank=True)
    send_welcome = models.BooleanField(default=True)
    # A row matching someone registered: merge, keep_apart or skip (row number as text -> decision).
    decisions = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)
    # A large register is checked and imported by a background task (``withus worker``): how far it has got.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    task_problem = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undo_until = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="imports_of_organisation")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def rows(self) -> list[list[str]]:
        return json.loads(self.rows_data) if self.rows_data else []

    @property
    def checks(self) -> list[dict[str, Any]]:
        return json.loads(self.checks_data) if self.checks_data else []

    @property
    def column_mapping(self) -> dict[int, str]:
        return {int(k): v for k, v in self.mapping.items()}

    @property
    def working(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    def can_undo(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.IMPORTED and self.undo_until is not None and now < self.undo_until


class ImportedPerson(models.Model):
    """Someone an import added or updated: the row they came from and, for an update, what was there before."""

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        UPDATED = "updated", _("Updated")

    register_import = models.ForeignKey(RegisterImport, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    # For an update: the fields and tags as they were, and as the import set them (JSON, encrypted).
    before: Any = EncryptedText()  # text (JSON); the field class has no type hints
    after: Any = EncryptedText()  # text (JSON); the field class has no type hints

    class Meta:
        ordering = ["row"]
        indexes = [models.Index(fields=["person"], name="imported_person")]

    def __str__(self) -> str:
        return f"{self.register_import_id}:{self.row}"


class ImportedRecord(models.Model):
    """An opportunity, a past session or an attendance an import of history wrote, so that an undo can take it back."""

    register_import = models.ForeignKey(RegisterImport, on_delete=models.CASCADE, related_name="records")
    row = models.PositiveIntegerField()
    opportunity = models.ForeignKey("opportunities.Opportunity", on_delete=models.CASCADE, null=True, related_name="+")
    session = models.ForeignKey("meetings.Session", on_delete=models.CASCADE, null=True, related_name="+")
    invitation = models.ForeignKey("meetings.Invitation", on_delete=models.CASCADE, null=True, related_name="+")
    attendance = models.ForeignKey("meetings.Attendance", on_delete=models.CASCADE, null=True, related_name="+")

    class Meta:
        ordering = ["row", "pk"]

    def __str__(self) -> str:
        return f"{self.register_import_id}:{self.row}"
