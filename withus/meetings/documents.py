"""The printed documents of meetings: letters for people who prefer post, and certificates (C4).

Letters go to people who do not use e-mail, often people who are least online and most
in need of plain words: each says what the session is, when (in words, in local time),
where and how to get in, what will be discussed, whom to ask, and that nobody need be out
of pocket. Each letter is in the person's language and, when they asked for it, in large
print; a batch of letters is one PDF with each letter starting on a new sheet, so a
coordinator can print the day's post in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any, Literal, get_args

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from withus.core import letters, pdf
from withus.core.progress import Progress, counted
from withus.people.models import Channel, Person

from .calendar import LONDON, contact_name, session_title, venue_accessibility
from .models import Attendance, Invitation, Session

LetterKind = Literal["invitation", "change", "cancellation", "papers", "reminder"]
LETTER_KINDS: tuple[str, ...] = get_args(LetterKind)
WELSH, ENGLISH = "cy", "en"


@dataclass(frozen=True)
class Letter:
    """One printed letter to one person about one session."""

    person: Person
    session: Session
    kind: LetterKind
    extra_text: str = ""  # a note from the coordinator, e.g. what has changed

    def __post_init__(self) -> None:
        if self.kind not in LETTER_KINDS:
            raise ValueError(f"kind must be one of {', '.join(LETTER_KINDS)}, not {self.kind!r}")

    @property
    def language(self) -> str:
        return WELSH if self.person.prefers_welsh else ENGLISH


def when_in_words(starts_at: datetime, ends_at: datetime) -> str:
    """When, in words: "Wednesday 12 June 2030, 10:30 a.m. to 1 p.m." (local time, current language)."""
    starts, ends = starts_at.astimezone(LONDON), ends_at.astimezone(LONDON)
    if starts.date() == ends.date():
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": format_date(starts, "l j F Y"),
            "start": format_date(starts, "P"),
            "end": format_date(ends, "P"),
        }
    return _("%(start_day)s, %(start)s, to %(end_day)s, %(end)s") % {
        "start_day": format_date(starts, "l j F Y"),
        "start": format_date(starts, "P"),
        "end_day": format_date(ends, "l j F Y"),
        "end": format_date(ends, "P"),
    }


def hours_and_minutes(minutes: int) -> str:
    """A length of time in words: "2 hours 30 minutes", "1 hour", "45 minutes" (current language)."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if rest or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return " ".join(parts)


def _letter_context(letter: Letter, today: date, notes: list[str] | None = None) -> dict[str, Any]:
    session = letter.session
    organisation = session.organisation
    extra_text = letter.extra_text.strip()
    if letter.kind == "cancellation" and extra_text == session.cancelled_reason.strip():
        extra_text = ""  # the reason is printed once, under "Why"
    return {
        "kind": letter.kind,
        "lang": letter.language,
        "large_print": letter.person.needs_large_print,
        "address_lines": letter.person.address_lines(),
        "name": letter.person.display_name,
        "today": today,
        "title": session_title(session),
        "organisation_name": str(organisation),
        "when": when_in_words(session.starts_at, session.ends_at),
        "venue": session.venue,
        "venue_address": [line.strip() for line in session.venue.address.splitlines() if line.strip()]
        if session.venue
        else [],
        "accessibility": venue_accessibility(session.venue) if session.venue else [],
        "online_link": session.online_link,
        "qr_code": pdf.qr_code_data_uri(session.online_link) if session.online_link else "",
        "agenda": [str(item) for item in session.agenda.all()],
        "papers": [paper.title for paper in session.papers.all()] if letter.kind == "papers" else [],
        "refreshments": session.get_refreshments_display() if session.refreshments != Session.Refreshments.NONE else "",
        "cancelled_reason": session.cancelled_reason,
        "extra_text": extra_text,
        "contact_name": contact_name(session),
        "phone": organisation.contact_phone,
        # The organisation's own address first: it is watched when the contact person is away.
        "email": organisation.contact_email or session.contact.email,
        # What other apps add for this reader, such as who their support contact is (core.letters.notes_for).
        "notes": notes or [],
    }


def render_letters_html(items: list[Letter], *, today: date | None = None) -> str:
    """The HTML of a batch of letters: each in its reader's language, each from a new page."""
    if not items:
        raise ValueError("There are no letters to print.")
    today = today or timezone.localdate()
    # What other apps add to each letter, asked once per language for the whole batch.
    notes: dict[str, dict[tuple[int, int], list[str]]] = {}
    session_notes: dict[str, dict[tuple[int, int], list[str]]] = {}
    for language in {letter.language for letter in items}:
        with translation.override(language):
            notes[language] = letters.notes_for(
                (letter.person.pk, letter.session.organisation_id) for letter in items if letter.language == language
            )
            # Lines about the session itself (a briefing before it), not for a cancellation.
            session_notes[language] = letters.session_notes_for(
                (letter.person.pk, letter.session.pk)
                for letter in items
                if letter.language == language and letter.kind != "cancellation"
            )
    bodies = []
    for letter in items:
        with translation.override(letter.language):
            key = (letter.person.pk, letter.session.organisation_id)
            lines = session_notes[letter.language].get((letter.person.pk, letter.session.pk), [])
            lines = lines + notes[letter.language].get(key, [])
            context = _letter_context(letter, today, lines)
            bodies.append(render_to_string("meetings/letters/letter.html", context))
    languages = {letter.language for letter in items}
    # The document's language is the letters' when they share one; each letter says its own.
    language = languages.pop() if len(languages) == 1 else ENGLISH
    with translation.override(language):
        return render_to_string("meetings/letters/batch.html", {"letters": bodies, "lang": language})


def letters_pdf(items: list[Letter], *, today: date | None = None) -> bytes:
    """One PDF of printed letters, one letter per item, each starting on a new page.

    Each letter is in Welsh when the person prefers Welsh and in large print (18pt and
    more, generously spaced) when they asked for it; other letters are 12pt and more.
    The sessions' venue, contact, organisation, agenda and papers are read from each
    item: prefetch them (``letter_invitations`` does) to keep a big batch to a few queries.
    ``today`` is the date printed on the letters (default: today in Wales).
    """
    return pdf.render_pdf(render_letters_html(items, today=today), settings.SITE_URL)


def certificate_pdf(attendance: Attendance) -> bytes:
    """A certificate of attendance, in the current language (call inside ``translation.override``).

    Only for someone who attended: apologies and absences have nothing to certify.
    """
    if attendance.status != Attendance.Status.ATTENDED:
        raise ValueError("A certificate of attendance is only for someone who attended.")
    session = attendance.session
    context = {
        "lang": translation.get_language() or ENGLISH,
        "name": attendance.person.full_name,
        "title": session_title(session),
        "session_kind": session.get_kind_display(),
        "organisation_name": str(session.organisation),
        "day": session.starts_at.astimezone(LONDON),
        "time_present": hours_and_minutes(attendance.minutes_present) if attendance.minutes_present is not None else "",
        "role": attendance.get_role_display(),
        # Whom they stood in for is that other person's business: say only that they were a deputy.
        "deputy": attendance.stood_in_for_id is not None,
        "contact_name": contact_name(session),
        "issued": timezone.localdate(),
    }
    return pdf.render_pdf(render_to_string("meetings/certificate.html", context), settings.SITE_URL)


# The print batch -------------------------------------------------------------------------------


def letter_invitations(
    day: date | None, *, organisation_slug: str | None = None, reprint: bool = False, session: Session | None = None
) -> QuerySet[Invitation]:
    """Invitations whose letters are due in the print batch for sessions on ``day`` (in Wales), or for one session.

    Everyone invited who prefers post, whose invitation has been sent (``sent_at``: one
    still being planned must not go out before the coordinator sends it and the standards
    are checked) and whose letter has not been printed yet; with ``reprint``, those
    already printed too. The sending services clear ``letter_printed_at`` whenever there is
    news for the person (a change, a cancellation), so the next batch picks them up again.
    """
    invitations = (
        Invitation.objects.filter(person__preferred_channel=Channel.POST, sent_at__isnull=False)
        .select_related("person", "session__venue", "session__contact", "session__organisation")
        .prefetch_related("session__agenda")
        .order_by("session__starts_at", "session__pk", "person__full_name", "pk")
    )
    if day is not None:
        start = datetime.combine(day, time.min, tzinfo=LONDON)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)
        invitations = invitations.filter(session__starts_at__gte=start, session__starts_at__lt=end)
    if session is not None:
        invitations = invitations.filter(session=session)
    if organisation_slug:
        invitations = invitations.filter(session__organisation__slug=organisation_slug)
    if not reprint:
        invitations = invitations.filter(letter_printed_at__isnull=True)
    return invitations


def batch_letter(invitation: Invitation) -> Letter:
    """The letter the batch prints for an invitation: the session as it stands now.

    A pending letter does not record why it was due, so the batch sends what is true
    today: a cancellation (with the reason) for a cancelled session, otherwise an
    invitation with the up-to-date details, which also covers any change since.
    """
    if invitation.person is None:
        raise ValueError("Only people on the register get letters.")
    cancelled = invitation.session.status == Session.Status.CANCELLED
    return Letter(
        person=invitation.person, session=invitation.session, kind="cancellation" if cancelled else "invitation"
    )


def mark_letters_printed(invitation_ids: list[int], *, at: datetime | None = None) -> int:
    """Record that these letters were printed; a letter printed before keeps its first date."""
    return Invitation.objects.filter(pk__in=invitation_ids, letter_printed_at__isnull=True).update(
        letter_printed_at=at or timezone.now()
    )


ATTENDANCE_COLUMNS = [
    "session_id",
    "session",
    "group",
    "starts_at",
    "person",
    "perspective",
    "attendance",
    "role",
    "minutes_present",
]


def attendance_rows(sessions: QuerySet[Session], organisation: Any) -> Any:
    """One row per person recorded at each of ``sessions``, in date order: who came, in what role, for how long.

    Only people who still share their details with the organisation are named; nothing about their health.
    """
    from withus.people.selectors import people_sharing_with

    found = (
        Attendance.objects.filter(session__in=sessions, person__in=people_sharing_with(organisation))
        .select_related("session__group", "person")
        .order_by("session__starts_at", "session_id", "person__full_name", "pk")
    )
    for row in found.iterator(chunk_size=2000):
        session = row.session
        yield [
            session.pk,
            session_title(session),
            str(session.group) if session.group else "",
            timezone.localtime(session.starts_at),
            row.person.full_name,
            row.person.get_perspective_display(),
            row.get_status_display(),
            row.get_role_display(),
            row.minutes_present,
        ]


def attendance_filename(file_format: str, *, start: date | None, end: date | None) -> str:
    span = "-".join(d.isoformat() for d in (start, end) if d is not None) or timezone.localdate().isoformat()
    return f"withus-attendance-{span}.{file_format}"


def write_attendance(
    sessions: QuerySet[Session],
    organisation: Any,
    out: IO[bytes],
    *,
    file_format: str,
    start: date | None,
    end: date | None,
    progress: Progress | None = None,
) -> None:
    """``attendance_file`` written to ``out`` (binary), telling ``progress`` how many rows of how many: a file
    prepared in the background."""
    import shutil

    _name, content = attendance_file(sessions, organisation, file_format, start=start, end=end, progress=progress)
    if file_format == "xlsx":
        with content:
            shutil.copyfileobj(content, out)
        return
    for piece in content:
        out.write(piece.encode("utf-8"))


def attendance_file(
    sessions: QuerySet[Session],
    organisation: Any,
    file_format: str,
    *,
    start: date | None,
    end: date | None,
    progress: Progress | None = None,
) -> tuple[str, Any]:
    """Attendance at the organisation's sessions between two days (both included), and the file's name.

    An XLSX workbook (a temporary file at its start), or the CSV as pieces of text to stream: neither is
    held whole in memory, however many rows there are.
    """
    from withus.core import spreadsheets

    if start is not None:
        sessions = sessions.filter(starts_at__date__gte=start)
    if end is not None:
        sessions = sessions.filter(starts_at__date__lte=end)
    name = attendance_filename(file_format, start=start, end=end)
    rows = attendance_rows(sessions, organisation)
    if progress is not None:
        from withus.people.selectors import people_sharing_with

        total = Attendance.objects.filter(session__in=sessions, person__in=people_sharing_with(organisation)).count()
        rows = counted(rows, total, progress, every=2000)
    if file_format == "xlsx":
        return name, spreadsheets.workbook([spreadsheets.Sheet(_("Attendance"), ATTENDANCE_COLUMNS, rows)])
    return name, spreadsheets.csv_pieces(ATTENDANCE_COLUMNS, rows)


def attendance_response(name: str, content: Any, file_format: str) -> Any:
    """The download ``attendance_file`` made, as the page and the API send it."""
    from django.http import FileResponse, StreamingHttpResponse

    from withus.core import spreadsheets

    if file_format == "xlsx":
        return FileResponse(
            content, as_attachment=True, filename=name, content_type=spreadsheets.CONTENT_TYPES[file_format]
        )
    response = StreamingHttpResponse(content, content_type=spreadsheets.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
