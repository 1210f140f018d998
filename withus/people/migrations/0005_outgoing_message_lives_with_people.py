"""Messages to people move from core to the people app; the table and its rows stay as they are."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from withus.core.moves import relabel_content_types


def forwards(apps, schema_editor):
    relabel_content_types(apps, schema_editor, {"outgoingmessage": ("core", "people")})


def backwards(apps, schema_editor):
    relabel_content_types(apps, schema_editor, {"outgoingmessage": ("people", "core")})


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_organisation_expenses_need_agreement'),
        ('people', '0004_encrypt_support_needs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('core', '0002_encryption_key_check'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('auditlog', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='OutgoingMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(max_length=10)),
                ('subject', models.CharField(max_length=200)),
                ('body', models.TextField()),
                ('status', models.CharField(choices=[('sent', 'Sent by e-mail'), ('to_print', 'Letter to print and post'), ('to_call', 'To tell them by phone'), ('to_text', 'To send by text message'), ('done', 'Done'), ('failed', 'Could not send')], max_length=20)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='people.person')),
            ],
            options={
                'db_table': 'core_outgoingmessage',
                'ordering': ['-created_at'],
            },
        ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
