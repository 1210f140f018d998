"""Accessible form rendering shared by every form, ours and allauth's.

Each field gets its label, hint and error message tied to the input with
``aria-describedby``; groups of radios or checkboxes sit in a fieldset with a
legend; the page shows an error summary linking to each field in error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError next to the field it is about, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def set_choices(field: forms.Field, choices: Any) -> None:
    """Give a choice field its choices (typed helper: ``Form.fields`` holds plain ``Field``)."""
    field.choices = choices  # type: ignore[attr-defined]


def is_group(bound_field: forms.BoundField) -> bool:
    widget = bound_field.field.widget
    return isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))


def is_checkbox(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


class AccessibleModelForm(forms.ModelForm[Any]):
    """A ModelForm whose radio groups offer only real answers.

    Django adds a "---------" choice for model fields without a default; as a radio
    button it reads as a meaningless answer, so it is dropped (the field stays required).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                continue  # no blank choice, and its queryset must stay narrowable
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = None  # keeps the queryset live, unlike a fixed list of choices
            elif isinstance(field.widget, forms.RadioSelect) and hasattr(field, "choices"):
                set_choices(field, [c for c in field.choices if c[0] != ""])
