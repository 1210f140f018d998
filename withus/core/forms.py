"""Accessible form rendering shared by every form, ours and allauth's.

Each field gets its label, hint and error message tied to the input with
``aria-describedby``; groups of radios or checkboxes sit in a fieldset with a
legend; the page shows an error summary linking to each field in error. Dates are
asked as three boxes, day, month and year (the GOV.UK date pattern), because a
browser's date picker is hard to use with a screen reader or on an old phone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_PARTS = ("day", "month", "year")


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


def needed_sometimes(*fields: forms.Field) -> None:
    """Fields a form requires in some cases only (its ``clean`` says which): never marked "(optional)"."""
    for field in fields:
        field.needed_sometimes = True  # type: ignore[attr-defined]


def is_optional(bound_field: forms.BoundField) -> bool:
    """Whether a person may leave the field empty whatever else they answer (it is then marked "(optional)")."""
    field = bound_field.field
    return not field.required and not getattr(field, "needed_sometimes", False)


def is_date(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, DateInputs)


class AccessibleModelForm(forms.ModelForm[Any]):
    """A ModelForm whose radio groups offer only real answers.

    Django adds a "---------" choice for model fields without a default; as a radio
    button it reads as a meaningless answer, so it is dropped (the field stays required).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            # Every date a model form asks for is typed as day, month and year (and a time).
            if type(field) is forms.DateField:
                self.fields[name] = DateField.replacing(field)
            elif type(field) is forms.DateTimeField:
                self.fields[name] = DateTimeField.replacing(field)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                continue  # no blank choice, and its queryset must stay narrowable
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = None  # keeps the queryset live, unlike a fixed list of choices
            elif isinstance(field.widget, forms.RadioSelect) and hasattr(field, "choices"):
                set_choices(field, [c for c in field.choices if c[0] != ""])


class DateInputs(forms.MultiWidget):
    """Three labelled boxes, day, month and year, named ``<field>_day``, ``<field>_month``, ``<field>_year``.

    A form posted with the field's own name holding an ISO date (``2026-03-27``), as
    scripts and older links do, is still read.
    """

    template_name = "includes/widgets/date_inputs.html"
    parts: tuple[str, ...] = DATE_PARTS
    labels = {"day": _("Day"), "month": _("Month"), "year": _("Year"), "time": _("Time")}
    # The boxes to mark as in error, set from the field's errors just before the form is drawn.
    invalid_parts: tuple[str, ...] = ()

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(
                attrs={
                    "inputmode": "text" if part == "time" else "numeric",
                    "autocomplete": "off",
                    "class": f"input date-input__{part}",
                }
            )
            for part in self.parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return [None] * len(self.parts)
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            shown: list[str | None] = [str(local.day), str(local.month), str(local.year), local.strftime("%H:%M")]
            return shown[: len(self.parts)]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year), None][: len(self.parts)]
        return [None] * len(self.parts)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            subwidget["label"] = self.labels[part]
            subwidget["part"] = part
            subwidget["attrs"].pop("required", None)
            if field_id:
                subwidget["attrs"]["id"] = f"{field_id}_{part}"
            if self.invalid_parts and part not in self.invalid_parts:
                subwidget["attrs"].pop("aria-invalid", None)
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if any(f"{name}_{part}" in data for part in self.parts):
            return [data.get(f"{name}_{part}", "") for part in self.parts]
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in self.parts)


class DateTimeInputs(DateInputs):
    """The date's three boxes and a fourth for the time (``14:30``), named ``<field>_time``."""

    parts = (*DATE_PARTS, "time")


DATE_MESSAGES: dict[str, Any] = {
    "required": _("Enter the date"),
    "invalid": _("Date must be a real date"),
    "day": _("Date must include a day"),
    "month": _("Date must include a month"),
    "year": _("Date must include a year"),
    "day_month": _("Date must include a day and month"),
    "day_year": _("Date must include a day and year"),
    "month_year": _("Date must include a month and year"),
    "day_month_year": _("Enter the date"),
    "year_digits": _("Year must include 4 numbers"),
}
TIME_PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _typed_date(value: list[str] | tuple[str, ...], messages: dict[str, Any]) -> date | None:
    """The date in the first three boxes, None when all are empty, or the GOV.UK pattern's error."""
    parts = [str(part or "").strip() for part in value[:3]]
    if not any(parts):
        return None
    missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
    if missing:
        code = "_".join(missing)
        raise ValidationError(messages[code], code=code)
    day, month, year = parts
    if not all(part.isdigit() for part in parts):
        raise ValidationError(messages["invalid"], code="invalid")
    if len(year) != 4:
        raise ValidationError(messages["year_digits"], code="year_digits")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(messages["invalid"], code="invalid") from None


def _own_messages(field: forms.Field, generic_class: type[forms.Field]) -> dict[str, Any]:
    """A field's messages that its form set, leaving out Django's generic ones."""
    generic = {**forms.Field.default_error_messages, **getattr(generic_class, "default_error_messages", {})}
    return {code: message for code, message in field.error_messages.items() if generic.get(code) != message}


FieldT = TypeVar("FieldT", bound=forms.Field)


def _replacing(cls: type[FieldT], field: forms.Field, generic_class: type[forms.Field]) -> FieldT:
    """A ``cls`` in place of ``field`` (a plain Django field of ``generic_class``), keeping what was set on it:
    whether it is required, its label, first value, help, its own messages, whether it is disabled, its checks."""
    return cls(
        required=field.required,
        label=field.label,
        initial=field.initial,
        help_text=field.help_text,
        error_messages=_own_messages(field, generic_class),
        disabled=field.disabled,
        validators=field.validators,
    )


class DateField(forms.DateField):
    """A date typed as day, month and year, with the GOV.UK pattern's messages.

    A part left out is named ("Date must include a month"); numbers that make no date
    ("31 2 2026") are "not a real date"; a year needs four numbers, so "26" is never
    guessed as 1926 or 2026.
    """

    widget = DateInputs
    example = _("For example, 27 3 2026")
    default_error_messages = DATE_MESSAGES

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, (list, tuple)):
            return _typed_date(value, self.error_messages)
        return super().to_python(value)

    @classmethod
    def replacing(cls, field: forms.DateField) -> DateField:
        """This field in place of a plain ``forms.DateField`` (as a model form makes), keeping what was set on it."""
        return _replacing(cls, field, forms.DateField)


class DateTimeField(forms.DateTimeField):
    """A date as day, month and year with a time as hours and minutes on the 24-hour clock, in UK time."""

    widget = DateTimeInputs
    example = _("For example, 27 3 2026 and 14:30")
    default_error_messages = {
        **DATE_MESSAGES,
        "time": _("Enter the time as hours and minutes, for example 14:30"),
        "time_invalid": _("Time must be a real time, for example 14:30"),
    }

    def to_python(self, value: Any) -> datetime | None:
        if not isinstance(value, (list, tuple)):
            return super().to_python(value)
        day = _typed_date(value, self.error_messages)
        time_text = str(value[3] if len(value) > 3 else "").strip()
        if day is None and not time_text:
            return None
        if day is None:
            raise ValidationError(self.error_messages["day_month_year"], code="day_month_year")
        if not time_text:
            raise ValidationError(self.error_messages["time"], code="time")
        match = TIME_PATTERN.match(time_text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError(self.error_messages["time_invalid"], code="time_invalid")
        return from_current_timezone(datetime.combine(day, time(int(match[1]), int(match[2]))))

    @classmethod
    def replacing(cls, field: forms.DateTimeField) -> DateTimeField:
        """This field in place of a plain ``forms.DateTimeField``, keeping what was set on it."""
        return _replacing(cls, field, forms.DateTimeField)


def invalid_date_parts(bound_field: forms.BoundField) -> tuple[str, ...]:
    """The boxes of a date in error: those left out, the year when it is short, else all three."""
    if not bound_field.errors:
        return ()
    parts = bound_field.field.widget.parts if isinstance(bound_field.field.widget, DateInputs) else DATE_PARTS
    named = {p for error in bound_field.errors.as_data() for p in parts if p in str(error.code).split("_")}
    return tuple(p for p in parts if p in named) or parts


def first_input_id(bound_field: forms.BoundField) -> str:
    """The id of the input an error summary links to: the first box in error, the first choice, or the input."""
    widget = bound_field.field.widget
    if isinstance(widget, DateInputs):
        parts = invalid_date_parts(bound_field) or widget.parts
        return f"{bound_field.auto_id}_{parts[0]}"
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound_field.auto_id}_0"
    return str(bound_field.auto_id)
