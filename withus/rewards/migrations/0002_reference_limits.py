from django.db import migrations


def load(apps, schema_editor):
    from withus.rewards.reference import LIMITS

    BenefitLimit = apps.get_model("rewards", "BenefitLimit")
    for rule, period, amount, hours, taper, valid_from, valid_to, source, notes in LIMITS:
        BenefitLimit.objects.get_or_create(
            rule=rule, valid_from=valid_from,
            defaults={"period": period, "amount": amount, "hours_limit": hours, "taper_percent": taper,
                      "valid_to": valid_to, "source": source, "notes": notes},
        )


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
