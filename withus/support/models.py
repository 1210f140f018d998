"""Support for everyone involved: support contacts, contacts, supervision, plans, mentors,
local help and training (PRODUCT C6).

Everyone involved must be well supported (002 §5, §6): each member has a named support
contact at each organisation they are involved with, separate from any supervisor (001
§Support and supervision); contacts with them are written down so that nobody goes
unnoticed for long, and they can ask for a call at any time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.audit import AuditedMixin
from withus.core.fields import EncryptedText
from withus.people.models import Person


class SupportSettings(models.Model):
    """How often an organisation wants each member contacted, and how soon a call must be returned."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="support_settings")
    contact_every_days = models.PositiveSmallIntegerField(
        _("contact each member at least every (days)"),
        default=30,
        help_text=_("The weekly digest lists the people nobody has been in touch with for longer than this."),
    )
    supervision_every_weeks = models.PositiveSmallIntegerField(
        _("supervision at least every (weeks)"),
        default=8,
        help_text=_("When the next supervision is due after one is held; the digest lists those overdue."),
    )
    call_within_hours = models.PositiveSmallIntegerField(
        _("return a call that was asked for within (hours)"),
        default=48,
        help_text=_("A request for a call not answered in this time goes to the coordinators."),
    )

    def __str__(self) -> str:
        return f"Support settings of {self.organisation}"


class SupportPart(models.TextChoices):
    SUPPORT_CONTACT = "support_contact", _("Support contact")
    SUPERVISOR = "supervisor", _("Supervisor")


class SupportAssignment(AuditedMixin, models.Model):
    """Who supports a member at one organisation, in one part (support contact or supervisor), and from when.

    An assignment is never changed: a new one starts and the old one ends, with the
    reason kept, so the member's history of who supported them stays whole.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="support_assignments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    part = models.CharField(_("part"), max_length=20, choices=SupportPart.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_assignments", verbose_name=_("who")
    )
    reason = models.CharField(_("reason"), max_length=300)
    starts_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    # Cover while someone is away: whose people these are, and until when.
    covering_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cover_until = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "part"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_support_part",
            )
        ]
        indexes = [models.Index(fields=["organisation", "staff"], name="support_by_staff")]

    def __str__(self) -> str:
        return f"{self.get_part_display()} of {self.person_id}: {self.staff_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class Contact(AuditedMixin, models.Model):
    """A contact with a member: a call, a visit, a message, a meeting or a wellbeing check-in.

    The note is the member's to read, unless it is a safeguarding note: then only the
    organisation's safeguarding lead reads it (see ``selectors.contacts_for_staff`` and
    ``privacy.export``). Notes are encrypted at rest: they can say something about health.
    """

    class Kind(models.TextChoices):
        CALL = "call", _("Phone call")
        VISIT = "visit", _("Visit")
        MESSAGE = "message", _("Message")
        MEETING = "meeting", _("Meeting")
        CHECK_IN = "check_in", _("Wellbeing check-in")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="support_contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("how"), max_length=20, choices=Kind.choices, default=Kind.CALL)
    on = models.DateField(_("date"), default=timezone.localdate)
    note = EncryptedText(_("short note"), max_length=1000)
    safeguarding = models.BooleanField(
        _("this is a safeguarding note"),
        default=False,
        help_text=_("Only the safeguarding lead will see it; the member will not."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "person", "-on"], name="contact_latest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.person_id} on {self.on}"


class CheckInPlan(models.Model):
    """How often a member wants a wellbeing check-in from one organisation (002 §8: asked when well)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="check_in_plans")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    every_days = models.PositiveSmallIntegerField(_("how often"))
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="one_check_in_plan_per_organisation")
        ]

    def __str__(self) -> str:
        return f"Check-ins every {self.every_days} days for {self.person_id}"


class CallRequest(models.Model):
    """A member asked for a call: from their pages, or by letter or phone (recorded by staff).

    It reaches their support contact with a time to answer by; one not answered by then is
    escalated to the organisation's coordinators (``services.escalate_overdue_calls``).
    """

    class How(models.TextChoices):
        ONLINE = "online", _("On WithUs")
        LETTER = "letter", _("By letter")
        PHONE = "phone", _("By phone")
        IN_PERSON = "in_person", _("In person")
        DEBRIEF = "debrief", _("In their debrief after a session")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="call_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(_("how they asked"), max_length=20, choices=How.choices, default=How.ONLINE)
    note = EncryptedText(_("anything you want us to know before we call"), max_length=1000)
    asked_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The debrief that asked for this call, if any: one call per debrief.
    debrief = models.OneToOneField(
        "meetings.Debrief", on_delete=models.SET_NULL, null=True, blank=True, related_name="call_request"
    )

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "due_at"], name="calls_waiting", condition=models.Q(answered_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"Call asked for by {self.person_id}"


class SupervisionGroup(models.Model):
    """A peer supervision group: members who support each other, with a supervisor (001 §Supervision)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("supervisor")
    )
    members = models.ManyToManyField(Person, related_name="supervision_groups", verbose_name=_("members"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Supervision(models.Model):
    """A supervision held: one-to-one with a member, or a peer supervision group's meeting.

    The next is due the organisation's number of weeks after it (``rules.supervision_due_on``).
    """

    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        PEER_GROUP = "peer_group", _("Peer supervision group")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="supervisions")
    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="supervisions"
    )
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="one_to_one", person__isnull=False, group__isnull=True))
                | (models.Q(kind="peer_group", person__isnull=True, group__isnull=False)),
                name="supervision_of_a_person_or_a_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


class SupervisionNote(models.Model):
    """A note of a supervision, by the supervisor or by a member who was there; every member there reads it."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="notes")
    by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="supervision_notes"
    )
    text = EncryptedText(_("note"), max_length=2000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Note on supervision {self.supervision_id}"

    @property
    def author(self) -> str:
        if self.by_person is not None:
            return str(self.by_person)
        return str(self.by_staff or "")


class DevelopmentGoal(AuditedMixin, models.Model):
    """One goal of a member's personal development plan, in their own words; the member owns it."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="development_goals")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    goal = models.CharField(_("your goal, in your words"), max_length=300)
    steps = models.TextField(_("the steps to get there"), max_length=2000, blank=True)
    who_helps = models.CharField(_("who helps"), max_length=300, blank=True)
    review_on = models.DateField(_("when to look at it again"))
    progress = models.CharField(
        _("how it is going"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return self.goal


class Mentoring(models.Model):
    """A mentor or buddy for a new member (001 §Bridges): from when, when to review it, and what they agreed.

    A pair for a seat on a group links its appointment, whose ``buddy`` is the same
    mentor: one buddy, however it is reached (``services.start_mentoring`` keeps them one).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    new_member = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentored_by", verbose_name=_("new member")
    )
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentoring", verbose_name=_("mentor"))
    appointment = models.ForeignKey(
        "groups.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="mentoring"
    )
    starts_on = models.DateField(_("starts on"))
    review_on = models.DateField(_("review on"))
    agreed = models.TextField(_("what they agreed to do"), max_length=2000, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "new_member"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_mentor_per_new_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} mentors {self.new_member_id}"


class MentoringCheckIn(models.Model):
    """How a mentoring pair is going, written by either of them or by staff."""

    mentoring = models.ForeignKey(Mentoring, on_delete=models.CASCADE, related_name="check_ins")
    on = models.DateField(_("date"), default=timezone.localdate)
    note = EncryptedText(_("how it is going"), max_length=1000)
    by_person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"Check-in on mentoring {self.mentoring_id}"

    @property
    def author(self) -> str:
        return str(self.by_person or self.by_staff or "")


# Training, local help and preparation keep their models in their own sub-packages.
from .leaving.models import LeavingOffer  # noqa: E402, F401
from .localhelp.models import HelpEntry  # noqa: E402, F401
from .planning.models import PlannedSupervision, SupervisionInvitation  # noqa: E402, F401
from .preparation.models import Preparation, PreparationAnswer  # noqa: E402, F401
from .training.models import Course, CourseSession, ExpiryWarning, LoggedLearning, RequiredTraining  # noqa: E402, F401
