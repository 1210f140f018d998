"""The data migration that moves the moved models' content types, on its own, both ways a row can be found."""

import importlib

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("withus.groups.migrations.0002_content_types_follow_the_models")


class Editor:
    connection = connection


def _logged(content_type):
    return LogEntry.objects.create(content_type=content_type, object_pk="1", object_repr="A seat", action=0)


def test_an_old_label_is_relabelled_keeping_its_id_log_and_permissions():
    ContentType.objects.filter(app_label="groups", model="appointment").delete()  # as before the move
    old = ContentType.objects.create(app_label="opportunities", model="appointment")
    permission = Permission.objects.create(content_type=old, codename="change_appointment", name="Can change")
    entry = _logged(old)

    migration.forwards(apps, Editor)
    ContentType.objects.clear_cache()

    moved = ContentType.objects.get(pk=old.pk)
    assert (moved.app_label, moved.model) == ("groups", "appointment")
    assert LogEntry.objects.get(pk=entry.pk).content_type_id == old.pk
    assert Permission.objects.get(pk=permission.pk).content_type_id == old.pk

    migration.backwards(apps, Editor)
    assert ContentType.objects.get(pk=old.pk).app_label == "opportunities"


def test_when_both_labels_exist_the_old_ones_log_and_permissions_join_the_new():
    new = ContentType.objects.get(app_label="groups", model="group")
    old = ContentType.objects.create(app_label="opportunities", model="group")
    twin = Permission.objects.get(content_type=new, codename="change_group")
    held = Permission.objects.create(content_type=old, codename="change_group", name="Can change group")
    only_old = Permission.objects.create(content_type=old, codename="archive_group", name="Can archive group")
    user = UserFactory()
    user.user_permissions.add(held)
    entry = _logged(old)

    migration.forwards(apps, Editor)

    assert not ContentType.objects.filter(pk=old.pk).exists()
    assert LogEntry.objects.get(pk=entry.pk).content_type_id == new.pk
    assert list(user.user_permissions.all()) == [twin]
    assert Permission.objects.get(pk=only_old.pk).content_type_id == new.pk
