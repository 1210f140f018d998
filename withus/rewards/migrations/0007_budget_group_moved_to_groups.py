"""A budget's group is now groups.Group (the same table): no change to the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0001_initial'),
        ('rewards', '0006_cash_float'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='budget',
                    name='group',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='budgets', to='groups.group', verbose_name='group'),
                ),
            ],
            # The table stays as it is, rows and all.
            database_operations=[],
        ),
    ]
