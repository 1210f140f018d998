"""Files made in the background for the member of staff who asked: a long register, a batch of letters.

The file holds personal details, so only the person who asked may see its page or download it, while
they still hold a role that may see what it holds; it is deleted when it expires (``expires_at``, a day
by default), by ``withus privacy purge``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation


class PreparedFile(models.Model):
    class Kind(models.TextChoices):
        PEOPLE = "people", _("The people register")
        LETTERS = "letters", _("Letters to print")
        ATTENDANCE = "attendance", _("Attendance at sessions")
        PAYMENTS = "payments", _("A payment batch's file")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        PREPARING = "preparing", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Deleted after its time")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_format = models.CharField(max_length=10)  # csv, xlsx or pdf
    # What to put in the file, as asked: the people list's filters, the letters' ids, a payment batch.
    params = models.JSONField(default=dict)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="prepared/", blank=True)
    file_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    problem = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "organisation", "-created_at"], name="prepared_file_mine"),
            models.Index(fields=["status", "expires_at"], name="prepared_file_expiry"),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def working(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.PREPARING)
