"""Generic records the core keeps: the check that the encryption key reads what is stored."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from encrypted_fields.fields import EncryptedTextField


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
