"""Model fields shared by every app: text, yes/no answers, choices and numbers encrypted at rest."""

from __future__ import annotations

import contextlib
from typing import Any

from cryptography.fernet import InvalidToken
from encrypted_fields.fields import (
    EncryptedBooleanField,
    EncryptedCharField,
    EncryptedFieldMixin,
    EncryptedIntegerField,
    EncryptedTextField,
)


class EncryptedText(EncryptedTextField):  # type: ignore[misc]  # the library ships no type hints
    """Free text encrypted at rest that behaves like an ordinary optional text field.

    The library stores nothing (NULL) for an empty value, so the column is nullable,
    but the value always reads back as a string: "" when nothing was written, never None.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs["null"] = True
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        value = super().from_db_value(value, expression, connection)
        return "" if value is None else value

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return "" if value is None else value


class _EveryValueEncrypted(EncryptedFieldMixin):  # type: ignore[misc]  # untyped library
    """Writes every value encrypted, the empty ones too, and reads back the field's own type.

    The library stores nothing (NULL) for an empty or false value, which tells anyone
    reading the table that the value is False, 0, blank or unknown: for a yes/no answer,
    that is the answer. So False, None and "" are encrypted like any other value, and as
    short values are padded to one block, every answer is stored at the same length.

    A value that is not ciphertext is read as it is: what a form has just cleaned, or a
    value stored before the field was encrypted (the migration that encrypts a column
    reads those and writes them back).
    """

    def get_prep_value(self, value: Any) -> Any:
        # The plain field's own preparation (a bool, an int, a str), skipping the library's.
        plain = super(EncryptedFieldMixin, self).get_prep_value(value)
        return self.f.encrypt(("" if plain is None else str(plain)).encode("utf-8")).decode("utf-8")

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not hasattr(self, "_already_decrypted"):
            with contextlib.suppress(InvalidToken):  # not ciphertext: read as it is
                value = self.f.decrypt(value.encode("utf-8")).decode("utf-8")
        if value == "" and self.null:
            return None
        return super(EncryptedFieldMixin, self).to_python(self.plain(value))

    def plain(self, value: Any) -> Any:
        """A decrypted or stored text in the form the plain field reads."""
        return value


class EncryptedBoolean(_EveryValueEncrypted, EncryptedBooleanField):  # type: ignore[misc]
    """A yes/no answer encrypted at rest (True and False look alike in the table)."""

    def plain(self, value: Any) -> Any:
        # PostgreSQL turns a boolean column into text as "true"/"false", which Django's field does not read.
        return value.lower() == "true" if isinstance(value, str) and value.lower() in ("true", "false") else value


class EncryptedChoice(_EveryValueEncrypted, EncryptedCharField):  # type: ignore[misc]
    """A short text or a choice encrypted at rest, "" included."""


class EncryptedNumber(_EveryValueEncrypted, EncryptedIntegerField):  # type: ignore[misc]
    """A whole number encrypted at rest; with ``null=True``, "no number" is encrypted too."""
