"""Whether the configured encryption key reads what is stored, and moving stored data to a new key.

Special category data (health, equality answers, benefits, bank details) is held in
encrypted fields. The library that encrypts them returns a value it cannot decrypt
unchanged, so a wrong or lost key would not fail: pages would show ciphertext and new
data would be written under another key. So a known value is kept encrypted
(``EncryptionKeyCheck``); a system check reads it back at start-up and stops with a
clear message when it cannot.

Rotation: put the new key first in ``WITHUS_ENCRYPTION_KEY`` and the old one in
``WITHUS_ENCRYPTION_KEY_FALLBACKS``; everything stays readable (each key is tried in
turn) and new data uses the new key. ``withus encryption rotate`` then re-encrypts
every stored value with the new key, after which the old key can be dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.fernet import InvalidToken, MultiFernet
from django.apps import apps
from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError, connection, models, transaction
from encrypted_fields.fields import EncryptedFieldMixin

KNOWN_VALUE = "WithUs can read what it encrypted."


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[models.Field[object, object]]]]:
    """Every model with encrypted fields, and those fields."""
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        if fields and not model._meta.proxy:
            yield model, fields


def key_reads_stored_data() -> bool | None:
    """True if the key reads the stored check value, False if not, None if nothing is stored yet."""
    from .models import EncryptionKeyCheck

    check = EncryptionKeyCheck.objects.order_by("pk").first()
    if check is None:
        return None
    return bool(check.value == KNOWN_VALUE)


def record_key_check(**_kwargs: object) -> None:
    """Store the known value under the current key, once (after migrate, when the table exists)."""
    from .models import EncryptionKeyCheck

    try:
        if not EncryptionKeyCheck.objects.exists():
            EncryptionKeyCheck.objects.create(value=KNOWN_VALUE)
    except DatabaseError:  # the table is not there yet (a migration run to an earlier state)
        return


@register("withus")
def check_encryption_key(**_kwargs: object) -> list[CheckMessage]:
    """Refuse to start when the configured key cannot read what is stored."""
    try:
        readable = key_reads_stored_data()
    except DatabaseError:  # no database yet, or not migrated: nothing stored to read
        return []
    if readable is False:
        return [
            Error(
                "The encryption key cannot read the data already stored.",
                hint=(
                    "Set WITHUS_ENCRYPTION_KEY to the key this database was encrypted with (and "
                    "WITHUS_SECRET_KEY to its secret key). In development the keys are in var/keys.json: "
                    "restore that file if it was lost. To change keys, put the old key in "
                    "WITHUS_ENCRYPTION_KEY_FALLBACKS and run `withus encryption rotate`."
                ),
                id="withus.E001",
            )
        ]
    return []


@dataclass
class Rotation:
    values: int = 0
    unreadable: int = 0


def rotate(*, batch: int = 500) -> Rotation:
    """Re-encrypt every stored encrypted value with the first (current) key.

    Values are read and written as stored, below the model layer: they do not
    change, so nothing is audited as changed. A value no configured key can read is
    counted and left as it is.
    """
    result = Rotation()
    quote = connection.ops.quote_name
    for model, fields in encrypted_columns():
        table = quote(model._meta.db_table)
        pk = quote(model._meta.pk.column)
        for field in fields:
            column = quote(field.column)
            fernet = field.f  # type: ignore[attr-defined]
            last = None
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    where = f"{column} IS NOT NULL" + (f" AND {pk} > %s" if last is not None else "")
                    cursor.execute(
                        f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",  # noqa: S608
                        [last, batch] if last is not None else [batch],
                    )
                    rows = cursor.fetchall()
                    for key, stored in rows:
                        try:
                            if not isinstance(fernet, MultiFernet):  # one key only: nothing to move to
                                fernet.decrypt(stored.encode())
                                continue
                            fresh = fernet.rotate(stored.encode()).decode()
                        except InvalidToken:
                            result.unreadable += 1
                            continue
                        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [fresh, key])  # noqa: S608
                        result.values += 1
                if len(rows) < batch:
                    break
                last = rows[-1][0]
    return result
