"""The moved models' content types now name this app, so what points at them stays attached.

Audit-log entries (``LogEntry.content_type``) and permissions refer to a content type
by its id: relabelling the row keeps both with the model. Were a row for the new label
already made (``migrate`` run part-way, whose post_migrate step makes content types for
every installed model), the old row's entries and permissions are moved onto it instead.
"""

from django.db import migrations

# model -> the app it came from
MOVED = {"group": "opportunities", "appointment": "opportunities", "reportback": "meetings"}
HERE = "groups"


def relabel(apps, schema_editor, moves):
    db = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, (source, target) in moves.items():
        old = ContentType.objects.using(db).filter(app_label=source, model=model).first()
        if old is None:
            continue  # a new database: content types are made after the migrations
        new = ContentType.objects.using(db).filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
        else:
            merge(apps, db, old, new)


def merge(apps, db, old, new):
    """Move the audit log and permissions of ``old`` onto ``new``, then delete ``old``."""
    LogEntry = apps.get_model("auditlog", "LogEntry")
    Permission = apps.get_model("auth", "Permission")
    LogEntry.objects.using(db).filter(content_type=old).update(content_type=new)
    for permission in Permission.objects.using(db).filter(content_type=old):
        twin = Permission.objects.using(db).filter(content_type=new, codename=permission.codename).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
        else:
            twin.user_set.add(*permission.user_set.all())
            twin.group_set.add(*permission.group_set.all())
            permission.delete()
    old.delete()


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, {model: (source, HERE) for model, source in MOVED.items()})


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, {model: (HERE, source) for model, source in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("auditlog", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
