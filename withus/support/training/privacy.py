"""What training holds about a person: learning they logged (courses attended are the meetings app's
attendance, which it exports), and the warnings sent before a course needed refreshing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from .models import ExpiryWarning, LoggedLearning

LEARNING_FIELDS = {
    "organisation": _("Organisation"),
    "course": _("Course"),
    "completed_on": _("Date completed"),
    "provider": _("Where you did it, and who ran it"),
    "note": _("Anything else"),
    "status": _("Status"),
    "reason": _("Why it was not approved"),
    "logged_at": _("Logged"),
}
WARNING_FIELDS = {
    "organisation": _("Organisation"),
    "course": _("Course"),
    "expires_on": _("Needs refreshing by"),
    "sent_at": _("Warned"),
}


def export(person: Person) -> list[Section]:
    def learning(item: LoggedLearning) -> Record:
        return record(
            organisation=item.course.organisation.name,
            course=item.course.title,
            completed_on=item.completed_on,
            provider=item.provider,
            note=item.note,
            status=item.status,
            reason=item.reason,
            logged_at=item.logged_at,
        )

    def warning(item: ExpiryWarning) -> Record:
        return record(
            organisation=item.course.organisation.name,
            course=item.course.title,
            expires_on=item.expires_on,
            sent_at=item.sent_at,
        )

    logged = LoggedLearning.objects.filter(person=person).select_related("course__organisation")
    warned = ExpiryWarning.objects.filter(person=person).select_related("course__organisation")
    return [
        Section(
            "logged_learning",
            _("Training you did elsewhere and told us about"),
            LEARNING_FIELDS,
            records(logged.order_by("completed_on", "pk"), learning),
        ),
        Section(
            "training_warnings",
            _("Warnings that your training needed refreshing"),
            WARNING_FIELDS,
            records(warned.order_by("sent_at", "pk"), warning),
        ),
    ]


def erase(person: Person) -> None:
    remove(LoggedLearning.objects.filter(person=person), ExpiryWarning.objects.filter(person=person))
