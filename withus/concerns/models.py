"""Concerns' records.

An anonymous concern holds nothing that points at the person who raised it: no person, no
account, no contact details, and its PIN only as a password hash. It is not in the audit log
either (``apps.py`` registers only what staff do to it), since the log records who was
signed in when a row was written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.people.models import Person
from withus.support.localhelp.models import HelpEntry

from . import rules


class ConcernPolicy(models.Model):
    """The rules an organisation handles concerns under (one per organisation; NHS Wales until chosen)."""

    class RuleSetChoice(models.TextChoices):
        NHS_WALES = "nhs_wales", _("NHS Wales: Putting Things Right")
        NHS_ENGLAND = "nhs_england", _("NHS England: the complaints regulations")
        OWN = "own", _("The organisation's own procedure")

    class Nation(models.TextChoices):
        WALES = "wales", _("Wales")
        ENGLAND = "england", _("England")

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="concern_policy")
    rule_set = models.CharField(
        _("rules"), max_length=20, choices=RuleSetChoice.choices, default=RuleSetChoice.NHS_WALES
    )
    nation = models.CharField(
        _("nation (for the organisation's own procedure)"), max_length=10, choices=Nation.choices, default=Nation.WALES
    )
    acknowledge_days = models.PositiveSmallIntegerField(_("working days to acknowledge (own procedure)"), default=2)
    respond_days = models.PositiveSmallIntegerField(_("working days to respond (own procedure)"), default=30)
    protection_months = models.PositiveSmallIntegerField(
        _("months a member who raised a concern is protected from removal"), default=rules.PROTECTION_MONTHS
    )

    def __str__(self) -> str:
        return f"Concern rules of {self.organisation}"

    @property
    def handling_rules(self) -> rules.RuleSet:
        return rules.rule_set_for(
            self.rule_set, nation=self.nation, acknowledge_days=self.acknowledge_days, respond_days=self.respond_days
        )


class Concern(models.Model):
    """A concern or a complaint, from when it is received to when it is closed (and any appeal)."""

    class Kind(models.TextChoices):
        CONCERN = "concern", _("A concern")
        COMPLAINT = "complaint", _("A complaint")

    class About(models.TextChoices):
        MEMBER = "member", _("A member")
        STAFF = "staff", _("A member of staff")
        SUPPORT_ORGANISATION = "support_organisation", _("A support organisation")
        HOST_ORGANISATION = "host_organisation", _("A host organisation")
        PROCESS = "process", _("How things are done")

    class Channel(models.TextChoices):
        WEB = "web", _("On the website")
        PHONE = "phone", _("By phone")
        LETTER = "letter", _("By letter")
        IN_PERSON = "in_person", _("In person")

    class Outcome(models.TextChoices):
        WELL_FOUNDED = "well_founded", _("Well founded")
        PARTLY = "partly", _("Partly well founded")
        NOT_WELL_FOUNDED = "not_well_founded", _("Not well founded")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="concerns")
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    kind = models.CharField(_("concern or complaint"), max_length=10, choices=Kind.choices, default=Kind.CONCERN)
    about = models.CharField(_("what it is about"), max_length=30, choices=About.choices)
    about_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns_about"
    )
    about_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns_about"
    )
    about_detail = models.CharField(_("who or what, in your words"), max_length=200, blank=True)
    # The group's ground rules the concern is about, when it is about one (002 §9).
    agreement = models.ForeignKey(
        "groups.GroupAgreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("the ground rules it is about"),
    )
    text = models.TextField(_("what happened"), max_length=10000)
    wanted = models.TextField(_("what you would like to happen"), max_length=2000, blank=True)
    channel = models.CharField(_("how it came"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # Who raised it, when they are not anonymous: a member's record, or a name and a way to reach them.
    raised_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns_raised"
    )
    raiser_name = models.CharField(_("your name"), max_length=150, blank=True)
    raiser_contact = models.CharField(_("how to reach you"), max_length=200, blank=True)
    pin_hash = models.CharField(max_length=200, blank=True)
    # The member of staff who wrote down a concern raised by phone, letter or in person.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(_("received"))
    stage = models.CharField(_("stage"), max_length=20, choices=rules.Stage.CHOICES, default=rules.Stage.RECEIVED)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns_held"
    )
    # The rules it is handled under, fixed when it is received (a later change of policy does not move its clock).
    rule_set = models.CharField(max_length=20)
    nation = models.CharField(max_length=10)
    acknowledge_days = models.PositiveSmallIntegerField()
    respond_days = models.PositiveSmallIntegerField(null=True, blank=True)
    agreed_response_date = models.DateField(null=True, blank=True)
    mediator = models.ForeignKey(HelpEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    mediation_referred_on = models.DateField(null=True, blank=True)
    mediation_outcome = models.TextField(_("what came of mediation"), max_length=2000, blank=True)
    appeal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("was it well founded?"), max_length=20, choices=Outcome.choices, blank=True)
    learning = models.TextField(_("what we are doing differently"), max_length=2000, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "stage"], name="concerns_by_stage")]

    def __str__(self) -> str:
        return self.reference

    @property
    def handling_rules(self) -> rules.RuleSet:
        return rules.rule_set_for(
            self.rule_set, nation=self.nation, acknowledge_days=self.acknowledge_days, respond_days=self.respond_days
        )

    @property
    def ombudsman(self) -> rules.Ombudsman | None:
        return rules.OMBUDSMEN.get(self.nation)


class Step(models.Model):
    """A stage the concern reached: who holds it, when the next thing is due, and what the person was told."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=20, choices=rules.Stage.CHOICES)
    on = models.DateField(_("date"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("next due"), null=True, blank=True)
    told = models.TextField(_("what the person was told"), max_length=5000, blank=True)
    note = models.TextField(_("note for staff"), max_length=2000, blank=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.concern} {self.stage} {self.on}"


class Message(models.Model):
    """What the person who raised the concern wrote after raising it (by PIN, or signed in)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="messages")
    text = models.TextField(_("your message"), max_length=5000)
    on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"Message on {self.concern}"


class Pause(models.Model):
    """The clock stopped while waiting for the person who raised the concern; it restarts when they answer."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    asked = models.TextField(_("what we asked"), max_length=2000)

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"Pause on {self.concern} from {self.started_on}"


class Extension(models.Model):
    """A later response date, agreed with the person who raised the concern on a recorded day."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="extensions")
    agreed_on = models.DateField(_("date agreed"))
    respond_by = models.DateField(_("new response date"))
    reason = models.TextField(_("why more time is needed"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["agreed_on", "pk"]

    def __str__(self) -> str:
        return f"Extension of {self.concern} to {self.respond_by}"


class OverdueFlag(models.Model):
    """The handler and the coordinators were told a concern is late: once for each thing late by each due date."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="overdue_flags")
    late = models.CharField(max_length=20)
    due_on = models.DateField()
    flagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concern", "late", "due_on"], name="one_flag_per_due_date")]

    def __str__(self) -> str:
        return f"{self.concern} late {self.late}"


class LearningAction(models.Model):
    """What is being done differently after a concern, with an owner and a due date.

    Not ``withus.meetings.Action``: those belong to a session and are followed up with it;
    these belong to a concern and are reported in the yearly concerns summary.
    """

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("what will be done"), max_length=1000)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"))
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ProtectedDecision(models.Model):
    """Removing from a seat, stepping out or refusing a place a member who recently raised a concern:
    the reason recorded by whoever decides, and reviewed by someone independent of the decision before
    it can be carried out (001 §Independence of Voice). Audited.
    """

    class Kind(models.TextChoices):
        SEAT = "seat", _("End their seat")
        STEP_OUT = "step_out", _("Step them out")
        PLACE = "place", _("Refuse them a place")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="protected_decisions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="protected_decisions")
    kind = models.CharField(_("decision"), max_length=10, choices=Kind.choices)
    # The appointment (seat), the application (place) or the person (stepping out) it is about.
    subject_id = models.PositiveBigIntegerField()
    subject = models.CharField(max_length=200)
    reason = models.TextField(_("reason"), max_length=2000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(default=timezone.localdate)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    upheld = models.BooleanField(null=True)
    review_note = models.TextField(_("what the reviewer found"), max_length=2000, blank=True)
    carried_out_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"


from withus.concerns.independence.models import IndependenceRisk  # noqa: E402, F401
from withus.concerns.interests.models import Interest  # noqa: E402, F401
