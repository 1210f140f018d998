from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import STAFF
from withus.core.forms import DateField, set_choices
from withus.meetings.models import Session
from withus.people import selectors as people_selectors

from . import selectors
from .models import Assessment, Item, ScaleStep

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
