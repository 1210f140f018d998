"""Reading an existing register and checking each of its rows, before anything is written.

An organisation brings in the spreadsheet it kept before WithUs: CSV or XLSX, found from the
content, never the name. A file is refused whole when it cannot be read as a table the admin
meant: not CSV or XLSX, too large, no header row, a formula anywhere, a wrong encoding. Then each
row is checked on its own against the columns' mapping, and a row with a problem is skipped
whole, so no partial person is ever written. Nothing here touches the database: the vocabulary
and the people already registered are passed in (``services`` reads them).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.meetings.models import Attendance
from withus.opportunities import rules as opportunity_rules
from withus.opportunities.models import Level, Opportunity, RoleOffered, Where
from withus.people.models import Channel, ExperienceTiming, LocalAuthority, Perspective, Tag

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
ADDRESS = "address"  # the one field several columns may fill, line by line (street, town...)
TAG_FIELDS = {"areas": Tag.Kind.AREA, "languages": Tag.Kind.LANGUAGE, "skills": Tag.Kind.SKILL}
REQUIRED = ("full_name", "perspective")


@dataclass(frozen=True)
class Field:
    label: Any
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text, email, phone, postcode, choice, yes_no, tags, date, time, number, url, group, venue
    max_length: int = 0
    choices: Any = None  # for a choice other than the people's own: the model's choices, matched by value or label


# What a register's column can become, in the order the mapping page offers them. Aliases are
# header names seen in registers (matched ignoring case, spaces and punctuation).
FIELDS: dict[str, Field] = {
    "full_name": Field(gettext_lazy("Full name"), ("name", "fullname", "member", "membername", "enw"), max_length=150),
    "preferred_name": Field(
        gettext_lazy("What they like to be called"), ("preferredname", "knownas", "firstname"), max_length=80
    ),
    "pronouns": Field(gettext_lazy("Pronouns"), ("pronouns", "rhagenwau"), max_length=40),
    "email": Field(gettext_lazy("E-mail address"), ("email", "emailaddress", "ebost", "mail"), "email", 254),
    "phone": Field(
        gettext_lazy("Phone number"), ("phone", "telephone", "tel", "mobile", "phonenumber", "ffon"), "phone", 40
    ),
    ADDRESS: Field(
        gettext_lazy("Postal address (several columns may be lines of it)"),
        ("address", "addressline1", "addressline2", "street", "town", "city", "county", "cyfeiriad"),
        max_length=500,
    ),
    "postcode": Field(gettext_lazy("Postcode"), ("postcode", "postalcode", "codpost"), "postcode", 10),
    "local_authority": Field(
        gettext_lazy("Local authority area"), ("localauthority", "council", "la", "county"), "choice"
    ),
    "perspective": Field(
        gettext_lazy("Service user, carer or both"),
        ("perspective", "serviceuserorcarer", "type", "role", "livedexperience"),
        "choice",
    ),
    "experience_timing": Field(gettext_lazy("Experience now or in the past"), ("when", "experiencetiming"), "choice"),
    "areas": Field(gettext_lazy("Areas or services (separated by ;)"), ("areas", "services", "area"), "tags"),
    "languages": Field(gettext_lazy("Languages (separated by ;)"), ("languages", "language", "ieithoedd"), "tags"),
    "skills": Field(gettext_lazy("Skills (separated by ;)"), ("skills", "sgiliau"), "tags"),
    "preferred_channel": Field(
        gettext_lazy("How they want to be contacted"),
        ("contact", "contactby", "preferredcontact", "channel", "howtocontact", "contactmethod"),
        "choice",
    ),
    "prefers_welsh": Field(gettext_lazy("In Welsh (yes or no)"), ("welsh", "inwelsh", "cymraeg"), "yes_no"),
    "needs_large_print": Field(gettext_lazy("Large print (yes or no)"), ("largeprint",), "yes_no"),
    "needs_easy_read": Field(gettext_lazy("Easy read (yes or no)"), ("easyread",), "yes_no"),
    "needs_audio": Field(gettext_lazy("Audio (yes or no)"), ("audio",), "yes_no"),
    "needs_step_free": Field(gettext_lazy("Step-free venue (yes or no)"), ("stepfree", "wheelchair"), "yes_no"),
    "needs_hearing_loop": Field(gettext_lazy("Hearing loop (yes or no)"), ("hearingloop", "loop"), "yes_no"),
    "no_meetings_before_1030": Field(
        gettext_lazy("No meetings before 10:30 (yes or no)"), ("nomeetingsbefore1030",), "yes_no"
    ),
    "travels_with_companion": Field(
        gettext_lazy("Travels with a companion (yes or no)"), ("companion", "travelswithcompanion"), "yes_no"
    ),
    "reasonable_adjustments": Field(
        gettext_lazy("Other adjustments that help them"),
        ("adjustments", "needs", "reasonableadjustments"),
        "text",
        2000,
    ),
    "dietary_needs": Field(gettext_lazy("Food and drink needs"), ("dietary", "diet", "dietaryneeds"), "text", 300),
    "available_weekdays": Field(gettext_lazy("Weekday daytimes (yes or no)"), ("weekdays",), "yes_no"),
    "available_evenings": Field(gettext_lazy("Evenings (yes or no)"), ("evenings",), "yes_no"),
    "available_weekends": Field(gettext_lazy("Weekends (yes or no)"), ("weekends",), "yes_no"),
    "availability_notes": Field(gettext_lazy("When they can take part"), ("availability",), "text", 500),
    "does_not_use_computers": Field(
        gettext_lazy("Does not use computers (yes or no)"), ("nocomputer", "doesnotusecomputers", "offline"), "yes_no"
    ),
}

# An opportunity the organisation ran before WithUs: brought in closed (or as a draft if it is still to
# come), never published by an import.
OPPORTUNITY_FIELDS: dict[str, Field] = {
    "title": Field(gettext_lazy("Title"), ("title", "opportunity", "name", "role", "teitl"), max_length=200),
    "title_cy": Field(gettext_lazy("Title in Welsh"), ("titlecy", "welshtitle", "titleinwelsh"), max_length=200),
    "purpose": Field(gettext_lazy("Purpose"), ("purpose", "description", "about", "pwrpas"), "text", 3000),
    "intended_outcomes": Field(gettext_lazy("Intended outcomes"), ("outcomes", "intendedoutcomes"), "text", 3000),
    "influence": Field(gettext_lazy("What influence it had, and its limits"), ("influence",), "text", 3000),
    "level": Field(
        gettext_lazy("Level on the engagement pathway (1 to 6, or its name)"),
        ("level", "pathwaylevel", "engagementlevel", "lefel"),
        "choice",
        choices=Level,
    ),
    "where": Field(
        gettext_lazy("Where the involvement happens"), ("where", "setting", "whereithappens"), "choice", choices=Where
    ),
    "role_offered": Field(gettext_lazy("Role offered"), ("roleoffered", "roletype"), "choice", choices=RoleOffered),
    "starts_on": Field(gettext_lazy("Start date"), ("start", "starts", "startdate", "startson", "from"), "date"),
    "ends_on": Field(gettext_lazy("End date"), ("end", "ends", "enddate", "endson", "to", "until"), "date"),
    "closes_on": Field(gettext_lazy("Closing date"), ("closes", "closingdate", "closeson", "deadline"), "date"),
    "location": Field(
        gettext_lazy("In person or online"),
        ("location", "inpersononline", "format"),
        "choice",
        choices=Opportunity.Location,
    ),
    "venue": Field(
        gettext_lazy("Venue or online platform"), ("venue", "place", "platform", "lleoliad"), max_length=300
    ),
    "local_authority": Field(gettext_lazy("Local authority area"), ("localauthority", "council", "area"), "choice"),
    "reward": Field(
        gettext_lazy("Payment (fee, voucher, expenses or none)"),
        ("reward", "payment", "paid", "fee"),
        "choice",
        choices=Opportunity.Reward,
    ),
    "reward_details": Field(gettext_lazy("Payment details"), ("rewarddetails", "paymentdetails"), max_length=300),
    "places": Field(
        gettext_lazy("Places (1 if not given)"), ("places", "numberofplaces", "spaces", "lleoedd"), "number"
    ),
    "time_commitment": Field(
        gettext_lazy("Time commitment"), ("timecommitment", "time", "commitment", "hours"), max_length=200
    ),
    "group": Field(gettext_lazy("Group, as it is named in WithUs"), ("group", "committee", "board", "grwp"), "group"),
}
OPPORTUNITY_REQUIRED = ("title", "purpose", "level", "where", "role_offered")

# Who came to what before WithUs: each row one person at one session; the people must be registered first.
ATTENDANCE_FIELDS: dict[str, Field] = {
    "full_name": Field(gettext_lazy("Full name"), ("name", "fullname", "member", "membername", "enw"), max_length=150),
    "email": Field(gettext_lazy("E-mail address"), ("email", "emailaddress", "ebost"), "email", 254),
    "phone": Field(gettext_lazy("Phone number"), ("phone", "telephone", "tel", "mobile", "phonenumber"), "phone", 40),
    "session_title": Field(
        gettext_lazy("Meeting or session"), ("meeting", "session", "event", "title", "cyfarfod"), max_length=200
    ),
    "date": Field(gettext_lazy("Date"), ("date", "meetingdate", "sessiondate", "dyddiad"), "date"),
    "starts": Field(gettext_lazy("Start time (10:00 if not given)"), ("start", "starttime", "from", "time"), "time"),
    "ends": Field(gettext_lazy("End time (two hours on if not given)"), ("end", "endtime", "finish", "until"), "time"),
    "status": Field(
        gettext_lazy("Attended, apologies or absent"),
        ("attendance", "attended", "status", "present"),
        "choice",
        choices=Attendance.Status,
    ),
    "role": Field(gettext_lazy("Role at the session"), ("role", "rol"), "choice", choices=Attendance.Role),
    "minutes_present": Field(gettext_lazy("Minutes present"), ("minutes", "minutespresent"), "number"),
    "group": Field(gettext_lazy("Group, as it is named in WithUs"), ("group", "committee", "board", "grwp"), "group"),
    "venue": Field(gettext_lazy("Venue, as it is named in WithUs"), ("venue", "place", "lleoliad"), "venue"),
    "online_link": Field(gettext_lazy("Online link"), ("link", "onlinelink", "url", "zoom", "teams"), "url", 200),
}
ATTENDANCE_REQUIRED = ("full_name", "session_title", "date")

FIELDS_OF = {"people": FIELDS, "opportunities": OPPORTUNITY_FIELDS, "attendance": ATTENDANCE_FIELDS}
REQUIRED_OF = {"people": REQUIRED, "opportunities": OPPORTUNITY_REQUIRED, "attendance": ATTENDANCE_REQUIRED}
# The first field of each kind's row is what the check's problems list calls the row by.
NAMED_BY = {"people": "full_name", "opportunities": "title", "attendance": "full_name"}


def fields_of(kind: str) -> dict[str, Field]:
    return FIELDS_OF[kind]


YES = {"yes", "y", "true", "1", "x", "ie", "do", "✓", "✔"}
NO = {"no", "n", "false", "0", "na", "nac", "nage", ""}
PERSPECTIVES = {
    Perspective.SERVICE_USER: {"serviceuser", "su", "user", "defnyddiwrgwasanaeth", "defnyddiwr", "patient"},
    Perspective.CARER: {"carer", "gofalwr", "cr"},
    Perspective.BOTH: {
        "both",
        "serviceuserandcarer",
        "serviceuserandacarer",
        "y2",
        "ddau",
        "bothaserviceuserandacarer",
    },
}
CHANNELS = {
    Channel.EMAIL: {"email", "e-mail", "ebost"},
    Channel.POST: {"post", "letter", "mail", "llythyr"},
    Channel.PHONE: {"phone", "call", "telephone", "phonecall", "ffon", "galwad"},
    Channel.TEXT: {"text", "sms", "textmessage", "neges", "negesdestun"},
}
TIMINGS = {
    ExperienceTiming.CURRENT: {"now", "current", "currently", "nawr"},
    ExperienceTiming.PAST: {"past", "inthepast", "previous", "previously", "ynygorffennol"},
    ExperienceTiming.BOTH: {"both", "nowandinthepast", "ddau"},
}
EMAILISH = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
SEPARATORS = re.compile(r"[;|\n]")


class FileProblem(ValidationError):
    """The file as a whole cannot be read as a register: nothing of it is kept."""


@dataclass
class Table:
    file_type: str  # csv or xlsx
    headers: list[str]
    rows: list[list[str]]  # every cell as text, each row as long as the headers


def key(text: str) -> str:
    """A header or a value compared ignoring case, spaces and punctuation: "E-mail Address" -> "emailaddress"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch in "✓✔")


# The answers and words above as ``key`` compares them, worked out once rather than for every cell.
YES_KEYS = frozenset(key(w) for w in YES)
NO_KEYS = frozenset(key(w) for w in NO)


def _keyed(table: Mapping[Any, set[str]]) -> dict[Any, frozenset[str]]:
    return {choice: frozenset(key(w) for w in words) | {key(str(choice))} for choice, words in table.items()}


KEYED = {
    "perspective": _keyed(PERSPECTIVES),
    "preferred_channel": _keyed(CHANNELS),
    "experience_timing": _keyed(TIMINGS),
}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def looks_like_formula(text: str) -> bool:
    """A cell a spreadsheet would run: "=SUM(A1)", or "+", "-" or "@" before a call like "@SUM(" or "+cmd|"."""
    text = text.lstrip()
    if text.startswith("="):
        return True
    return bool(text[:1] in ("+", "-", "@") and re.search(r"[A-Za-z][A-Za-z0-9.]*\s*[(|!]", text))


def file_type(data: bytes) -> str | None:
    """csv or xlsx from the content; None for anything else (an old .xls, a Word file, a picture...)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        return "xlsx" if "xl/workbook.xml" in names else None
    if b"\x00" in data[:8192].replace(b"\xff\xfe", b"").replace(b"\xfe\xff", b"") and not data.startswith(
        (b"\xff\xfe", b"\xfe\xff")
    ):
        return None  # binary: a picture, a PDF's streams, an old Excel file
    if data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return None
    return "csv"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without Excel's byte-order mark), or UTF-16 when it starts with one."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise FileProblem(
            _(
                "The file is not in UTF-8, so letters such as ŵ or é would come out wrong. In Excel, choose "
                "Save as, then 'CSV UTF-8 (comma delimited)'; in LibreOffice, tick 'Edit filter settings' and "
                "choose Unicode (UTF-8)."
            )
        ) from None


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise FileProblem(_("The file could not be read as CSV: %(error)s") % {"error": error}) from error


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl  # only for an XLSX upload

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(_("The spreadsheet could not be opened. Save it again as .xlsx and try again.")) from error
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    raise FileProblem(
                        _(
                            "Cell %(cell)s holds a formula. Formulas are never imported: copy the sheet and "
                            "paste it as values only, then upload that."
                        )
                        % {"cell": f"{column_letter(index)}{number}"}
                    )
                cells.append(_cell_text(cell.value))
            rows.append(cells)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def read_table(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Table:
    """The file's header row and rows, every cell as text; ``FileProblem`` says why a file is refused."""
    if len(data) > max_bytes:
        raise FileProblem(
            _("The file is larger than %(mb)s MB. Split it into smaller files and import each.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    kind = file_type(data)
    if kind is None:
        raise FileProblem(
            _(
                "This is not a CSV or XLSX file. Open it in your spreadsheet program and save it as "
                "'CSV UTF-8' or as an Excel workbook (.xlsx)."
            )
        )
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows or not any(rows[0]):
        raise FileProblem(_("The first row is empty. The first row must name the columns: Name, E-mail, Phone..."))
    headers = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        for index, cell in enumerate(row):
            if kind == "csv" and looks_like_formula(cell):
                raise FileProblem(
                    _("Cell %(cell)s starts a formula (%(text)s). Formulas are never imported: remove it.")
                    % {"cell": f"{column_letter(index)}{number}", "text": cell[:20]}
                )
    if any(EMAILISH.fullmatch(h) or (sum(ch.isdigit() for ch in h) >= 7) for h in headers):
        raise FileProblem(
            _(
                "The first row looks like someone's details, not column names. Add a first row that names "
                "each column (Name, E-mail, Phone...)."
            )
        )
    body = rows[1:]
    if len(body) > max_rows:
        raise FileProblem(
            _("The file has more than %(n)s rows. Split it into smaller files and import each.") % {"n": max_rows}
        )
    width = max(len(r) for r in rows)
    named = [h or _("Column %(letter)s") % {"letter": column_letter(i)} for i, h in enumerate(headers + [""] * width)][
        :width
    ]
    seen: dict[str, int] = {}
    for index, name in enumerate(named):
        if key(name) in seen:
            raise FileProblem(
                _("Columns %(first)s and %(second)s are both called '%(name)s'. Give each column its own name.")
                % {"first": column_letter(seen[key(name)]), "second": column_letter(index), "name": name}
            )
        seen[key(name)] = index
    return Table(kind, named, [r + [""] * (width - len(r)) for r in body if any(r)])


def guess_mapping(headers: Sequence[str], kind: str = "people") -> dict[int, str]:
    """Which field each column probably is, from its name; columns nobody would guess are left out."""
    found: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        name = key(header)
        for field_key, spec in fields_of(kind).items():
            if (name == key(field_key) or name in spec.aliases or name == key(str(spec.label))) and (
                field_key not in taken or field_key == ADDRESS
            ):
                found[index] = field_key
                taken.add(field_key)
                break
    return found


def mapping_problems(mapping: Mapping[int, str], headers: Sequence[str], kind: str = "people") -> list[str]:
    """What is wrong with a mapping: unknown fields, a field given twice, a required field missing."""
    fields = fields_of(kind)
    problems = []
    by_field: dict[str, list[int]] = {}
    for index, field_key in sorted(mapping.items()):
        if not 0 <= index < len(headers):
            problems.append(_("There is no column %(n)s.") % {"n": index + 1})
        elif field_key not in fields:
            problems.append(_("'%(field)s' is not something WithUs keeps.") % {"field": field_key})
        else:
            by_field.setdefault(field_key, []).append(index)
    for field_key, columns in by_field.items():
        if len(columns) > 1 and field_key != ADDRESS:
            problems.append(
                _("%(field)s is chosen for more than one column: %(columns)s. Choose it for one column only.")
                % {"field": fields[field_key].label, "columns": ", ".join(f"'{headers[i]}'" for i in columns)}
            )
    for field_key in REQUIRED_OF[kind]:
        if field_key not in by_field:
            problems.append(
                _("Choose the column that holds %(field)s.") % {"field": str(fields[field_key].label).lower()}
            )
    return problems


def phone_key(phone: str) -> str:
    """A phone number for matching: digits only, +44 and 0044 read as a leading 0."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and phone.strip().startswith("+"):
        digits = "0" + digits[2:]
    return digits


@dataclass(frozen=True)
class Vocabulary:
    """The words a register's values are matched against: tags by kind, each as ``key(name) -> slug``."""

    tags: Mapping[str, Mapping[str, str]]
    # The organisation's groups and venues, each as ``key(name) -> id`` (English and Welsh names).
    groups: Mapping[str, int] = field(default_factory=dict)
    venues: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Existing:
    """Someone already registered with the organisation, as duplicates are matched."""

    person_id: int
    email: str
    phone: str
    name: str = ""


@dataclass
class RowCheck:
    """One row of the register as it would be imported: its values, its problems, who it matches."""

    number: int  # the spreadsheet's own row number: the header is row 1
    values: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=dict)  # tag kind -> slugs
    problems: list[str] = field(default_factory=list)
    match: int | None = None  # an already registered person this row seems to be
    match_by: str = ""  # email or phone

    @property
    def ok(self) -> bool:
        return not self.problems


def _choice(value: str, table: Mapping[Any, frozenset[str]], extra: Iterable[tuple[str, Any]] = ()) -> str | None:
    wanted = key(value)
    for choice, words in table.items():
        if wanted in words:
            return str(choice)
    for choice, label in extra:
        if wanted in (key(str(choice)), key(str(label))):
            return str(choice)
    return None


def _local_authority(value: str) -> str | None:
    wanted = key(value.replace("&", "and"))
    for choice, label in LocalAuthority.choices:
        if wanted in (key(choice), key(str(label)), key(str(label).replace("Isle of ", ""))):
            return str(choice)
    return None


def check_row(
    number: int,
    cells: Sequence[str],
    mapping: Mapping[int, str],
    vocabulary: Vocabulary,
    kind: str = "people",
    today: date | None = None,
) -> RowCheck:
    """One row's values as WithUs keeps them, and every problem with it, in words an admin can act on."""
    check = RowCheck(number)
    fields = fields_of(kind)
    address: list[str] = []
    for index, field_key in sorted(mapping.items()):
        raw = cells[index].strip() if index < len(cells) else ""
        spec = fields[field_key]
        if field_key == ADDRESS and kind == "people":
            if raw:
                address.append(raw)
            continue
        if spec.max_length and len(raw) > spec.max_length:
            check.problems.append(
                _("%(field)s is longer than %(n)s characters.") % {"field": spec.label, "n": spec.max_length}
            )
            continue
        _read_cell(check, field_key, spec, raw, vocabulary, kind)
    if address:
        joined = "\n".join(address)
        if len(joined) > FIELDS[ADDRESS].max_length:
            check.problems.append(_("The address is longer than %(n)s characters.") % {"n": FIELDS[ADDRESS].max_length})
        else:
            check.values[ADDRESS] = joined
    if kind == "opportunities":
        _check_opportunity(check, today or date.today())
        return check
    if not check.values.get("full_name") and not any("name" in p for p in check.problems):
        check.problems.insert(0, _("There is no name."))
    if kind == "attendance":
        _check_attendance(check, today or date.today())
    else:
        _check_channel(check)
    return check


def _read_cell(check: RowCheck, field_key: str, spec: Field, raw: str, vocabulary: Vocabulary, kind: str) -> None:
    if spec.kind == "email":
        if raw:
            try:
                validate_email(raw)
            except ValidationError:
                check.problems.append(_("'%(value)s' is not a valid e-mail address.") % {"value": raw})
                return
            local, _at, domain = raw.rpartition("@")
            raw = f"{local}@{domain.lower()}"
        check.values[field_key] = raw
    elif spec.kind == "phone":
        digits = phone_key(raw)
        if raw and not 10 <= len(digits) <= 15:
            check.problems.append(_("'%(value)s' is not a phone number we can call.") % {"value": raw})
            return
        check.values[field_key] = raw
    elif spec.kind == "postcode":
        code = " ".join(raw.upper().split())
        if code and " " not in code and len(code) >= 5:
            code = f"{code[:-3]} {code[-3:]}"
        if code and not POSTCODE.match(code):
            check.problems.append(_("'%(value)s' is not a UK postcode.") % {"value": raw})
            return
        check.values[field_key] = code
    elif spec.kind == "yes_no":
        answer = key(raw)
        if not raw:
            return  # left as it is: "no" for someone new, unchanged for someone merged
        if answer in YES_KEYS:
            check.values[field_key] = True
        elif answer in NO_KEYS:
            check.values[field_key] = False
        else:
            check.problems.append(
                _("%(field)s says '%(value)s': write yes or no.") % {"field": spec.label, "value": raw}
            )
    elif spec.kind == "tags":
        _tags(check, field_key, raw, vocabulary)
    elif spec.kind == "choice" and spec.choices is not None:
        _choose_from(check, field_key, spec, raw)
    elif spec.kind == "choice":
        _choose(check, field_key, raw)
    elif spec.kind in ("date", "time", "number", "url", "group", "venue"):
        _read_other(check, field_key, spec, raw, vocabulary)
    else:
        check.values[field_key] = raw


def read_date(raw: str) -> date | None:
    """A date as registers write it: 2024-03-05, 05/03/2024 or 5/3/24 (day first, as in the UK), 5 March 2024."""
    text = raw.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()  # a spreadsheet's date with a time of day
    except ValueError:
        return None


def read_time(raw: str) -> tuple[int, int] | None:
    """A time of day: 14:30, 14.30, 2:30pm, 2pm, 1430."""
    text = raw.strip().lower().replace(" ", "").replace(".", ":")
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?(?::\d{2})?(am|pm)?", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) == "pm" and hour < 12:
        hour += 12
    elif match.group(3) == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59) or (match.group(2) is None and match.group(3) is None):
        return None
    return hour, minute


def _read_other(check: RowCheck, field_key: str, spec: Field, raw: str, vocabulary: Vocabulary) -> None:
    if not raw:
        return
    if spec.kind == "date":
        found_date = read_date(raw)
        if found_date is None:
            check.problems.append(
                _("%(field)s says '%(value)s', which is not a date: write it as 25/03/2024.")
                % {"field": spec.label, "value": raw}
            )
        elif not 2000 <= found_date.year <= 2099:
            check.problems.append(_("%(field)s must be between 2000 and 2099.") % {"field": spec.label})
        else:
            check.values[field_key] = found_date.isoformat()
    elif spec.kind == "time":
        found_time = read_time(raw)
        if found_time is None:
            check.problems.append(
                _("%(field)s says '%(value)s', which is not a time: write it as 14:30.")
                % {"field": spec.label, "value": raw}
            )
        else:
            check.values[field_key] = f"{found_time[0]:02d}:{found_time[1]:02d}"
    elif spec.kind == "number":
        if not raw.isdigit() or not 0 <= int(raw) <= 32767:
            check.problems.append(
                _("%(field)s says '%(value)s': write a whole number.") % {"field": spec.label, "value": raw}
            )
        else:
            check.values[field_key] = int(raw)
    elif spec.kind == "url":
        if not re.fullmatch(r"https://[^\s]+\.[^\s]+", raw):
            check.problems.append(_("'%(value)s' is not a web link starting https://.") % {"value": raw})
        else:
            check.values[field_key] = raw
    else:  # a group or venue, by the name it has in WithUs
        found_id = (vocabulary.groups if spec.kind == "group" else vocabulary.venues).get(key(raw))
        if found_id is None:
            check.problems.append(
                (
                    _("There is no group called '%(value)s' in WithUs: add it first or correct the name.")
                    if spec.kind == "group"
                    else _("There is no venue called '%(value)s' in WithUs: add it first or correct the name.")
                )
                % {"value": raw}
            )
        else:
            check.values[field_key] = found_id


APOLOGIES = frozenset({"apologies", "apols", "apol", "sentapologies", "ymddiheuriadau"})


def _choose_from(check: RowCheck, field_key: str, spec: Field, raw: str) -> None:
    """A choice matched by its stored value, its English or Welsh label, or for a level its number."""
    if not raw:
        return
    wanted = key(raw)
    if spec.choices is Attendance.Status and (wanted in YES_KEYS or wanted in NO_KEYS or wanted in APOLOGIES):
        # Registers mark attendance with a tick or yes/no, and apologies as such.
        check.values[field_key] = (
            Attendance.Status.APOLOGIES
            if wanted in APOLOGIES
            else Attendance.Status.ATTENDED
            if wanted in YES_KEYS
            else Attendance.Status.ABSENT
        )
        return
    for value, label in spec.choices.choices:
        names = {key(str(value)), key(str(label))}
        with translation.override("cy"):
            names.add(key(str(label)))
        if wanted in names:
            check.values[field_key] = value
            return
    check.problems.append(
        _("%(field)s says '%(value)s', which we do not recognise: write one of %(choices)s.")
        % {"field": spec.label, "value": raw, "choices": ", ".join(str(label) for _v, label in spec.choices.choices)}
    )


def _check_opportunity(check: RowCheck, today: date) -> None:
    """What an opportunity needs, and whether it is brought in closed (it has ended) or as a draft."""
    values = check.values
    if not values.get("title") and not any(str(OPPORTUNITY_FIELDS["title"].label) in p for p in check.problems):
        check.problems.insert(0, _("There is no title."))
    for name in ("purpose", "level", "where", "role_offered"):
        if name not in values and not any(str(OPPORTUNITY_FIELDS[name].label) in p for p in check.problems):
            check.problems.append(_("%(field)s is empty.") % {"field": OPPORTUNITY_FIELDS[name].label})
    starts, ends = values.get("starts_on"), values.get("ends_on")
    for problem in (
        opportunity_rules.dates_problem(starts, ends),
        opportunity_rules.venue_problem(values.get("location", "in_person"), values.get("venue")),
        opportunity_rules.places_problem(values.setdefault("places", 1)),
    ):
        if problem:
            check.problems.append(problem)
    last = max((d for d in (values.get("closes_on"), ends, starts) if d), default=None)
    values["closed"] = bool(last and last < today.isoformat())


def _check_attendance(check: RowCheck, today: date) -> None:
    values = check.values
    if not values.get("session_title") and not any(
        str(ATTENDANCE_FIELDS["session_title"].label) in p for p in check.problems
    ):
        check.problems.append(_("It does not say which meeting or session."))
    when = values.get("date")
    if not when and not any(str(ATTENDANCE_FIELDS["date"].label) in p for p in check.problems):
        check.problems.append(_("It does not say the date."))
    elif when and when > today.isoformat():
        check.problems.append(_("The date is in the future: only past attendance can be brought in."))
    starts = values.setdefault("starts", "10:00")
    if "ends" not in values:
        hour, minute = (int(x) for x in starts.split(":"))
        values["ends"] = f"{min(hour + 2, 23):02d}:{minute if hour + 2 <= 23 else 59:02d}"
    if values["ends"] <= starts:
        check.problems.append(_("The end time is not after the start time."))
    else:
        length = (int(values["ends"][:2]) * 60 + int(values["ends"][3:])) - (int(starts[:2]) * 60 + int(starts[3:]))
        if values.get("minutes_present", 0) > length + 120:
            check.problems.append(_("Minutes present is more than the session's %(n)s minutes.") % {"n": length})
    values.setdefault("status", Attendance.Status.ATTENDED)
    values.setdefault("role", Attendance.Role.MEMBER)


def match_people(checks: Sequence[RowCheck], existing: Iterable[Existing]) -> None:
    """Attendance rows: who each is among the organisation's people, by e-mail, then phone, then a name only one has.

    Someone not found, or a name several people share with nothing else to tell them apart, is the row's problem.
    """
    by_email: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for person in existing:
        if person.email:
            by_email.setdefault(person.email.casefold(), person.person_id)
        if person.phone and len(phone_key(person.phone)) >= 10:
            by_phone.setdefault(phone_key(person.phone), person.person_id)
        if person.name:
            by_name.setdefault(key(person.name), []).append(person.person_id)
    for check in checks:
        if not check.ok:
            continue
        email = str(check.values.get("email") or "").casefold()
        phone = phone_key(str(check.values.get("phone") or ""))
        name = str(check.values.get("full_name") or "")
        if email and email in by_email:
            check.match, check.match_by = by_email[email], "email"
        elif phone and phone in by_phone:
            check.match, check.match_by = by_phone[phone], "phone"
        elif len(by_name.get(key(name), [])) == 1 and not (email or phone):
            check.match, check.match_by = by_name[key(name)][0], "name"
        elif len(by_name.get(key(name), [])) > 1 and not (email or phone):
            check.problems.append(
                _("Several people are called %(name)s: add a column with their e-mail or phone.") % {"name": name}
            )
        else:
            check.problems.append(
                _("No one registered here matches %(name)s: bring the people in first, then their attendance.")
                % {"name": name}
            )


def find_repeated_opportunities(checks: Sequence[RowCheck], existing: Iterable[tuple[str, str]]) -> None:
    """An opportunity already in WithUs (same title and start date), or twice in the file, is not brought in again."""
    known = {(key(title), starts) for title, starts in existing}
    seen: dict[tuple[str, str], int] = {}
    for check in checks:
        if not check.ok:
            continue
        marker = (key(str(check.values.get("title", ""))), str(check.values.get("starts_on") or ""))
        if marker in seen:
            check.problems.append(
                _("The same opportunity as row %(row)s (same title and start date).") % {"row": seen[marker]}
            )
        elif marker in known:
            check.problems.append(_("This opportunity is already in WithUs, with the same title and start date."))
        else:
            seen[marker] = check.number


def _choose(check: RowCheck, field_key: str, raw: str) -> None:
    spec = FIELDS[field_key]
    if field_key == "local_authority":
        found = _local_authority(raw) if raw else ""
        if found is None:
            check.problems.append(_("'%(value)s' is not a local authority area we know.") % {"value": raw})
        else:
            check.values[field_key] = found
        return
    table = KEYED[field_key]
    extra = {"perspective": Perspective.choices, "preferred_channel": Channel.choices}.get(
        field_key, ExperienceTiming.choices
    )
    if not raw:
        if field_key == "perspective":
            check.problems.append(_("It does not say whether they are a service user, a carer or both."))
        return
    found = _choice(raw, table, extra)
    if found is None:
        check.problems.append(
            _("%(field)s says '%(value)s', which we do not recognise.") % {"field": spec.label, "value": raw}
        )
    else:
        check.values[field_key] = found


def _tags(check: RowCheck, field_key: str, raw: str, vocabulary: Vocabulary) -> None:
    kind = TAG_FIELDS[field_key]
    words = vocabulary.tags.get(kind, {})
    slugs: list[str] = []
    unknown: list[str] = []
    for part in SEPARATORS.split(raw.replace(",", ";")):
        part = part.strip()
        if not part:
            continue
        slug = words.get(key(part))
        if slug is None:
            unknown.append(part)
        elif slug not in slugs:
            slugs.append(slug)
    if unknown and kind == Tag.Kind.LANGUAGE:
        check.values["other_languages"] = ", ".join(unknown)[:200]
    elif unknown and kind == Tag.Kind.AREA:
        check.problems.append(
            _("Unknown area or service: %(names)s. Add it to the vocabulary or correct the spelling.")
            % {"names": ", ".join(unknown)}
        )
    elif unknown:
        check.problems.append(_("Unknown skill: %(names)s.") % {"names": ", ".join(unknown)})
    if slugs:
        check.tags[kind] = slugs


def _check_channel(check: RowCheck) -> None:
    channel = check.values.get("preferred_channel")
    email, phone = check.values.get("email"), check.values.get("phone")
    if channel is None:
        check.values["preferred_channel"] = Channel.EMAIL if email else Channel.POST
    elif channel == Channel.EMAIL and not email:
        check.problems.append(_("They want e-mail but there is no e-mail address."))
    elif channel in (Channel.PHONE, Channel.TEXT) and not phone:
        check.problems.append(_("They want to be phoned or texted but there is no phone number."))
    if channel == Channel.POST and not check.values.get(ADDRESS):
        check.problems.append(_("They want letters but there is no postal address."))
    elif not (email or phone or check.values.get(ADDRESS)):
        check.problems.append(_("There is no way to reach them: no e-mail address, phone number or postal address."))


def find_duplicates(checks: Sequence[RowCheck], existing: Iterable[Existing]) -> None:
    """Mark rows that repeat an earlier row (a problem) or match someone registered (for the admin to decide).

    Matched by e-mail address (ignoring case) or phone number (ignoring spaces and +44).
    """
    by_email: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    for person in existing:
        if person.email:
            by_email.setdefault(person.email.casefold(), person.person_id)
        if person.phone and len(phone_key(person.phone)) >= 10:
            by_phone.setdefault(phone_key(person.phone), person.person_id)
    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    for check in checks:
        email = str(check.values.get("email") or "").casefold()
        phone = phone_key(str(check.values.get("phone") or ""))
        earlier = seen_email.get(email) if email else None
        if earlier is None and phone:
            earlier = seen_phone.get(phone)
        if earlier is not None:
            check.problems.append(_("The same person as row %(row)s (same e-mail or phone).") % {"row": earlier})
            continue
        if email:
            seen_email[email] = check.number
        if phone:
            seen_phone[phone] = check.number
        if email and email in by_email:
            check.match, check.match_by = by_email[email], "email"
        elif phone and phone in by_phone:
            check.match, check.match_by = by_phone[phone], "phone"
