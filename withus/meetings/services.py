"""Every write about sessions: planning, invitations, papers, attendance and follow-up."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, CONTACTS, COORDINATING, RoleGroup
from withus.accounts.selectors import has_role, require
from withus.core import letters
from withus.core.audit import acting_as, because
from withus.groups import selectors as group_selectors
from withus.groups.models import Group
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors
from withus.people.models import OutgoingMessage, Person

from . import rules, selectors
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Debrief,
    Declaration,
    Invitation,
    MeetingStandards,
    Paper,
    Session,
    StandardOverride,
    Venue,
)

MAX_PAPER_BYTES = int(getattr(settings, "WITHUS_MAX_PAPER_BYTES", 20 * 1024 * 1024))
SESSION_FIELDS = frozenset(
    {
        "group",
        "opportunity",
        "kind",
        "title",
        "title_cy",
        "starts_at",
        "ends_at",
        "venue",
        "online_link",
        "refreshments",
        "high_level",
        "contact",
    }
)


# ---- Venues and planning ------------------------------------------------------------------------


@transaction.atomic
def save_venue(*, actor: User, organisation: Organisation, fields: dict[str, Any], venue: Venue | None = None) -> Venue:
    """Add or change a venue. Every accessibility question must be answered."""
    require(actor, organisation, COORDINATING)
    venue = venue or Venue(organisation=organisation)
    for name, value in fields.items():
        setattr(venue, name, value)
    venue.full_clean()
    venue.save()
    return venue


@transaction.atomic
def set_standards(*, actor: User, organisation: Organisation, thresholds: rules.Thresholds) -> MeetingStandards:
    """An admin changes the organisation's thresholds for the meeting standards.

    Every session's standards are judged by them from then on, so the change is audited:
    who made it and what it was.
    """
    require(actor, organisation, ADMINISTERING)
    if problems := rules.thresholds_problems(thresholds):
        raise ValidationError(problems)
    standards = MeetingStandards.objects.select_for_update().filter(organisation=organisation).first()
    standards = standards or MeetingStandards(organisation=organisation)
    for name, value in asdict(thresholds).items():
        setattr(standards, name, value)
    standards.full_clean()
    with acting_as(actor):
        standards.save()
    return standards


def _check_session(fields: dict[str, Any], organisation: Organisation) -> None:
    errors: dict[str, str] = {}
    if problem := rules.dates_problem(fields.get("starts_at"), fields.get("ends_at")):
        errors["ends_at"] = problem
    for name in ("starts_at", "ends_at"):
        if problem := rules.when_problem(fields.get(name)):
            errors[name] = problem
    if not fields.get("venue") and not fields.get("online_link"):
        errors["venue"] = _("Choose a venue, or give an online link.")
    for name in ("group", "opportunity", "venue"):
        obj = fields.get(name)
        if obj is not None and obj.organisation_id != organisation.pk:
            errors[name] = _("Choose one of your organisation's.")
    contact = fields.get("contact")
    if contact is not None and not has_role(contact, organisation, *CONTACTS):
        errors["contact"] = _("The contact person must be a member of your organisation's staff.")
    if errors:
        raise ValidationError(errors)


STANDING_ITEM = gettext_lazy("Involvement: what people with lived experience said, and what is being done about it")


def standing_item_titles() -> tuple[str, str]:
    """The standing agenda item on involvement in English and in Welsh, whoever plans the session.

    Each reader then sees it in their own language (``AgendaItem.__str__``).
    """
    with translation.override("en"):
        english = str(STANDING_ITEM)
    with translation.override("cy"):
        welsh = str(STANDING_ITEM)
    return english, welsh


@transaction.atomic
def plan_session(
    *,
    actor: User,
    organisation: Organisation,
    fields: dict[str, Any],
    agenda: Sequence[str] = (),
    involvement_item: bool = True,
) -> Session:
    """Plan a session. The standing agenda item on involvement is added unless asked not to."""
    require(actor, organisation, COORDINATING)
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    fields = {"contact": actor, **fields}
    _check_session(fields, organisation)
    group = fields.get("group")
    if group is not None and "high_level" not in fields:
        fields["high_level"] = group.kind == Group.Kind.BOARD
    with acting_as(actor):
        session = Session(organisation=organisation, check_in_code=Session.new_check_in_code(), **fields)
        session.full_clean()
        session.save()
        items = [AgendaItem(session=session, order=i, title=t) for i, t in enumerate(agenda, start=1) if t.strip()]
        if involvement_item:
            title, title_cy = standing_item_titles()
            items.append(
                AgendaItem(
                    session=session, order=len(items) + 1, about_involvement=True, title=title, title_cy=title_cy
                )
            )
        AgendaItem.objects.bulk_create(items)
    return session


def invite_group(*, actor: User, session: Session) -> int:
    """Invite everyone currently appointed to the session's group, and their deputies."""
    if session.group is None:
        return 0
    appointments = group_selectors.serving_on(session.group)
    members = [a.person for a in appointments]
    deputies = [a.deputy for a in appointments if a.deputy is not None]
    invite(actor=actor, session=session, people=members, role=Invitation.Role.MEMBER)
    invite(actor=actor, session=session, people=deputies, role=Invitation.Role.DEPUTY)
    return len(members) + len(deputies)


@transaction.atomic
def invite(*, actor: User, session: Session, people: Iterable[Person], role: str = Invitation.Role.MEMBER) -> None:
    """Add people to the invitation list. They must share their details with the organisation."""
    require(actor, session.organisation, COORDINATING)
    people = list(people)
    sharing = people_selectors.sharing_organisation_ids(people)
    for person in people:
        if session.organisation_id not in sharing.get(person.pk, set()):
            raise ValidationError(
                {
                    "people": _("%(name)s does not share their details with your organisation.")
                    % {"name": person.full_name}
                }
            )
        Invitation.objects.get_or_create(session=session, person=person, defaults={"role": role})


@transaction.atomic
def invite_guest(*, actor: User, session: Session, name: str, email: str, role: str = Invitation.Role.STAFF) -> None:
    require(actor, session.organisation, COORDINATING)
    invitation = Invitation(session=session, name=name, email=email, role=role)
    invitation.full_clean()
    invitation.save()


@transaction.atomic
def record_override(*, actor: User, session: Session, standard: str, reason: str) -> StandardOverride:
    """Go ahead with a standard unmet, recording why (the reasons appear in reports)."""
    require(actor, session.organisation, COORDINATING)
    if standard not in rules.STANDARD_NAMES:
        raise ValidationError({"standard": _("Choose a standard from the list.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you are going ahead with this standard unmet.")})
    with acting_as(actor), because(reason):
        override, _created = StandardOverride.objects.update_or_create(
            session=session, standard=standard, defaults={"reason": reason, "recorded_by": actor}
        )
    return override


# ---- Sending: invitations, changes, cancellations, papers -------------------------------------

SUBJECTS = {
    "invitation": gettext_lazy("Invitation: %(title)s"),
    "change": gettext_lazy("Changed: %(title)s"),
    "cancellation": gettext_lazy("Cancelled: %(title)s"),
    "papers": gettext_lazy("Papers for %(title)s"),
    "reminder": gettext_lazy("Reminder: %(title)s"),
}


def _language(person: Person | None) -> str:
    return "cy" if person is not None and person.prefers_welsh else "en"


def _deliver(
    *,
    session: Session,
    invitation: Invitation,
    kind: str,
    extra_text: str = "",
    attach_papers: bool = False,
    sequence: int = 0,
) -> None:
    """Send one message by the person's channel: e-mail with an iCalendar attachment, or a letter to print."""
    from .calendar import invitation_ics

    person = invitation.person
    language = _language(person)
    with translation.override(language):
        subject = str(SUBJECTS[kind]) % {"title": str(session)}
        body = render_to_string(
            "meetings/messages/session.txt",
            {
                "session": session,
                "person": person,
                "invitation": invitation,
                "kind": kind,
                "extra_text": extra_text,
                "agenda": list(session.agenda.all()),
                "site_url": settings.SITE_URL,
                # What other apps add about this session for this person, such as a briefing before it.
                "notes": letters.session_notes_for([(person.pk, session.pk)]).get((person.pk, session.pk), [])
                if person is not None and kind != "cancellation"
                else [],
            },
        ).strip()
        method = "CANCEL" if kind == "cancellation" else "REQUEST"
        ics = invitation_ics(session, method=method, sequence=sequence, attendee=invitation)
    email = person.email if person is not None else invitation.email
    channel = person.preferred_channel if person is not None else "email"
    now = timezone.now()
    if channel == "email" and email:
        message = EmailMessage(subject, body, None, [email])
        if kind != "papers":
            message.attach("invitation.ics", ics, f"text/calendar; method={method}; charset=utf-8")
        if attach_papers:
            for paper in session.papers.all():
                with paper.file.open("rb") as handle:
                    message.attach(paper.file.name.rsplit("/", 1)[-1], handle.read())
        message.send()
        status = OutgoingMessage.Status.SENT
    elif kind == "reminder" and channel == "post":
        # A posted reminder would arrive too late: the coordinator phones instead.
        status = OutgoingMessage.Status.TO_CALL
    else:
        # A letter: printed in the coordinator's batch (withus sessions letters), in the person's format.
        invitation.letter_printed_at = None
        status = {"phone": OutgoingMessage.Status.TO_CALL, "text": OutgoingMessage.Status.TO_TEXT}.get(
            channel, OutgoingMessage.Status.TO_PRINT
        )
    # "Sent" means the invitation went: papers, reminders and changes are recorded apart,
    # so someone sent only papers is still shown (and sent) their invitation.
    if kind == "invitation":
        invitation.sent_at = now
    elif kind == "papers":
        invitation.papers_sent_at = now
    invitation.channel = channel
    invitation.save(update_fields=["sent_at", "papers_sent_at", "channel", "letter_printed_at"])
    if person is not None:
        outgoing = OutgoingMessage.objects.create(
            person=person,
            organisation=session.organisation,
            channel=channel,
            subject=subject,
            body=body,
            status=status,
            own_batch="meetings",  # its letter is printed from the session's page (documents.letters_pdf)
        )
        if status == OutgoingMessage.Status.TO_TEXT:
            # Sent at once when the organisation sends texts through a provider (GOV.UK Notify).
            from withus.people.notify import hand_to_provider

            hand_to_provider(outgoing, about=f"session:{session.pk}")


@transaction.atomic
def send_invitations(*, actor: User, session: Session, now: datetime | None = None) -> int:
    """Send every invitation. A standard that is not met needs a recorded reason first."""
    require(actor, session.organisation, COORDINATING)
    session = selectors.session_for_staff(actor, session.organisation, session.pk)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled."))
    now = now or timezone.now()
    # Standards are judged as if the invitations go now.
    session.invitations_sent_at = session.invitations_sent_at or now
    unmet = selectors.unmet_without_reason(session, now=now)
    if unmet:
        names = ", ".join(str(rules.STANDARD_NAMES[c]) for c in unmet)
        raise ValidationError(
            _("These standards are not met. Record why you are going ahead, or put them right: %(names)s.")
            % {"names": names}
        )
    invitations = [i for i in session.invitations.all() if i.sent_at is None]
    if not session.invitations.exists():
        raise ValidationError(_("Invite someone first."))
    with acting_as(actor):
        for invitation in invitations:
            _deliver(session=session, invitation=invitation, kind="invitation")
        session.status = Session.Status.INVITED
        session.save(update_fields=["invitations_sent_at", "status", "updated_at"])
    return len(invitations)


ALLOWED_PAPERS = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".doc": "doc"}


def paper_problem(upload: UploadedFile) -> str | None:
    """Papers must be real PDF, Word or ODT documents, and not too big."""
    name = (upload.name or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if ext not in ALLOWED_PAPERS:
        return _("Upload a PDF, Word (.docx or .doc) or OpenDocument (.odt) file.")
    if upload.size is not None and upload.size > MAX_PAPER_BYTES:
        return _("The file is bigger than %(mb)s MB. Make it smaller or split it.") % {"mb": MAX_PAPER_BYTES // 2**20}
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = ALLOWED_PAPERS[ext]
    if kind == "pdf" and not head.startswith(b"%PDF-"):
        return _("This file is not a real PDF.")
    if kind == "doc" and not head.startswith(b"\xd0\xcf\x11\xe0"):
        return _("This file is not a real Word document.")
    if kind in ("docx", "odt"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if kind == "docx" and "word/document.xml" not in names:
                    return _("This file is not a real Word document.")
                if kind == "odt" and archive.read("mimetype") != b"application/vnd.oasis.opendocument.text":
                    return _("This file is not a real OpenDocument text.")
        except (zipfile.BadZipFile, KeyError):
            return _("This file is not a real document of that type.")
        finally:
            upload.seek(0)
    return None


@transaction.atomic
def upload_paper(*, actor: User, session: Session, title: str, upload: UploadedFile) -> Paper:
    require(actor, session.organisation, COORDINATING)
    if problem := paper_problem(upload):
        raise ValidationError({"file": problem})
    if not title.strip():
        raise ValidationError({"title": _("Give the paper a title.")})
    paper = Paper(session=session, title=title, file=upload, uploaded_by=actor)
    paper.save()
    return paper


@transaction.atomic
def send_papers(*, actor: User, session: Session) -> int:
    """Send the papers to everyone invited, by their channel and in their format; record the date."""
    require(actor, session.organisation, COORDINATING)
    session = selectors.session_for_staff(actor, session.organisation, session.pk)
    papers = list(session.papers.all())
    if not papers:
        raise ValidationError(_("Upload the papers first."))
    now = timezone.now()
    # Papers go to everyone invited, apologies included: they may still want to comment.
    invitations = list(session.invitations.all())
    with acting_as(actor):
        for invitation in invitations:
            _deliver(session=session, invitation=invitation, kind="papers", attach_papers=True)
        Paper.objects.filter(session=session, sent_at__isnull=True).update(sent_at=now)
        session.papers_sent_at = session.papers_sent_at or now
        session.save(update_fields=["papers_sent_at", "updated_at"])
    return len(invitations)


@transaction.atomic
def change_session(*, actor: User, session: Session, fields: dict[str, Any], note: str = "") -> Session:
    """Change a session; everyone already invited is told the same way they were invited."""
    require(actor, session.organisation, COORDINATING)
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    session.refresh_from_db()
    merged = {name: getattr(session, name) for name in SESSION_FIELDS}
    merged.update(fields)
    _check_session(merged, session.organisation)
    changed = [name for name, value in fields.items() if getattr(session, name) != value]
    with acting_as(actor):
        for name, value in fields.items():
            setattr(session, name, value)
        session.full_clean()
        session.save()
        if changed and session.invitations.exclude(sent_at=None).exists():
            sequence = _next_sequence(session)
            for invitation in session.invitations.select_related("person").exclude(sent_at=None):
                _deliver(session=session, invitation=invitation, kind="change", extra_text=note, sequence=sequence)
    return session


def _next_sequence(session: Session) -> int:
    """iCalendar SEQUENCE: how many times the session was changed after invitations went out."""
    from auditlog.models import LogEntry

    changes: int = LogEntry.objects.get_for_object(session).count()
    return changes


@transaction.atomic
def cancel_session(*, actor: User, session: Session, reason: str) -> Session:
    require(actor, session.organisation, COORDINATING)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the session is cancelled: people will be told.")})
    if session.status == Session.Status.CANCELLED:
        return session
    with acting_as(actor):
        session.status = Session.Status.CANCELLED
        session.cancelled_reason = reason
        session.save(update_fields=["status", "cancelled_reason", "updated_at"])
        for invitation in session.invitations.select_related("person").exclude(sent_at=None):
            _deliver(
                session=session,
                invitation=invitation,
                kind="cancellation",
                extra_text=reason,
                sequence=_next_sequence(session),
            )
    return session


@transaction.atomic
def reply(*, actor: User, invitation: Invitation, coming: bool) -> Invitation:
    """A member says they are coming, or sends apologies."""
    person = invitation.person
    if person is None or person.user_id != actor.pk:
        raise PermissionDenied
    invitation.reply = Invitation.Reply.COMING if coming else Invitation.Reply.APOLOGIES
    invitation.save(update_fields=["reply"])
    return invitation


# ---- On the day ---------------------------------------------------------------------------------


@transaction.atomic
def mark_attendance(
    *,
    actor: User,
    session: Session,
    person: Person,
    status: str,
    role: str = Attendance.Role.MEMBER,
    minutes_present: int | None = None,
    stood_in_for: Person | None = None,
) -> Attendance:
    """The coordinator records who attended, for how long and in what role (evidence for fees)."""
    require(actor, session.organisation, COORDINATING)
    if not session.invitations.filter(person=person).exists() and stood_in_for is None:
        raise ValidationError({"person": _("Only people invited, or standing in for someone, can be marked.")})
    length = int((session.ends_at - session.starts_at).total_seconds() // 60)
    if status == Attendance.Status.ATTENDED and minutes_present is None:
        minutes_present = length
    if minutes_present is not None and not 0 <= minutes_present <= length + 120:
        raise ValidationError({"minutes_present": _("Give the minutes present, from 0 to %(n)s.") % {"n": length}})
    if stood_in_for is not None and stood_in_for.pk == person.pk:
        raise ValidationError({"stood_in_for": _("A person cannot stand in for themselves.")})
    with acting_as(actor):
        attendance, _created = Attendance.objects.update_or_create(
            session=session,
            person=person,
            defaults={
                "status": status,
                "role": role,
                "minutes_present": minutes_present,
                "stood_in_for": stood_in_for,
                "recorded_by": actor,
            },
        )
    return attendance


def check_in(*, actor: User, person: Person, code: str, now: datetime | None = None) -> Attendance:
    """A member checks in with the session's code, on the day only, once."""
    if person.user_id != actor.pk:
        raise PermissionDenied
    now = now or timezone.now()
    code = code.strip().upper()
    sessions = list(Session.objects.filter(check_in_code=code).exclude(status=Session.Status.CANCELLED)) if code else []
    if not sessions:
        raise ValidationError({"code": _("That code is not right. Check it with the person running the session.")})
    today = rules.local(now).date()
    # Codes are short, so two sessions may share one: take today's, and one the person is invited to.
    todays = [s for s in sessions if rules.local(s.starts_at).date() == today]
    if not todays:
        raise ValidationError({"code": _("You can only check in on the day of the session.")})
    invited = set(Invitation.objects.filter(session__in=todays, person=person).values_list("session_id", flat=True))
    session = next((s for s in todays if s.pk in invited), None)
    if session is None:
        raise ValidationError({"code": _("You are not on the list for this session. Tell the person running it.")})
    if now >= session.ends_at:
        raise ValidationError({"code": _("The session has finished. Tell the person who ran it that you came.")})
    if Attendance.objects.filter(session=session, person=person).exists():
        raise ValidationError({"code": _("You have already checked in. Thank you.")})
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                session=session,
                person=person,
                status=Attendance.Status.ATTENDED,
                checked_in_at=now,
                self_checked_in=True,
                minutes_present=int((session.ends_at - max(now, session.starts_at)).total_seconds() // 60),
            )
    except IntegrityError:  # two check-ins at the same moment
        raise ValidationError({"code": _("You have already checked in. Thank you.")}) from None


# ---- After ---------------------------------------------------------------------------------------


@transaction.atomic
def declare_interest(
    *, actor: User, session: Session, agenda_item: AgendaItem, declared_by: str, interest: str
) -> Declaration:
    require(actor, session.organisation, COORDINATING)
    if agenda_item.session_id != session.pk:
        raise ValidationError({"agenda_item": _("Choose an item on this session's agenda.")})
    declaration = Declaration(session=session, agenda_item=agenda_item, declared_by=declared_by, interest=interest)
    declaration.full_clean()
    declaration.save()
    return declaration


@transaction.atomic
def record_minutes(*, actor: User, session: Session, minutes: str, upload: UploadedFile | None = None) -> Session:
    require(actor, session.organisation, COORDINATING)
    if upload is not None and (problem := paper_problem(upload)):
        raise ValidationError({"minutes_file": problem})
    with acting_as(actor):
        session.minutes = minutes
        if upload is not None:
            session.minutes_file = upload
        if session.status != Session.Status.CANCELLED and session.ends_at <= timezone.now():
            session.status = Session.Status.HELD
        session.save()
    return session


@transaction.atomic
def add_action(
    *,
    actor: User,
    session: Session,
    text: str,
    owner_name: str,
    due_on: date,
    owner_email: str = "",
    owner_person: Person | None = None,
    roles: RoleGroup = COORDINATING,
) -> Action:
    """An action from a session. ``roles`` widens who may name one where another app's rule says so
    (a decision-maker naming an action in answer to a contribution, withus.impact)."""
    require(actor, session.organisation, roles)
    action = Action(
        session=session,
        text=text,
        owner_name=owner_name,
        owner_email=owner_email,
        owner_person=owner_person,
        due_on=due_on,
    )
    action.full_clean()
    with acting_as(actor):
        action.save()
    return action


@transaction.atomic
def complete_action(*, actor: User, action: Action) -> Action:
    require(actor, action.session.organisation, COORDINATING)
    with acting_as(actor):
        action.done_at = action.done_at or timezone.now()
        action.save(update_fields=["done_at"])
    return action


DEBRIEF_SUBJECT = gettext_lazy("How did it go? %(title)s")


@transaction.atomic
def offer_debriefs(*, actor: User, session: Session) -> int:
    """Offer a debrief and wellbeing check to each member who attended."""
    from withus.people.notify import notify

    require(actor, session.organisation, COORDINATING)
    offered = 0
    for attendance in session.attendance.filter(status=Attendance.Status.ATTENDED).select_related("person"):
        debrief, created = Debrief.objects.get_or_create(session=session, person=attendance.person)
        if created:
            with translation.override(_language(attendance.person)):
                subject = str(DEBRIEF_SUBJECT) % {"title": str(session)}
            notify(
                person=attendance.person,
                subject=subject,
                template="meetings/messages/debrief.txt",
                context={"session": session, "debrief": debrief, "site_url": settings.SITE_URL},
                organisation=session.organisation,
            )
            offered += 1
    return offered


# What other apps do when a member's debrief asks for a call (support turns it into a call
# request for their support contact); meetings sits below them and cannot import them.
DEBRIEF_CALL_ASKED: list[Callable[[Debrief], object]] = []


@transaction.atomic
def answer_debrief(*, actor: User, debrief: Debrief, feeling: str, comments: str, wants_call: bool) -> Debrief:
    """The member answers; asking for a call creates a follow-up for the coordinators."""
    if debrief.person.user_id != actor.pk:
        raise PermissionDenied
    debrief.feeling = feeling
    debrief.comments = comments
    debrief.wants_call = wants_call
    debrief.answered_at = timezone.now()
    debrief.full_clean()
    debrief.save()
    if wants_call:
        for hook in DEBRIEF_CALL_ASKED:
            hook(debrief)
    return debrief


@transaction.atomic
def follow_up_done(*, actor: User, debrief: Debrief) -> Debrief:
    require(actor, debrief.session.organisation, COORDINATING)
    debrief.follow_up_done_at = timezone.now()
    debrief.follow_up_by = actor
    debrief.save(update_fields=["follow_up_done_at", "follow_up_by"])
    return debrief


def opportunity_of(session: Session) -> Opportunity | None:
    return session.opportunity
