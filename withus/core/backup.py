"""Backups of an installation on SQLite, encrypted, and restoring one (docs/operations.md).

A backup is a consistent copy of the live database made with SQLite's online backup
(safe while the product runs), encrypted so that a copy left on a shared drive or in
the cloud reveals nothing without the key. The key is derived from
``WITHUS_ENCRYPTION_KEY``, which is kept apart from backups (docs/deployment.md): a
backup and its key are never stored together. The file is written a chunk at a time,
so memory stays small however large the database.

PostgreSQL installations use ``pg_dump`` and their own encrypted storage instead (see
docs/operations.md); these functions refuse with a message saying so.
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connections

MAGIC = b"WITHUS-BACKUP-1\n"
CHUNK = 1024 * 1024
LENGTH_BYTES = 8


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the person running it."""


def _fernet() -> Fernet:
    secret = f"withus-backup:{settings.WITHUS_ENCRYPTION_KEY}".encode()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret).digest()))


def _sqlite_path(alias: str = "default") -> Path:
    if connections[alias].vendor != "sqlite":
        raise BackupError(
            "This installation runs on PostgreSQL: back it up with pg_dump as docs/operations.md describes."
        )
    return Path(str(connections[alias].settings_dict["NAME"]))


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def backup(target: Path, *, alias: str = "default") -> int:
    """Write an encrypted backup of the database to ``target``; returns the size of the copy in bytes."""
    source = _sqlite_path(alias)
    fernet = _fernet()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "copy.sqlite3"
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(copy)) as out:
            live.backup(out)
        size = copy.stat().st_size
        partial = target.with_name(target.name + ".partial")
        with copy.open("rb") as plain, partial.open("wb") as sealed:
            sealed.write(MAGIC)
            for chunk in _chunks(plain):
                token = fernet.encrypt(chunk)
                sealed.write(len(token).to_bytes(LENGTH_BYTES, "big"))
                sealed.write(token)
        partial.replace(target)  # never a half-written backup under the real name
    return size


def _decrypt_to(backup_file: Path, plain_path: Path) -> None:
    fernet = _fernet()
    with backup_file.open("rb") as sealed, plain_path.open("wb") as plain:
        if sealed.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{backup_file} is not a WithUs backup.")
        while header := sealed.read(LENGTH_BYTES):
            token = sealed.read(int.from_bytes(header, "big"))
            try:
                plain.write(fernet.decrypt(token))
            except InvalidToken:
                raise BackupError(
                    "This backup cannot be read with this installation's WITHUS_ENCRYPTION_KEY: "
                    "restore with the key it was made with."
                ) from None


def restore(backup_file: Path, *, alias: str = "default") -> None:
    """Replace the database with the one in ``backup_file``, after checking it is whole.

    The copy is decrypted and checked (SQLite's integrity check) before the live
    database is touched; then it is copied in with SQLite's backup, which is safe
    with the write-ahead log the product uses.
    """
    target = _sqlite_path(alias)
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / "restore.sqlite3"
        _decrypt_to(backup_file, plain)
        with closing(sqlite3.connect(plain)) as copy:
            try:
                (result,) = copy.execute("PRAGMA integrity_check").fetchone()
            except sqlite3.DatabaseError as error:
                raise BackupError(f"The backup's database is damaged: {error}") from None
            if result != "ok":
                raise BackupError(f"The backup's database is damaged: {result}")
            connections[alias].close()
            with closing(sqlite3.connect(target)) as live:
                copy.backup(live)
