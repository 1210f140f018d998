"""Survey results read the organisation's one small-number threshold (accounts 0006 copied each one there)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_organisation_small_number_threshold'),
        ('impact', '0005_story_files'),
    ]

    operations = [
        migrations.DeleteModel(
            name='SurveySettings',
        ),
    ]
