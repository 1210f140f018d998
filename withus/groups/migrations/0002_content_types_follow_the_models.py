"""The moved models' content types now name this app, so what points at them stays attached."""

from django.db import migrations

from withus.core.moves import relabel_content_types

# model -> the app it came from
MOVED = {"group": "opportunities", "appointment": "opportunities", "reportback": "meetings"}
HERE = "groups"


def forwards(apps, schema_editor):
    relabel_content_types(apps, schema_editor, {model: (source, HERE) for model, source in MOVED.items()})


def backwards(apps, schema_editor):
    relabel_content_types(apps, schema_editor, {model: (HERE, source) for model, source in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("auditlog", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
