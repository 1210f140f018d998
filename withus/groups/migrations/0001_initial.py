"""Groups, appointments and report-backs, moved here with their tables and rows.

The tables were made by opportunities 0001 and meetings 0001, on a new database as on
an existing one, and keep their names (``db_table``). This migration only tells Django
the models now belong to this app; opportunities 0003 and meetings 0002 then forget them.
"""

import django.db.models.deletion
import django.utils.timezone
import withus.core.audit
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_organisation_expenses_need_agreement'),
        ('meetings', '0001_initial'),
        ('opportunities', '0002_underrepresentedtag'),
        ('people', '0003_person_opportunity_alerts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Group',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('name_cy', models.CharField(blank=True, max_length=200, verbose_name='name in Welsh')),
                        ('kind', models.CharField(choices=[('board', 'Board'), ('committee', 'Committee'), ('panel', 'Panel'), ('project', 'Project'), ('network', 'Local group or network')], default='committee', max_length=20, verbose_name='kind')),
                        ('makes_decisions', models.BooleanField(default=False, verbose_name='makes decisions')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='accounts.organisation')),
                    ],
                    options={
                        'db_table': 'opportunities_group',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Appointment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seat', models.CharField(choices=[('member', 'Member'), ('chair', 'Chair'), ('deputy', 'Deputy'), ('reserve', 'Reserve')], default='member', max_length=20, verbose_name='seat')),
                        ('term_start', models.DateField(verbose_name='term starts')),
                        ('planned_end', models.DateField(verbose_name='term planned to end')),
                        ('review_on', models.DateField(blank=True, null=True, verbose_name='review date')),
                        ('ended_on', models.DateField(blank=True, null=True, verbose_name='ended on')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('appointed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('buddy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.person', verbose_name='buddy or mentor')),
                        ('deputy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.person', verbose_name='deputy')),
                        ('opportunity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appointments', to='opportunities.opportunity')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appointments', to='people.person')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appointments', to='groups.group')),
                    ],
                    options={
                        'db_table': 'opportunities_appointment',
                        'ordering': ['planned_end'],
                    },
                    bases=(withus.core.audit.AuditedMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='ReportBack',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reported_to', models.CharField(max_length=200, verbose_name='the group reported to')),
                        ('summary', models.TextField(max_length=4000, verbose_name='what was reported')),
                        ('reported_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_backs', to='people.person')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_backs', to='meetings.session')),
                    ],
                    options={
                        'db_table': 'meetings_reportback',
                    },
                ),
            ],
            # The table stays as it is, rows and all.
            database_operations=[],
        ),
    ]
