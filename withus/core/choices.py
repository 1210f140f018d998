"""A choice field's label, read the fast way.

Django's ``get_FOO_display`` rebuilds a dictionary of every choice on each call, hashing
every label; a label is translated lazily, so hashing it translates it. A list of 25
people showing four labels each translated over two thousand labels to show a hundred.
Here each field keeps a dictionary from its stored values to their (still lazy) labels,
made once and made again only if the field is given other choices, and only the label
shown is translated, into the reader's language at that moment.
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS = "_withus_choice_labels"


def choice_label(instance: models.Model, field: models.Field[Any, Any]) -> Any:
    """What ``get_FOO_display`` shows: the label of the value the instance holds, else the value itself."""
    value = getattr(instance, field.attname)
    choices = field.choices
    kept = getattr(field, _LABELS, None)
    if kept is None or kept[0] is not choices:
        kept = (choices, {make_hashable(key): label for key, label in field.flatchoices})
        if isinstance(choices, (list, tuple)):  # choices from a callable are asked afresh each time
            setattr(field, _LABELS, kept)
    return force_str(kept[1].get(make_hashable(value), value), strings_only=True)


def install() -> int:
    """Give every model's ``get_FOO_display`` that Django made the fast lookup; returns how many.

    A model that writes its own ``get_FOO_display`` keeps it.
    """
    django_display = models.Model._get_FIELD_display  # type: ignore[attr-defined]
    replaced = 0
    for model in apps.get_models(include_auto_created=True):
        for name, attribute in list(vars(model).items()):
            if isinstance(attribute, partialmethod) and attribute.func is django_display:
                setattr(model, name, partialmethod(choice_label, field=attribute.keywords["field"]))
                replaced += 1
    return replaced
