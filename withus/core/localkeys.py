"""Local keys for development: created once in ``var/``, never committed."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path


def ensure(var_dir: Path) -> dict[str, str]:
    """Return the local secret and encryption keys, creating the file if absent.

    The file is written with owner-only permissions. It lives outside git
    (``var/`` is ignored) so every clone gets its own keys.
    """
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "keys.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "encryption_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return dict(json.loads(path.read_text()))
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle)
    return keys
