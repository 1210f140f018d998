from django.db import migrations


def load(apps, schema_editor):
    from withus.people.vocabulary import TAGS

    Tag = apps.get_model("people", "Tag")
    for kind, entries in TAGS.items():
        for slug, name, name_cy in entries:
            Tag.objects.get_or_create(kind=kind, slug=slug, defaults={"name": name, "name_cy": name_cy})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
