"""Reminders of actions from assessments' gaps, sent the way the meetings' action reminders are.

The same rule decides when (``meetings.reminders.action_reminder``: once when due within two local
days, once when overdue, for up to four weeks), and the same ``send_once`` sends each at most once
under its own unique key (``assessment-action:<action>:due`` or ``...:overdue``), so two workers or
a rerun never send one twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext_lazy

from withus.meetings import rules as meeting_rules
from withus.meetings.models import SentReminder
from withus.meetings.reminders import (
    ACTION_DUE,
    ACTION_OVERDUE,
    LEAD_DAYS,
    OVERDUE_FOR_UP_TO_DAYS,
    Due,
    action_reminder,
    send_once,
    staff_language,
)

from .models import Action

DUE_SUBJECT = gettext_lazy("An action from an assessment is due on %(date)s")
OVERDUE_SUBJECT = gettext_lazy("An action from an assessment is overdue")
BODY = gettext_lazy(
    "%(description)s\n\nStandard: %(item)s (%(assessment)s)\nDue: %(date)s\nHow it is monitored: %(monitoring)s\n\n"
    "Record its progress: %(url)s"
)


def key(action_pk: int, kind: str) -> str:
    return f"assessment-action:{action_pk}:{'overdue' if kind == ACTION_OVERDUE else 'due'}"


def due_action_reminders(now: datetime) -> list[Due]:
    """The reminders of open actions due now and not yet sent."""
    today = meeting_rules.local(now).date()
    actions = (
        Action.objects.filter(status=Action.Status.OPEN)
        .filter(
            due_on__lte=today + timedelta(days=LEAD_DAYS), due_on__gte=today - timedelta(days=OVERDUE_FOR_UP_TO_DAYS)
        )
        .order_by("due_on", "pk")
    )
    due = []
    for action in actions:
        kind = action_reminder(due_on=action.due_on, done=False, today=today)
        if kind is not None:
            due.append(Due(kind, key(action.pk, kind), partial(_send, action.pk, kind)))
    sent = set(SentReminder.objects.filter(key__in=[d.key for d in due]).values_list("key", flat=True))
    return [d for d in due if d.key not in sent]


def _send(action_pk: int, kind: str) -> bool:
    action = (
        Action.objects.filter(pk=action_pk, status=Action.Status.OPEN)
        .select_related("owner", "item", "assessment")
        .first()
    )
    if action is None or not action.owner.email:
        return False
    with translation.override(staff_language(action.owner.email)):
        subject = str(OVERDUE_SUBJECT if kind == ACTION_OVERDUE else DUE_SUBJECT) % {"date": action.due_on}
        body = str(BODY) % {
            "description": action.description,
            "item": f"{action.item.code} {action.item.wording}",
            "assessment": action.assessment.title,
            "date": action.due_on,
            "monitoring": action.monitoring,
            "url": f"{settings.SITE_URL}/staff/assessment-actions/{action.pk}/",
        }
    send_mail(subject, body, None, [action.owner.email])
    return True


def send_due_reminders(*, now: datetime) -> dict[str, int]:
    """Send every action reminder due at ``now``, each at most once; failures are tried again next run."""
    counts = {ACTION_DUE: 0, ACTION_OVERDUE: 0, "failed": 0}
    for due in due_action_reminders(now):
        try:
            outcome = send_once(due)
        except Exception:
            counts["failed"] += 1
            continue
        if outcome == "sent":
            counts[due.kind] += 1
    return counts
