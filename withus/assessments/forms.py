from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import STAFF
from withus.core.forms import DateField, needed_sometimes, set_choices
from withus.meetings.models import Session
from withus.people import selectors as people_selectors

from . import selectors
from .models import Assessment, Item, ScaleStep

# A framework's scale and items are typed one a line, with parts split by this.
PART = "|"

# A scorer picks one of the organisation's recent sessions as evidence; older ones are reached through the API.
EVIDENCE_SESSIONS = 50


class OpenAssessmentForm(forms.Form):
    framework = forms.TypedChoiceField(label=_("Framework"), coerce=int, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example, “4PI standards 2026”."))
    period_start = DateField(label=_("The period starts"))
    period_end = DateField(label=_("The period ends"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["framework"], [(f.pk, f.title) for f in selectors.frameworks_for(organisation)])


class InviteForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Who is invited to score"), coerce=int)
    side = forms.ChoiceField(
        label=_("They score as"),
        choices=[("member", _("Member")), ("staff", _("Staff"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = people_selectors.people_sharing_with(organisation).filter(user__isnull=False).order_by("full_name")
        staff = User.objects.filter(memberships__organisation=organisation, memberships__role__in=STAFF).distinct()
        choices = [(p.user_id, f"{p.full_name} ({_('member')})") for p in people[:500]]
        choices += [(u.pk, f"{u.get_full_name() or u.email} ({_('staff')})") for u in staff.order_by("email")]
        set_choices(self.fields["user"], [("", _("Choose someone")), *choices])


class ScoringForm(forms.Form):
    """Every item of the framework: a score on its scale, the evidence and reasons, and a session if it helps."""

    def __init__(
        self,
        *args: Any,
        assessment: Assessment,
        items: list[Item],
        steps: list[ScaleStep],
        own: dict[int, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        sessions = Session.objects.filter(organisation=assessment.organisation).order_by("-starts_at")[
            :EVIDENCE_SESSIONS
        ]
        session_choices = [("", _("None")), *((s.pk, f"{s.title} ({s.starts_at:%d/%m/%Y})") for s in sessions)]
        for item in items:
            given = own.get(item.pk)
            self.fields[f"score_{item.pk}"] = forms.TypedChoiceField(
                label=f"{item.code}. {item.wording}",
                help_text=item.standard_title,
                coerce=int,
                choices=[(s.value, s.title) for s in steps],
                widget=forms.RadioSelect,
                initial=given.value if given else None,
                error_messages={"required": _("Choose a score for %(code)s.") % {"code": item.code}},
            )
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=_("Evidence and reasons for %(code)s") % {"code": item.code},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=given.evidence if given else "",
            )
            self.fields[f"session_{item.pk}"] = forms.TypedChoiceField(
                label=_("A session that shows it (optional)"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=session_choices,
                initial=given.evidence_session_id if given else "",
            )


class AgreeForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("Agreed score"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Choose “Members and staff still disagree” to keep the disagreement; it is reported, never averaged."
        ),
    )
    note = forms.CharField(
        label=_("Why, in both sides' words"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, steps: list[ScaleStep], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self.fields["value"], [*((s.value, s.title) for s in steps), ("", _("Members and staff still disagree"))]
        )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due_on = DateField(label=_("Due"))
    monitoring = forms.CharField(
        label=_("How it will be monitored"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(memberships__organisation=assessment.organisation, memberships__role__in=STAFF)
        scorers = User.objects.filter(assessment_scorings__assessment=assessment)
        users = (staff | scorers).distinct().order_by("email")
        set_choices(
            self.fields["owner"], [("", _("Choose someone")), *((u.pk, u.get_full_name() or u.email) for u in users)]
        )


class ActionProgressForm(forms.Form):
    progress = forms.CharField(
        label=_("Progress"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    done = forms.BooleanField(label=_("The action is done"), required=False)


class StrategyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )


class _OwnedForm(forms.Form):
    text = forms.CharField(label=_("What it is"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(memberships__organisation=organisation, memberships__role__in=STAFF).distinct()
        set_choices(
            self.fields["owner"],
            [("", _("Choose someone")), *((u.pk, u.get_full_name() or u.email) for u in staff.order_by("email"))],
        )


class AimForm(_OwnedForm):
    pass


class MilestoneForm(_OwnedForm):
    due_on = DateField(label=_("Due"))


class ReviewForm(forms.Form):
    on = DateField(label=_("Reviewed on"))
    note = forms.CharField(
        label=_("What the review found, and who took part"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """Each line that is not blank, with its number (from 1) and its parts split at "|"."""
    return [
        (number, [part.strip() for part in line.split(PART)])
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


class FrameworkForm(forms.Form):
    """The organisation's own framework, typed without JavaScript: its scale and its items one a line.

    The form only reads the lines; whether they make a framework (a name, two steps or more, codes
    each used once) is the service's rule, so the web and the API refuse alike, and every problem
    shows at once.
    """

    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    name_cy = forms.CharField(label=_("Name in Welsh"), required=False, max_length=200)
    description = forms.CharField(
        label=_("What it is for"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_cy = forms.CharField(
        label=_("What it is for, in Welsh"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("Where the standards come from, for example “Our members' charter, 2025”."),
    )
    scale = forms.CharField(
        label=_("Scale"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One step a line, from the lowest to met, for example “Not yet”, “Partly”, “Met”. "
            "To give a step its Welsh label too, write “Met | Wedi'i gyflawni”."
        ),
    )
    items = forms.CharField(
        label=_("Items"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One item a line: its wording alone (it is numbered for you, under the standard of the line above), "
            "or “standard | code | wording”, or “standard | code | wording | wording in Welsh”."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_sometimes(self.fields["name"], self.fields["scale"], self.fields["items"])

    def clean_scale(self) -> list[tuple[str, str]]:
        steps = []
        for number, parts in _lines(self.cleaned_data["scale"]):
            if len(parts) > 2:
                raise ValidationError(
                    _("Line %(line)s of the scale has too many parts: write “label” or “label | label in Welsh”.")
                    % {"line": number}
                )
            steps.append((parts[0], parts[1] if len(parts) == 2 else ""))
        return steps

    def clean_items(self) -> list[tuple[str, str, str, str]]:
        lines = _lines(self.cleaned_data["items"])
        for number, parts in lines:
            if len(parts) not in (1, 3, 4):
                raise ValidationError(
                    _(
                        "Line %(line)s of the items has %(parts)s parts: write the wording alone, "
                        "or “standard | code | wording”, or “standard | code | wording | wording in Welsh”."
                    )
                    % {"line": number, "parts": len(parts)}
                )
        given = {parts[1] for _n, parts in lines if len(parts) > 1}
        items = []
        standard = ""
        numbered = 0
        for _number, parts in lines:
            if len(parts) == 1:
                numbered += 1
                while str(numbered) in given:
                    numbered += 1
                items.append((standard, str(numbered), parts[0], ""))
                continue
            standard = parts[0]
            items.append((standard, parts[1], parts[2], parts[3] if len(parts) == 4 else ""))
        return items


class ItemWordingForm(forms.Form):
    text = forms.CharField(
        label=_("Wording"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    text_cy = forms.CharField(
        label=_("Wording in Welsh"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_sometimes(self.fields["text"])
