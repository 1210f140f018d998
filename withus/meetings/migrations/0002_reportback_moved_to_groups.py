"""ReportBack now belongs to the groups app, and a session's group is groups.Group: same tables, no rows moved."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0001_initial'),
        ('meetings', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='session',
                    name='group',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sessions', to='groups.group', verbose_name='group'),
                ),
                migrations.DeleteModel(
                    name='ReportBack',
                ),
            ],
            # The table stays as it is, rows and all.
            database_operations=[],
        ),
    ]
