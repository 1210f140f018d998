"""Model fields shared by every app."""

from __future__ import annotations

from typing import Any

from encrypted_fields.fields import EncryptedTextField


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
