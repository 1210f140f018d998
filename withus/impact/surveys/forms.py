"""Forms for building a survey and answering one; the rules they enforce are in ``rules`` and ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.forms import AccessibleModelForm
from withus.groups.models import Group
from withus.people import selectors as people_selectors

from .models import AnswerPerspective, Question, Survey


class SurveyForm(AccessibleModelForm):
    class Meta:
        model = Survey
        fields = [
            "title",
            "title_cy",
            "introduction",
            "introduction_cy",
            "audience",
            "group",
            "anonymous",
            "results_shown",
            "co_designers",
        ]
        widgets = {
            "audience": forms.RadioSelect,
            "results_shown": forms.RadioSelect,
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "introduction_cy": forms.Textarea(attrs={"rows": 3}),
            "co_designers": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "group": _("Only when the survey is for a group."),
            "results_shown": _("Decide now: the survey's page tells people which."),
            "co_designers": _("The members who designed the questions with you."),
        }
        error_messages = {"title": {"required": _("Give the survey a title.")}}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [  # type: ignore[attr-defined]
            c for c in Survey.Audience.choices if c[0] != Survey.Audience.ATTENDEES
        ]
        group = self.fields["group"]
        group.queryset = Group.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        group.required = False
        group.empty_label = _("No group")  # type: ignore[attr-defined]
        self.fields["co_designers"].queryset = people_selectors.people_sharing_with(  # type: ignore[attr-defined]
            organisation
        ).order_by("full_name")
        if self.instance.pk and self.instance.kind != Survey.Kind.SURVEY:
            # An evaluation is always for those who attended, anonymous, its results after it closes.
            for name in ("audience", "group", "anonymous", "results_shown"):
                del self.fields[name]

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "co_designers"}


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind of question"),
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of question.")},
    )
    text = forms.CharField(label=_("question"), max_length=500, error_messages={"required": _("Write the question.")})
    text_cy = forms.CharField(label=_("question in Welsh"), max_length=500, required=False)
    required = forms.BooleanField(label=_("an answer is needed"), required=False)
    options = forms.CharField(
        label=_("options"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("For a choice question: one option a line."),
    )
    options_cy = forms.CharField(
        label=_("options in Welsh"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("In the same order, one a line."),
    )
    scale_max = forms.IntegerField(
        label=_("top of the scale"),
        initial=5,
        min_value=2,
        max_value=10,
        required=False,
        help_text=_("For a scale: it runs from 1 to this."),
    )
    scale_low = forms.CharField(label=_("what 1 means"), max_length=100, required=False)
    scale_high = forms.CharField(label=_("what the top means"), max_length=100, required=False)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["options"] = data["options"].splitlines()
        data["options_cy"] = data["options_cy"].splitlines()
        data["scale_max"] = data["scale_max"] or 5
        return data


class AnswerForm(forms.Form):
    """The questions of a survey as a form; the answer rules are checked by ``services.submit_answer``."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, survey: Survey, questions: list[Question], perspective: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["perspective"] = forms.ChoiceField(
            label=_("Which view are you answering from?"),
            choices=AnswerPerspective.choices,
            widget=forms.RadioSelect,
            initial=perspective or None,
            help_text=_("Service user, carer and other answers are counted apart."),
            error_messages={"required": _("Say which view you are answering from.")},
        )
        for q in questions:
            name = f"q{q.pk}"
            label = str(q)
            field: forms.Field
            if q.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    label=label, choices=[(str(o.pk), str(o)) for o in q.options.all()], widget=forms.RadioSelect
                )
            elif q.kind == Question.Kind.SEVERAL:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=[(str(o.pk), str(o)) for o in q.options.all()],
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose any that apply."),
                )
            elif q.kind == Question.Kind.SCALE:
                points = [(str(p), str(p)) for p in range(1, q.scale_max + 1)]
                ends = " – ".join(t for t in (q.scale_low, q.scale_high) if t)
                field = forms.ChoiceField(
                    label=label,
                    choices=points,
                    widget=forms.RadioSelect,
                    help_text=_("1 to %(top)s. %(ends)s") % {"top": q.scale_max, "ends": ends},
                )
            else:
                field = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
            field.required = q.required
            if q.required:
                field.error_messages["required"] = _("Answer this question: it is needed.")
            self.fields[name] = field

    def values(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class ThemeForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    theme = forms.CharField(label=_("theme"), max_length=100)
