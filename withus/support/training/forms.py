"""Forms for training. They check the shape of what was typed; the rules (a course needs a
length, a completion cannot be in the future) live in ``rules`` and come back from ``services``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from withus.core.forms import AccessibleModelForm, DateField
from withus.groups.models import Group
from withus.meetings.models import Session
from withus.opportunities.models import Opportunity

from . import rules
from .models import Course, LoggedLearning


class CourseForm(AccessibleModelForm):
    class Meta:
        model = Course
        fields = [
            "topic",
            "title",
            "title_cy",
            "description",
            "description_cy",
            "co_designed",
            "co_delivered",
            "accredited",
            "accredited_by",
            "length_hours",
            "refresh_months",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_cy": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "length_hours": _("For example 3, or 1.5 for an hour and a half."),
            "refresh_months": _("Leave empty if it never needs refreshing. For example 36 for every three years."),
        }
        error_messages = {
            "title": {"required": _("Give the course a title.")},
            "length_hours": {
                "required": _("Say how long the course is, in hours."),
                "invalid": _("Give the length as a number of hours, for example 2.5."),
                "max_digits": _("Give the length as a number of hours, for example 2.5."),
                "max_decimal_places": _("Give the length to the nearest tenth of an hour, for example 2.5."),
            },
            "refresh_months": {"invalid": _("Give the refresh period as a whole number of months.")},
        }

    def clean_length_hours(self) -> Decimal | None:
        length: Decimal | None = self.cleaned_data.get("length_hours")
        problem = rules.course_problems(title="-", length_hours=length, refresh_months=None).get("length_hours")
        if problem:
            raise forms.ValidationError(problem)
        return length

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class RunAsSessionForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("The session that runs this course"),
        help_text=_("Plan the session first, as any other; invitations, papers and attendance work as usual."),
        queryset=Session.objects.none(),
        error_messages={
            "required": _("Choose a session."),
            "invalid_choice": _("Choose one of your organisation's sessions."),
        },
    )

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class RequirementForm(forms.Form):
    opportunity = forms.ModelChoiceField(
        label=_("An opportunity that needs this course"),
        required=False,
        queryset=Opportunity.objects.none(),
        error_messages={"invalid_choice": _("Choose one of your organisation's opportunities.")},
    )
    group = forms.ModelChoiceField(
        label=_("Or a group whose seats need it"),
        required=False,
        queryset=Group.objects.none(),
        error_messages={"invalid_choice": _("Choose one of your organisation's groups.")},
    )

    def __init__(
        self, *args: Any, opportunities: QuerySet[Opportunity], groups: QuerySet[Group], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = opportunities  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and (data.get("opportunity") is None) == (data.get("group") is None):
            raise forms.ValidationError(_("Choose an opportunity or a group, one of them."))
        return data


class LogLearningForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Which course was it?"),
        help_text=_("The course in the organisation's catalogue that it matches."),
        queryset=Course.objects.none(),
        error_messages={"required": _("Choose the course."), "invalid_choice": _("Choose one of the courses.")},
    )
    completed_on = DateField(
        label=_("When did you finish it?"), error_messages={"required": _("Give the date you finished it.")}
    )
    provider = forms.CharField(
        label=LoggedLearning._meta.get_field("provider").verbose_name,
        max_length=200,
        error_messages={"required": _("Say where you did the training, and who ran it.")},
    )
    note = forms.CharField(
        label=LoggedLearning._meta.get_field("note").verbose_name,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, courses: QuerySet[Course], name_organisation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        field.queryset = courses  # type: ignore[attr-defined]
        if name_organisation:
            field.label_from_instance = lambda course: f"{course} ({course.organisation})"  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Does it count?"),
        choices=[("yes", _("Yes, approve it")), ("no", _("No, not approved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether it is approved.")},
    )
    reason = forms.CharField(
        label=_("If not, why not"),
        help_text=_("They will see this."),
        required=False,
        max_length=500,
    )
