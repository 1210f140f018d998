"""The shipped frameworks (withus/assessments/shipped.py), written once when the app is installed."""

from typing import Any

from django.db import migrations

from withus.assessments.shipped import ship


def ship_frameworks(apps: Any, schema_editor: Any) -> None:
    ship(
        apps.get_model("assessments", "Framework"),
        apps.get_model("assessments", "ScaleStep"),
        apps.get_model("assessments", "Item"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_frameworks_and_assessments")]

    operations = [migrations.RunPython(ship_frameworks, migrations.RunPython.noop)]
