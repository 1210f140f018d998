"""Group and Appointment now belong to the groups app: forget them here, keep their tables and rows.

Runs after everything that pointed at opportunities.Group has been pointed at groups.Group
(meetings 0002, rewards 0007), so no model is left referring to one that is gone.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0001_initial'),
        ('meetings', '0002_reportback_moved_to_groups'),
        ('opportunities', '0002_underrepresentedtag'),
        ('rewards', '0007_budget_group_moved_to_groups'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='group',
                    name='organisation',
                ),
                migrations.AlterField(
                    model_name='opportunity',
                    name='group',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='opportunities', to='groups.group'),
                ),
                migrations.DeleteModel(
                    name='Appointment',
                ),
                migrations.DeleteModel(
                    name='Group',
                ),
            ],
            # The table stays as it is, rows and all.
            database_operations=[],
        ),
    ]
