"""Messages to people now live in the people app (its 0005 adopts the table): only core's record of the model goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_encryption_key_check'),
        ('people', '0005_outgoing_message_lives_with_people'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='OutgoingMessage')],
        ),
    ]
