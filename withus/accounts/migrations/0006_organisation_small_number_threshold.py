"""One small-number threshold per organisation, instead of one for surveys and another for presence.

Each organisation keeps what it had chosen: its survey threshold (``impact.SurveySettings``) and its
presence threshold (``reports.PresenceSettings``) are copied here before those apps drop them
(``impact`` 0006 and ``reports`` 0002 run after this). Where an organisation had set both and they
differ, the higher is kept: it hides more counts, so no figure that was hidden before is shown now.
"""

import django.core.validators
from django.db import migrations, models

DEFAULT = 5


def kept_threshold(*chosen: int | None) -> int:
    """The threshold an organisation keeps from the ones it had set (None: not set): the highest, else 5."""
    found = [n for n in chosen if n is not None]
    return max(found) if found else DEFAULT


def copy_thresholds(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    SurveySettings = apps.get_model("impact", "SurveySettings")
    PresenceSettings = apps.get_model("reports", "PresenceSettings")
    surveys = dict(SurveySettings.objects.values_list("organisation_id", "small_number_threshold"))
    presence = dict(PresenceSettings.objects.values_list("organisation_id", "small_number"))
    for organisation_id in surveys.keys() | presence.keys():
        Organisation.objects.filter(pk=organisation_id).update(
            small_number_threshold=kept_threshold(surveys.get(organisation_id), presence.get(organisation_id))
        )


def copy_back(apps, schema_editor):
    """Going back: each app's own setting is the organisation's (both tables are empty again by then)."""
    Organisation = apps.get_model("accounts", "Organisation")
    SurveySettings = apps.get_model("impact", "SurveySettings")
    PresenceSettings = apps.get_model("reports", "PresenceSettings")
    for organisation_id, threshold in Organisation.objects.exclude(small_number_threshold=DEFAULT).values_list(
        "pk", "small_number_threshold"
    ):
        SurveySettings.objects.update_or_create(
            organisation_id=organisation_id, defaults={"small_number_threshold": threshold}
        )
        PresenceSettings.objects.update_or_create(organisation_id=organisation_id, defaults={"small_number": threshold})


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_safeguarding_lead_role'),
        # The two thresholds copied from: their tables must exist when this runs.
        ('impact', '0004_surveys'),
        ('reports', '0001_presence_and_annual_reports'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='small_number_threshold',
            field=models.PositiveSmallIntegerField(default=5, help_text='Counts below this are hidden in charts, tables, exports and the API, so nobody can be picked out.', validators=[django.core.validators.MinValueValidator(2, 'Choose a number from 2 to 50.'), django.core.validators.MaxValueValidator(50, 'Choose a number from 2 to 50.')], verbose_name='hide any count below'),
        ),
        migrations.RunPython(copy_thresholds, copy_back),
    ]
