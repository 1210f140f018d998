from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

from withus.core.forms import (
    DateInputs,
    first_input_id,
    invalid_date_parts,
    is_checkbox,
    is_date,
    is_group,
    is_optional,
)

register = template.Library()


@register.filter
def field_kind(bound_field: forms.BoundField) -> str:
    if is_group(bound_field):
        return "group"
    if is_checkbox(bound_field):
        return "checkbox"
    if is_date(bound_field):
        return "date"
    return "input"


@register.filter
def optional(bound_field: forms.BoundField) -> bool:
    """Whether the field's label says "(optional)"."""
    return is_optional(bound_field)


@register.filter
def error_target(bound_field: forms.BoundField) -> str:
    """The id an error summary's link for this field goes to."""
    return first_input_id(bound_field)


@register.simple_tag
def widget(bound_field: forms.BoundField) -> SafeString:
    """The field's input, described by its hint and error message."""
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    attrs: dict[str, Any] = {}
    if is_date(bound_field):
        # The fieldset is described by the hint and error; each box keeps its own class and
        # only the boxes in error are marked.
        date_inputs = bound_field.field.widget
        assert isinstance(date_inputs, DateInputs)
        date_inputs.invalid_parts = invalid_date_parts(bound_field)
        return bound_field.as_widget()
    if described and not is_group(bound_field):
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    css = "input"
    if isinstance(bound_field.field.widget, forms.Textarea):
        css = "textarea"
    elif isinstance(bound_field.field.widget, forms.Select) and not is_group(bound_field):
        css = "select"
    if not is_group(bound_field) and not is_checkbox(bound_field):
        existing = bound_field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{existing} {css}".strip()
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def choice_option(context: template.Context, option: dict[str, Any]) -> SafeString:
    """One ``<option>``, radio or checkbox of a choice widget, exactly as Django's own option templates write it.

    A list of choices rendered an include per option (three deep for a checkbox) and
    spent most of its time looking names up in the template context; this writes the same
    HTML, each value escaped as the template would (``value|stringformat:'s'``, and the
    label as ``{{ label }}`` shows it).
    """
    show = conditional_escape if context.autoescape else str

    def text(value: Any) -> str:
        return str(show(value if isinstance(value, SafeData) else str(value)))

    attrs = "".join(
        f" {show(name)}" if value is True else f' {show(name)}="{text(value)}"'
        for name, value in option["attrs"].items()
        if value is not False
    )
    label = render_value_in_context(option["label"], context)
    if option["template_name"] == "django/forms/widgets/select_option.html":
        html = f'<option value="{text(option["value"])}"{attrs}>{label}</option>\n'
    else:
        value = "" if option["value"] is None else f' value="{text(option["value"])}"'
        html = f'<input type="{show(option["type"])}" name="{show(option["name"])}"{value}{attrs}>\n'
        if option["wrap_label"]:
            label_for = option["attrs"].get("id")
            html = (f'<label for="{show(label_for)}">' if label_for else "<label>") + html + f" {label}</label>"
        html += "\n\n"
    return mark_safe(html)  # noqa: S308 -- every value in it is escaped above, as the template would


@register.filter
def with_columns(row: list[Any], columns: list[Any]) -> list[tuple[Any, Any]]:
    """A table row's values beside their columns' headings, for the label each cell shows on a narrow screen."""
    return list(zip(columns, row, strict=False))


@register.simple_tag(takes_context=True)
def tagged_name(context: dict[str, Any], obj: Any, field: str = "name") -> str:
    """An object's Welsh text when the page is in Welsh and a translation exists."""
    from django.utils.translation import get_language

    if get_language() == "cy":
        welsh = getattr(obj, f"{field}_cy", "")
        if welsh:
            return str(welsh)
    return str(getattr(obj, field))


@register.simple_tag
def opp_text(obj: Any, field: str) -> str:
    """Published bilingual text (``field`` / ``field_cy``) in the page's language."""
    return str(obj.text(field))
