"""Moving a model from one app to another without losing what points at it (for migrations).

Audit-log entries (``LogEntry.content_type``) and permissions refer to a content type
by its id: relabelling the row keeps both with the model. Were a row for the new label
already made (``migrate`` run part-way, whose post_migrate step makes content types for
every installed model), the old row's entries and permissions are moved onto it instead.
Call these from a ``RunPython`` operation, with the historical ``apps``.
"""

from __future__ import annotations

from typing import Any


def relabel_content_types(apps: Any, schema_editor: Any, moves: dict[str, tuple[str, str]]) -> None:
    """For each ``model: (from_app, to_app)``, make the model's content type name ``to_app``."""
    db = schema_editor.connection.alias
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(db)
    for model, (source, target) in moves.items():
        old = content_types.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a new database: content types are made after the migrations
        new = content_types.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
        else:
            _merge(apps, db, old, new)


def _merge(apps: Any, db: str, old: Any, new: Any) -> None:
    """Move the audit log and permissions of ``old`` onto ``new``, then delete ``old``."""
    log_entries = apps.get_model("auditlog", "LogEntry").objects.using(db)
    permissions = apps.get_model("auth", "Permission").objects.using(db)
    log_entries.filter(content_type=old).update(content_type=new)
    for permission in permissions.filter(content_type=old):
        twin = permissions.filter(content_type=new, codename=permission.codename).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
        else:
            twin.user_set.add(*permission.user_set.all())
            twin.group_set.add(*permission.group_set.all())
            permission.delete()
    old.delete()
