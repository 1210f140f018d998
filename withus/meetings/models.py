"""Sessions (meetings, workshops, panels, focus groups, events) run to the standards (C4)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.groups.models import Group
from withus.opportunities.models import Opportunity
from withus.people.models import Person

from .rules import DEFAULT_THRESHOLDS as DEFAULTS


class MeetingStandards(models.Model):
    """An organisation's thresholds for the meeting standards; defaults from 001 §Arranging Meetings.

    Changed only through ``services.set_standards`` (audited); the defaults are ``rules.DEFAULT_THRESHOLDS``.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="meeting_standards")
    invitation_days = models.PositiveSmallIntegerField(
        _("days' notice for an invitation"), default=DEFAULTS.invitation_days
    )
    event_invitation_days = models.PositiveSmallIntegerField(
        _("days' notice for an event"), default=DEFAULTS.event_invitation_days
    )
    papers_days = models.PositiveSmallIntegerField(_("days before that papers go out"), default=DEFAULTS.papers_days)
    earliest_start = models.TimeField(_("earliest start"), default=DEFAULTS.earliest_start)
    min_service_users = models.PositiveSmallIntegerField(
        _("service users expected at decision-making groups"), default=DEFAULTS.min_service_users
    )
    min_carers = models.PositiveSmallIntegerField(
        _("carers expected at decision-making groups"), default=DEFAULTS.min_carers
    )
    reserve_at_high_level = models.BooleanField(
        _("a reserve at high-level meetings"), default=DEFAULTS.reserve_at_high_level
    )

    def __str__(self) -> str:
        return f"Meeting standards of {self.organisation}"


class Venue(models.Model):
    """A place to meet, with the accessibility answers people need to judge it (001 appendix 1)."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    address = models.TextField(_("address"), max_length=500)
    step_free = models.CharField(_("step-free access throughout"), max_length=3, choices=Answer.choices)
    public_transport = models.CharField(
        _("public transport at the start and end of the day"), max_length=3, choices=Answer.choices
    )
    parking = models.CharField(_("parking, including accessible spaces"), max_length=3, choices=Answer.choices)
    hearing_loop = models.CharField(_("a hearing loop"), max_length=3, choices=Answer.choices)
    notes = models.TextField(_("anything else about getting there and getting in"), max_length=1000, blank=True)
    notes_cy = models.TextField(
        _("anything else about getting there and getting in, in Welsh"), max_length=1000, blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        """The venue's name in the reader's language, falling back to English."""
        if get_language() == "cy" and self.name_cy:
            return self.name_cy
        return self.name

    @property
    def notes_shown(self) -> str:
        """The notes on getting there in the reader's language, falling back to English."""
        if get_language() == "cy" and self.notes_cy:
            return self.notes_cy
        return self.notes


class Session(models.Model):
    """One meeting, workshop, panel, focus group or event."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        WORKSHOP = "workshop", _("Workshop")
        PANEL = "panel", _("Panel")
        FOCUS_GROUP = "focus_group", _("Focus group")
        EVENT = "event", _("Event")

    class Refreshments(models.TextChoices):
        NONE = "none", _("None")
        DRINKS = "drinks", _("Tea and coffee")
        SNACKS = "snacks", _("Tea, coffee and snacks")
        MEAL = "meal", _("A meal")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        INVITED = "invited", _("Invitations sent")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sessions")
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("group")
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("opportunity"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions", verbose_name=_("venue")
    )
    online_link = models.URLField(_("online link"), blank=True)
    refreshments = models.CharField(
        _("refreshments"), max_length=10, choices=Refreshments.choices, default=Refreshments.DRINKS
    )
    high_level = models.BooleanField(_("a high-level meeting (needs a reserve)"), default=False)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact person")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    papers_sent_at = models.DateTimeField(null=True, blank=True)
    check_in_code = models.CharField(max_length=8, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    minutes_file = models.FileField(_("minutes document"), upload_to="minutes/%Y/", blank=True)
    cancelled_reason = models.CharField(_("why it was cancelled"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_it_starts"
            )
        ]
        # An organisation's sessions in a period (attendance by pathway level, for the annual report).
        indexes = [models.Index(fields=["organisation", "starts_at"], name="session_org_starts")]

    def __str__(self) -> str:
        if get_language() == "cy" and self.title_cy:
            return self.title_cy
        return self.title

    @staticmethod
    def new_check_in_code() -> str:
        alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
        return "".join(secrets.choice(alphabet) for _ in range(6))


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("item"), max_length=300)
    title_cy = models.CharField(_("item in Welsh"), max_length=300, blank=True)
    minutes_allowed = models.PositiveSmallIntegerField(_("minutes allowed"), null=True, blank=True)
    about_involvement = models.BooleanField(_("the standing item on involvement"), default=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        """The item in the reader's language, falling back to English."""
        if get_language() == "cy" and self.title_cy:
            return self.title_cy
        return self.title


class Invitation(models.Model):
    """Someone invited to a session, and how the invitation reached them."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        DEPUTY = "deputy", _("Deputy")
        STAFF = "staff", _("Staff")
        OTHER = "other", _("Guest")

    class Reply(models.TextChoices):
        NONE = "none", _("No reply yet")
        COMING = "coming", _("Coming")
        APOLOGIES = "apologies", _("Sent apologies")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    name = models.CharField(_("name (for staff and guests)"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail (for staff and guests)"), blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    reply = models.CharField(_("reply"), max_length=10, choices=Reply.choices, default=Reply.NONE)
    sent_at = models.DateTimeField(null=True, blank=True)  # when the invitation itself went
    papers_sent_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    letter_printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=models.Q(person__isnull=False), name="invite_a_person_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.name)


class Paper(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("document"), upload_to="papers/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title


class StandardOverride(models.Model):
    """Going ahead with a standard unmet, and why (the reasons appear in reports)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="overrides")
    standard = models.CharField(max_length=30)
    reason = models.TextField(_("why go ahead anyway"), max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "standard"], name="one_reason_per_standard")]

    def __str__(self) -> str:
        return f"{self.standard}: {self.reason[:40]}"


class Attendance(models.Model):
    """Who attended, for how long and in what role: the evidence a fee needs."""

    class Status(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        APOLOGIES = "apologies", _("Sent apologies")
        ABSENT = "absent", _("Did not come")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        PRESENTER = "presenter", _("Presenter")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    minutes_present = models.PositiveIntegerField(_("minutes present"), null=True, blank=True)
    stood_in_for = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("stood in for")
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    self_checked_in = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_attendance_each")]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class Declaration(models.Model):
    """A declared interest against an agenda item (001 appendix 3)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="declarations")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="declarations", verbose_name=_("agenda item")
    )
    declared_by = models.CharField(_("who declared it"), max_length=150)
    interest = models.TextField(_("the interest"), max_length=1000)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.declared_by}: {self.agenda_item}"


class Action(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("action"), max_length=1000)
    owner_name = models.CharField(_("owner"), max_length=150)
    owner_email = models.EmailField(_("owner's e-mail"), blank=True)
    owner_person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Debrief(models.Model):
    """A debrief and wellbeing check offered to each member who attended."""

    class Feeling(models.TextChoices):
        GOOD = "good", _("Good")
        OKAY = "okay", _("Okay")
        NOT_GOOD = "not_good", _("Not so good")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="debriefs")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="debriefs")
    offered_at = models.DateTimeField(default=timezone.now)
    feeling = models.CharField(_("how are you after the meeting?"), max_length=10, choices=Feeling.choices, blank=True)
    comments = models.TextField(_("anything you want to tell us"), max_length=2000, blank=True)
    wants_call = models.BooleanField(_("I would like someone to contact me"), default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_debrief_each")]

    def __str__(self) -> str:
        return f"Debrief {self.person} – {self.session}"


class SentReminder(models.Model):
    """One row per reminder sent: the unique key makes a reminder impossible to send twice,
    even with two workers running at once or a task retried after a crash."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class CalendarFeedToken(models.Model):
    """A member's secret, revocable address for their personal iCalendar feed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_tokens")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
