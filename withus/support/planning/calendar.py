"""A planned supervision as an iCalendar invitation (RFC 5545/5546), written as sessions' are
(``withus.meetings.calendar``): local Europe/London times with the zone's definition, a SEQUENCE
that goes up with each change, and CANCEL when it is called off. Call it inside
``translation.override`` for the reader."""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import STATUS, Calendar, Event, vCalAddress

from withus.meetings.calendar import LONDON, PRODID, london_timezone
from withus.people.models import Person

from .models import PlannedSupervision


def title(plan: PlannedSupervision) -> str:
    if plan.group is not None:
        return _("Peer supervision: %(group)s") % {"group": plan.group.name}
    return _("Supervision with %(name)s") % {"name": plan.supervisor_name}


def description(plan: PlannedSupervision) -> str:
    lines = [f"{plan.get_kind_display()} – {plan.organisation}", f"{plan.get_how_display()}: {plan.where}"]
    if plan.status == PlannedSupervision.Status.CANCELLED:
        lines.insert(0, f"{_('This supervision has been cancelled.')} {plan.cancelled_reason}".strip())
    if plan.supervisor.email:
        lines.append(f"{_('Contact')}: {plan.supervisor_name}, {plan.supervisor.email}")
    return "\n".join(lines)


def invitation_ics(plan: PlannedSupervision, person: Person) -> bytes:
    """The plan as a REQUEST (or a CANCEL once cancelled) naming ``person`` as the attendee."""
    cancelled = plan.status == PlannedSupervision.Status.CANCELLED
    supervisor = plan.supervisor
    attendee = (
        vCalAddress.new(person.email, cn=person.display_name, role="REQ-PARTICIPANT", rsvp=False)
        if person.email
        else None
    )
    event = Event.new(
        uid=f"supervision-{plan.pk}@withus",
        summary=title(plan),
        start=plan.starts_at.astimezone(LONDON),
        end=plan.ends_at.astimezone(LONDON),
        location=plan.where,
        description=description(plan),
        organizer=vCalAddress.new(supervisor.email, cn=plan.supervisor_name) if supervisor.email else None,
        attendees=[attendee] if attendee else None,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        sequence=plan.sequence,
        stamp=timezone.now().astimezone(UTC),
    )
    method = "CANCEL" if cancelled else "REQUEST"
    ical: bytes = Calendar.new(prodid=PRODID, method=method, subcomponents=[london_timezone(), event]).to_ical()
    return ical
