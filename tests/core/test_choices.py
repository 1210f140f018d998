"""A choice field's label (``get_FOO_display``) translates the one label it shows, not every label."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.encoding import force_str

from withus.core.choices import choice_label
from withus.people.models import LocalAuthority, Person


def choice_fields() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.Field) and field.choices is not None and field.model is model
    ]


def test_every_choice_label_reads_as_before_in_english_and_welsh() -> None:
    checked = 0
    for language in ("en", "cy"):
        with translation.override(language):
            for model, field in choice_fields():
                for key, label in field.flatchoices:
                    instance = model(**{field.attname: key})
                    assert getattr(instance, f"get_{field.name}_display")() == force_str(label, strings_only=True)
                    checked += 1
    assert checked > 100


def test_a_value_that_is_not_a_choice_shows_as_itself() -> None:
    assert Person(local_authority="atlantis").get_local_authority_display() == "atlantis"
    assert Person(local_authority="").get_local_authority_display() == ""


def test_showing_a_label_translates_that_label_alone() -> None:
    person = Person(local_authority=LocalAuthority.CARDIFF)
    person.get_local_authority_display()  # the field's labels are gathered once
    real = translation._trans.gettext  # type: ignore[attr-defined]
    trans: Any = translation._trans  # type: ignore[attr-defined]
    with mock.patch.object(trans, "gettext", side_effect=real) as gettext, translation.override("cy"):
        shown = person.get_local_authority_display()
    assert gettext.call_count == 1
    assert shown == "Caerdydd"


def test_a_field_given_other_choices_shows_their_labels() -> None:
    field = Person._meta.get_field("status")
    old = field.choices
    try:
        field.choices = [("active", "Taking part")]
        assert choice_label(Person(status="active"), field) == "Taking part"
    finally:
        field.choices = old
    assert Person(status="active").get_status_display() == "Active"
