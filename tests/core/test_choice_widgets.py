"""Choice widgets write exactly the HTML Django's own templates write, options and all."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from withus.core.forms import FormRenderer
from withus.people.forms import PeopleFilterForm
from withus.rewards.finance.forms import BatchForm, ReturnForm

CHOICES: list[Any] = [
    ("", "Any"),
    ("a", "Plain"),
    ("b&c", "Fish & <chips>"),
    (3, mark_safe("<em>Safe</em>")),
    ("Group", [("g1", "In a group"), ("g2", 'Quoted "label"')]),
]


class Everything(forms.Form):
    select = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    radios = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=forms.CheckboxSelectMultiple)
    yes_no = forms.NullBooleanField(required=False)
    unlabelled = forms.ChoiceField(
        choices=CHOICES, required=False, widget=forms.RadioSelect(attrs={"class": "x", "data-on": True})
    )


def widgets(form: forms.BaseForm, renderer: Any) -> dict[str, str]:
    form.renderer = renderer
    return {name: str(form[name].as_widget()) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"select": "b&c", "many": ["a", "g2"], "radios": "3", "boxes": ["", "g1"], "yes_no": "true"},
        {"radios": "g2", "unlabelled": "a", "boxes": ["3"]},
    ],
)
def test_every_choice_widget_writes_what_django_writes(data: dict[str, Any] | None) -> None:
    for name in ("select", "multiple_input"):
        origin = FormRenderer().get_template(f"django/forms/widgets/{name}.html").origin.name  # type: ignore[attr-defined]
        assert origin == str(settings.BASE_DIR / "templates" / "django" / "forms" / "widgets" / f"{name}.html")
    ours = widgets(Everything(data), FormRenderer())
    djangos = widgets(Everything(data), DjangoTemplates())
    assert ours == djangos
    assert 'value="b&amp;c"' in ours["select"] and "<em>Safe</em>" in ours["boxes"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_busy_pages_forms_write_what_django_writes(language: str) -> None:
    with translation.override(language):
        for make in (
            lambda: PeopleFilterForm({"perspective": "carer", "need": ["audio"], "local_authority": "cardiff"}),
            lambda: PeopleFilterForm(None),
            lambda: ReturnForm(prefix="return-1"),
            lambda: BatchForm(None),
        ):
            assert widgets(make(), FormRenderer()) == widgets(make(), DjangoTemplates())
