"""The report's own sections, drafted from the year's records through each app's selectors."""

from __future__ import annotations

import statistics
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation
from withus.accounts.selectors import small_number_threshold
from withus.impact.contributions import selectors as contribution_selectors
from withus.impact.contributions.rules import Decision
from withus.impact.stories import selectors as story_selectors
from withus.impact.stories.rules import Place
from withus.meetings import selectors as meeting_selectors
from withus.meetings.models import Attendance
from withus.opportunities.models import Level
from withus.rewards.models import IncomeLine
from withus.rewards.statements.selectors import fees_paid_by_tax_year

from . import rules, selectors
from .sections import Section, register


def reach(organisation: Organisation, year: int) -> dict[str, Any]:
    found = selectors.presence(organisation, year)
    keep = ("areas", "perspectives", "tenure", "concentration", "equality")
    return {
        "facts": [[_("People involved this year"), found["involved"]]],
        "held_back": found["held_back"],
        "tables": [t for t in found["tables"] if t["key"] in keep],
    }


def activity(organisation: Organisation, year: int) -> dict[str, Any]:
    start, end = selectors.year_times(year)
    small = small_number_threshold(organisation)
    levels = {row.level: row for row in meeting_selectors.attendance_by_level(organisation, start=start, end=end)}
    attended = Attendance.objects.filter(
        session__organisation=organisation,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        status=Attendance.Status.ATTENDED,
    )
    minutes = attended.exclude(minutes_present=None).aggregate(m=Sum("minutes_present"))["m"] or 0
    whole = (
        attended.filter(minutes_present=None).aggregate(
            d=Sum(ExpressionWrapper(F("session__ends_at") - F("session__starts_at"), output_field=DurationField()))
        )["d"]
        or timedelta()
    )
    hours = round(minutes / 60 + whole.total_seconds() / 3600)
    sessions = attended.aggregate(n=Count("session_id", distinct=True))["n"]
    rows = [
        [
            str(label),
            rules.held_back(levels[level].people if level in levels else 0, small),
            rules.held_back(levels[level].attended if level in levels else 0, small),
        ]
        for level, label in Level.choices
    ]
    return {
        "facts": [[_("Sessions held with members"), sessions], [_("Hours members gave"), hours]],
        "held_back": rules.held_back_text(small),
        "tables": [
            {
                "key": "activity_levels",
                "title": _("activity by pathway level"),
                "columns": [_("Pathway level"), _("People"), _("Times they took part")],
                "rows": rows,
                "chart": True,
            }
        ],
    }


def payments(organisation: Organisation, year: int) -> dict[str, Any]:
    first, last = selectors.year_days(year)
    (fees,) = fees_paid_by_tax_year(organisation, year, year)
    paid = IncomeLine.objects.filter(
        organisation=organisation, status=IncomeLine.Status.PAID, activity_date__gte=first, activity_date__lte=last
    )
    expenses = paid.filter(kind=IncomeLine.Kind.EXPENSE).aggregate(n=Count("pk"), a=Sum("amount"))
    waits = [
        (timezone.localtime(paid_at).date() - activity).days
        for activity, paid_at in paid.exclude(paid_at=None).values_list("activity_date", "paid_at")
        if paid_at is not None
    ]
    within_30 = sum(1 for w in waits if w <= 30)
    return {
        "facts": [
            [_("Fees and vouchers paid in the tax year"), fees.lines],
            [_("Amount of fees and vouchers (£)"), str(fees.amount)],
            [_("Expenses repaid"), expenses["n"]],
            [_("Amount of expenses (£)"), str(expenses["a"] or Decimal("0.00"))],
            [_("Median days from the activity to payment"), statistics.median(waits) if waits else None],
            [_("Paid within 30 days of the activity (%)"), round(100 * within_30 / len(waits)) if waits else None],
        ],
        "tables": [],
    }


def contributions(organisation: Organisation, year: int) -> dict[str, Any]:
    start, end = selectors.year_times(year)
    made = contribution_selectors.contributions_for_staff(organisation).filter(
        recorded_at__gte=start, recorded_at__lt=end
    )
    counts = dict(made.values_list("outcome").annotate(n=Count("pk", distinct=True)).order_by())
    rows = [[str(label), counts.get(value, 0)] for value, label in Decision.choices]
    rows.append([_("Not answered yet"), counts.get("", 0)])
    return {
        "facts": [[_("Contributions recorded"), sum(counts.values())]],
        "tables": [
            {
                "key": "outcomes",
                "title": _("contributions and their outcomes"),
                "columns": [_("Outcome"), _("Contributions")],
                "rows": rows,
                "chart": True,
            }
        ],
    }


def usable_stories(organisation: Organisation, year: int) -> list[Any]:
    """Stories whose consent allows the annual report today: not withdrawn, not ended, the place agreed."""
    today = timezone.localdate()
    return [
        story
        for story in story_selectors.stories_at(organisation).filter(withdrawn_at=None, until__gte=today)
        if Place.ANNUAL_REPORT in story.places
    ]


def stories(organisation: Organisation, year: int) -> dict[str, Any]:
    return {
        "facts": [],
        "stories": [
            {
                "id": s.pk,
                "person_id": s.person_id,
                "title": s.title,
                "summary": s.summary,
                "by": s.person.full_name if s.named else "",
            }
            for s in usable_stories(organisation, year)
        ],
        "tables": [],
    }


def register_all() -> None:
    register(Section("reach", gettext_lazy("Reach and diversity"), reach, order=10))
    register(Section("activity", gettext_lazy("Activity by pathway level"), activity, order=20))
    register(Section("payments", gettext_lazy("Fees and expenses"), payments, order=30))
    register(Section("contributions", gettext_lazy("What people said and what changed"), contributions, order=40))
    register(Section("stories", gettext_lazy("Members' stories"), stories, "reports/section_stories.html", order=50))
