"""Ship the recruitment strategy checklists (001 §2.1 to §2.5) and the engagement evaluation framework
(001 Appendix 1) to installations that already ran 0002 with only the first four frameworks.

``ship`` writes every framework in withus/assessments/shipped.py and changes nothing already right, so on
a new installation, where 0002 has just written all of them, this changes nothing.
"""

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
    dependencies = [("assessments", "0002_shipped_frameworks")]

    operations = [migrations.RunPython(ship_frameworks, migrations.RunPython.noop)]
