"""Groups people are appointed to, their seats and terms, and representatives' report-backs.

The tables were created by the opportunities and meetings apps and keep those names
(``db_table``), so moving the models here moved no rows. This app sits below
opportunities and meetings: it names their models only as strings ("opportunities.Opportunity",
"meetings.Session") and never imports them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.audit import AuditedMixin
from withus.people.models import Person


class Group(models.Model):
    """A board, committee, panel or project that people are appointed to."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Board")
        COMMITTEE = "committee", _("Committee")
        PANEL = "panel", _("Panel")
        PROJECT = "project", _("Project")
        NETWORK = "network", _("Local group or network")
        FORUM = "forum", _("Regional or national forum")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    makes_decisions = models.BooleanField(_("makes decisions"), default=False)

    class Meta:
        db_table = "opportunities_group"
        ordering = ["name"]

    def __str__(self) -> str:
        if get_language() == "cy" and self.name_cy:
            return self.name_cy
        return self.name


class Appointment(AuditedMixin, models.Model):
    """A person's seat on a board, committee, panel or project, with its term (001 §Terms of office)."""

    class Seat(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        DEPUTY = "deputy", _("Deputy")
        RESERVE = "reserve", _("Reserve")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="appointments")
    # Where the appointment came from, if from an opportunity's selection.
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    seat = models.CharField(_("seat"), max_length=20, choices=Seat.choices, default=Seat.MEMBER)
    term_start = models.DateField(_("term starts"))
    planned_end = models.DateField(_("term planned to end"))
    review_on = models.DateField(_("review date"), null=True, blank=True)
    deputy = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("deputy")
    )
    buddy = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("buddy or mentor")
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # The group this seat's holder represents (001 appendix 3): a local group's representative on a
    # board, or a board's on a regional forum. Empty for a seat held in one's own right.
    speaks_for = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("speaks for"),
    )
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "opportunities_appointment"
        ordering = ["planned_end"]

    def __str__(self) -> str:
        return f"{self.person} – {self.group}"


class ReportBack(models.Model):
    """A representative reports back to the group they speak for (001 §Post Meeting)."""

    session = models.ForeignKey("meetings.Session", on_delete=models.CASCADE, related_name="report_backs")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="report_backs")
    reported_to = models.CharField(_("the group reported to"), max_length=200)
    summary = models.TextField(_("what was reported"), max_length=4000)
    reported_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        db_table = "meetings_reportback"

    def __str__(self) -> str:
        return f"{self.person} → {self.reported_to}"


# ---- Anonymous ballots that anyone in the group can check (002 §2) ----------------------------------
#
# The roll (who may vote and whether they have) and the ballot box (receipt hash and choice) are
# separate tables with nothing in common but the ballot. A cast ballot has no voter, no time and
# no sequence: its primary key is the hash of a random receipt, so neither its key nor its order
# says who cast it or when. When the observers confirm the close, the box is written again in
# hash order in one transaction, so that SQLite's hidden rowid and PostgreSQL's physical order
# and transaction ids are those of the close, not of each vote.


class Ballot(models.Model):
    """A question a group decides by secret ballot, with its choices, roll and observers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not open yet")
        OPEN = "open", _("Open for voting")
        CLOSED = "closed", _("Voting closed, waiting for the observers")
        PUBLISHED = "published", _("Closed and published")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="ballots")
    question = models.CharField(_("question"), max_length=300)
    question_cy = models.CharField(_("question in Welsh"), max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    first_observer = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("first observer")
    )
    second_observer = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("second observer")
    )
    first_observer_confirmed = models.BooleanField(default=False)
    second_observer_confirmed = models.BooleanField(default=False)
    # Set when the ballot opened in a group small enough for the result to show how people voted.
    small_group_warning_accepted = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        if get_language() == "cy" and self.question_cy:
            return self.question_cy
        return self.question


class BallotOption(models.Model):
    """One of the answers a ballot offers."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("choice"), max_length=200)
    label_cy = models.CharField(_("choice in Welsh"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        if get_language() == "cy" and self.label_cy:
            return self.label_cy
        return self.label


class BallotVoter(models.Model):
    """A member on a ballot's roll, and whether they have voted: published to the group.

    It holds no receipt and no time, so nothing here leads to a cast ballot.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="roll")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    has_voted = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "person"], name="one_place_on_a_roll")]

    def __str__(self) -> str:
        return f"{self.person} – {self.ballot}"


class PaperReceipt(models.Model):
    """A receipt printed on a paper ballot and not used yet: its hash only, given to nobody in particular."""

    receipt_hash = models.CharField(max_length=64, primary_key=True)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_receipts")

    def __str__(self) -> str:
        return self.receipt_hash


class CastBallot(models.Model):
    """A vote in the ballot box: the hash of its receipt and the choice, nothing else."""

    receipt_hash = models.CharField(max_length=64, primary_key=True)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="box")
    option = models.ForeignKey(BallotOption, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["receipt_hash"]

    def __str__(self) -> str:
        return self.receipt_hash


class RepresentativeView(models.Model):
    """A view a member of the group sends their representative before a meeting, and what came of it."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="views_sent")
    sent_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="views_sent")
    session = models.ForeignKey(
        "meetings.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for the meeting"),
    )
    text = models.TextField(_("your view"), max_length=2000)
    sent_on = models.DateField(default=timezone.localdate)
    # None until the representative says whether they raised it.
    raised = models.BooleanField(_("raised at the meeting"), null=True)
    outcome = models.TextField(_("what came of it"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.sent_by} → {self.appointment}"


class PartnerMessage(models.Model):
    """A representative's message to the members of the board or committee they sit on, sent directly
    (001 §Communication between meetings): the support organisation is copied only if they chose."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="partner_messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=5000)
    copy_support = models.BooleanField(_("copy the organisation that supports me"), default=False)
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


from withus.groups.agreements.models import Agreed, CodeOfConduct, GroupAgreement  # noqa: E402, F401
