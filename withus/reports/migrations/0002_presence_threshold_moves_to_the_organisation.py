"""Presence and the report read the organisation's one small-number threshold (accounts 0006 copied each one there)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_organisation_small_number_threshold'),
        ('reports', '0001_presence_and_annual_reports'),
    ]

    operations = [
        migrations.DeleteModel(
            name='PresenceSettings',
        ),
    ]
