"""What the meetings app holds about a person: invitations and attendance, debriefs, declarations, actions."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from withus.core.audit import forget
from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from .models import Action, Attendance, CalendarFeedToken, Debrief, Declaration, Invitation, Session

ATTENDANCE_FIELDS = {
    "session": _("Session"),
    "organisation": _("Organisation"),
    "starts_at": _("Starts"),
    "ends_at": _("Ends"),
    "invited_as": _("Invited as"),
    "reply": _("Your reply"),
    "invitation_sent_at": _("Invitation sent"),
    "channel": _("How it was sent"),
    "attendance": _("Attendance"),
    "role": _("Role at the session"),
    "minutes_present": _("Minutes present"),
    "checked_in_at": _("Checked in"),
    "self_checked_in": _("Checked in yourself"),
    "stood_in_for": _("Stood in for"),
}
DEBRIEF_FIELDS = {
    "session": _("Session"),
    "offered_at": _("Offered"),
    "feeling": _("How you were after the meeting"),
    "comments": _("What you told us"),
    "wants_call": _("You asked to be contacted"),
    "answered_at": _("Answered"),
    "follow_up_done_at": _("Contacted"),
}
DECLARATION_FIELDS = {
    "session": _("Session"),
    "agenda_item": _("Agenda item"),
    "declared_by": _("Who declared it"),
    "interest": _("The interest"),
    "recorded_at": _("Recorded"),
}
ACTION_FIELDS = {
    "session": _("Session"),
    "text": _("Action"),
    "due_on": _("Due"),
    "done_at": _("Done"),
}
CALENDAR_FIELDS = {
    "created_at": _("Made"),
    "revoked_at": _("Stopped"),
}


def _invitations_and_attendance(person: Person) -> list[Record]:
    """One record per session the person was invited to or attended (a deputy may attend uninvited)."""
    invitations = {
        i.session_id: i for i in Invitation.objects.filter(person=person).select_related("session__organisation")
    }
    attendance = {
        a.session_id: a
        for a in Attendance.objects.filter(person=person).select_related("session__organisation", "stood_in_for")
    }
    sessions = {**{k: a.session for k, a in attendance.items()}, **{k: i.session for k, i in invitations.items()}}
    found = []
    for session in sorted(sessions.values(), key=lambda s: (s.starts_at, s.pk)):
        invitation, attended = invitations.get(session.pk), attendance.get(session.pk)
        found.append(
            record(
                session=session.title,
                organisation=session.organisation.name,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                invited_as=invitation.role if invitation else None,
                reply=invitation.reply if invitation else None,
                invitation_sent_at=invitation.sent_at if invitation else None,
                channel=invitation.channel if invitation else None,
                attendance=attended.status if attended else None,
                role=attended.role if attended else None,
                minutes_present=attended.minutes_present if attended else None,
                checked_in_at=attended.checked_in_at if attended else None,
                self_checked_in=attended.self_checked_in if attended else None,
                stood_in_for=attended.stood_in_for.full_name if attended and attended.stood_in_for else None,
            )
        )
    return found


def _declarations(person: Person) -> list[Record]:
    """Declarations are recorded under the name given at the meeting, so: those in the person's own
    name (full or preferred) at sessions they were invited to or attended."""
    names = {n.strip().casefold() for n in (person.full_name, person.preferred_name) if n and n.strip()}
    theirs = Session.objects.filter(Q(invitations__person=person) | Q(attendance__person=person)).values("pk")
    declarations = (
        Declaration.objects.filter(session__in=theirs)
        .select_related("session", "agenda_item")
        .order_by("recorded_at", "pk")
    )
    return [
        record(
            session=d.session.title,
            agenda_item=d.agenda_item.title,
            declared_by=d.declared_by,
            interest=d.interest,
            recorded_at=d.recorded_at,
        )
        for d in declarations
        if d.declared_by.strip().casefold() in names
    ]


def _debrief(debrief: Debrief) -> Record:
    return record(
        session=debrief.session.title,
        offered_at=debrief.offered_at,
        feeling=debrief.feeling,
        comments=debrief.comments,
        wants_call=debrief.wants_call,
        answered_at=debrief.answered_at,
        follow_up_done_at=debrief.follow_up_done_at,
    )


def _action(action: Action) -> Record:
    return record(session=action.session.title, text=action.text, due_on=action.due_on, done_at=action.done_at)


def _calendar(token: CalendarFeedToken) -> Record:
    return record(created_at=token.created_at, revoked_at=token.revoked_at)


def export(person: Person) -> list[Section]:
    debriefs = Debrief.objects.filter(person=person).select_related("session").order_by("offered_at", "pk")
    actions = Action.objects.filter(owner_person=person).select_related("session").order_by("due_on", "pk")
    feeds = CalendarFeedToken.objects.filter(person=person).order_by("created_at", "pk")
    return [
        Section(
            "invitations_and_attendance",
            _("Sessions you were invited to or attended"),
            ATTENDANCE_FIELDS,
            _invitations_and_attendance(person),
        ),
        Section(
            "debriefs", _("Debriefs and wellbeing checks after sessions"), DEBRIEF_FIELDS, records(debriefs, _debrief)
        ),
        Section(
            "declarations_of_interest",
            _("Interests you declared at sessions"),
            DECLARATION_FIELDS,
            _declarations(person),
        ),
        Section("actions", _("Actions from sessions that are yours"), ACTION_FIELDS, records(actions, _action)),
        Section("calendar_feeds", _("Addresses of your personal calendar"), CALENDAR_FIELDS, records(feeds, _calendar)),
    ]


# ---- Erasure (withus.core.privacy) ---------------------------------------------------------


def erase(person: Person) -> None:
    """Invitations, attendance, debriefs, declarations in their name and calendar links go.

    A session keeps its other records; an action the person owned stays for the group,
    with nobody named as its owner.
    """
    declaration_ids = _declaration_ids(person)
    actions = Action.objects.filter(owner_person=person)
    forget(actions)
    actions.update(owner_person=None, owner_name="—", owner_email="")
    remove(
        Declaration.objects.filter(pk__in=declaration_ids),
        Debrief.objects.filter(person=person),
        Attendance.objects.filter(person=person),
        Invitation.objects.filter(person=person),
        CalendarFeedToken.objects.filter(person=person),
    )
    Attendance.objects.filter(stood_in_for=person).update(stood_in_for=None)


def _declaration_ids(person: Person) -> list[int]:
    names = {n.strip().casefold() for n in (person.full_name, person.preferred_name) if n and n.strip()}
    theirs = Session.objects.filter(Q(invitations__person=person) | Q(attendance__person=person)).values("pk")
    return [
        d.pk
        for d in Declaration.objects.filter(session__in=theirs).only("pk", "declared_by")
        if d.declared_by.strip().casefold() in names
    ]
