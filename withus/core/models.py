"""Messages to people, by the channel each person chose."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField


class OutgoingMessage(models.Model):
    """A message to a person. E-mails are sent at once; letters, calls and texts wait for a coordinator.

    Nobody is left out for not using e-mail: a message for someone who prefers post
    stays "to print" until a coordinator prints and posts it (001 §Barriers).
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent by e-mail")
        TO_PRINT = "to_print", _("Letter to print and post")
        TO_CALL = "to_call", _("To tell them by phone")
        TO_TEXT = "to_text", _("To send by text message")
        DONE = "done", _("Done")
        FAILED = "failed", _("Could not send")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class EncryptionKeyCheck(models.Model):
    """A known value, encrypted with the key in use when it was written.

    If the configured key cannot read it back, the key is wrong (or was lost and
    made anew), and everything encrypted would read back as ciphertext: start-up
    stops instead (see ``withus.core.encryption``).
    """

    value = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Encryption key check of {self.created_at:%Y-%m-%d}"
