from django.db import migrations


def load(apps, schema_editor):
    from withus.rewards.reference import MILEAGE_RATES

    MileageRate = apps.get_model("rewards", "MileageRate")
    for first, after, passenger, valid_from, valid_to, source in MILEAGE_RATES:
        MileageRate.objects.get_or_create(
            valid_from=valid_from,
            defaults={
                "first_10000_pence": first,
                "after_pence": after,
                "passenger_pence": passenger,
                "valid_to": valid_to,
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("rewards", "0004_mileagerate_incomeline_agreed_beforehand_and_more")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
