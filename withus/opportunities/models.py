"""Opportunities on the engagement pathway, applications, selection and draws (C2, C3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.audit import AuditedMixin
from withus.groups.models import Group
from withus.people.models import LocalAuthority, Person


class Level(models.IntegerChoices):
    """The Engagement Pathway (001 appendix 2): fixed vocabulary."""

    INFORMED = 1, _("Informed")
    CONSULTED = 2, _("Consulted")
    ENGAGED = 3, _("Engaged")
    INFLUENCING = 4, _("Influencing")
    CO_PRODUCING = 5, _("Co-producing")
    LEADING = 6, _("Leading")


# Each level of the pathway in plain words: what taking part at that level means for the person.
LEVEL_MEANINGS = {
    Level.INFORMED: _("we tell you what is happening and why"),
    Level.CONSULTED: _("we ask your views"),
    Level.ENGAGED: _("you take part in an activity with us"),
    Level.INFLUENCING: _("your views help shape a decision"),
    Level.CO_PRODUCING: _("we plan and decide together, as equals"),
    Level.LEADING: _("you lead the work, and we support you"),
}


def level_meaning(level: int) -> str:
    """A level's name and what it means, in the active language."""
    return gettext("%(level)s: %(meaning)s") % {"level": Level(level).label, "meaning": LEVEL_MEANINGS[Level(level)]}


class ApplicationProcess(models.TextChoices):
    NONE = "none", _("No application: register your interest")
    EXPRESSION_OF_INTEREST = "expression_of_interest", _("A short expression of interest")
    APPLICATION_FORM = "application_form", _("An application form with references")


class LevelDefault(AuditedMixin, models.Model):
    """An organisation's own defaults for one pathway level, overriding the built-in ones."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="level_defaults")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    time_commitment = models.CharField(_("time commitment"), max_length=200)
    time_commitment_cy = models.CharField(_("time commitment in Welsh"), max_length=200, blank=True)
    application_process = models.CharField(_("application process"), max_length=30, choices=ApplicationProcess.choices)
    reward = models.CharField(_("reward offered"), max_length=200)
    reward_cy = models.CharField(_("reward offered in Welsh"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "level"], name="one_default_per_level")]
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_level_display()}"


class UnderRepresentedTag(models.Model):
    """A group the organisation marks as under-represented (003 Presence), used to stratify draws.

    Marked by the register's words (a language, an area, a service, an interest), never by
    special category data, which is only ever used in aggregate.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="under_represented")
    tag = models.ForeignKey("people.Tag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "tag"], name="mark_a_tag_once")]

    def __str__(self) -> str:
        return str(self.tag)


class Where(models.TextChoices):
    """Where involvement happens (003 §4)."""

    INDIVIDUAL_CARE = "individual_care", _("Individual care")
    COMMUNITY = "community", _("Community")
    OPERATIONAL = "operational", _("Operational")
    STRATEGIC = "strategic", _("Strategic")
    MONITORING = "monitoring", _("Monitoring and evaluation")


class RoleOffered(models.TextChoices):
    """The role an opportunity offers (003 Presence)."""

    AMBASSADOR = "ambassador", _("Ambassador")
    CRITICAL_FRIEND = "critical_friend", _("Critical friend")
    CO_WORKER = "co_worker", _("Co-worker")
    CONSULTANT = "consultant", _("Consultant")
    EXPERT_BY_EXPERIENCE = "expert_by_experience", _("Expert by experience")
    REPRESENTATIVE = "representative", _("Representative")


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def open(self) -> OpportunityQuerySet:
        today = timezone.localdate()
        return self.filter(status=Opportunity.Status.PUBLISHED).filter(
            models.Q(closes_on__isnull=True) | models.Q(closes_on__gte=today)
        )


class Opportunity(AuditedMixin, models.Model):
    """A role, panel, seat, project, focus group... that people with lived experience can take up."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class View(models.TextChoices):
        PERSONAL = "personal", _("Your own view, from your own experience")
        REPRESENTATIVE = "representative", _("The views of the people you represent")

    class Location(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BOTH = "both", _("In person or online")

    class Reward(models.TextChoices):
        FEE = "fee", _("A fee for your time, and expenses")
        VOUCHER = "voucher", _("Vouchers, and expenses")
        EXPENSES = "expenses", _("Expenses only")
        NONE = "none", _("No payment (volunteering)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="opportunities")
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="opportunities")
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), max_length=3000)
    purpose_cy = models.TextField(_("purpose in Welsh"), max_length=3000, blank=True)
    intended_outcomes = models.TextField(_("intended outcomes"), max_length=3000)
    intended_outcomes_cy = models.TextField(_("intended outcomes in Welsh"), max_length=3000, blank=True)
    influence = models.TextField(_("what influence it has, and its limits"), max_length=3000)
    influence_cy = models.TextField(_("influence and limits in Welsh"), max_length=3000, blank=True)
    view = models.CharField(_("whose view you give"), max_length=20, choices=View.choices, default=View.PERSONAL)
    level = models.PositiveSmallIntegerField(_("level on the engagement pathway"), choices=Level.choices)
    application_process = models.CharField(_("how people respond"), max_length=30, choices=ApplicationProcess.choices)
    time_commitment = models.CharField(_("time commitment"), max_length=200)
    time_commitment_cy = models.CharField(_("time commitment in Welsh"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    location = models.CharField(_("where"), max_length=20, choices=Location.choices, default=Location.IN_PERSON)
    venue = models.CharField(_("venue or online platform"), max_length=300, blank=True)
    local_authority = models.CharField(_("area"), max_length=30, choices=LocalAuthority.choices, blank=True)
    accessibility = models.TextField(_("accessibility"), max_length=2000, blank=True)
    accessibility_cy = models.TextField(_("accessibility in Welsh"), max_length=2000, blank=True)
    reward = models.CharField(_("reward"), max_length=20, choices=Reward.choices, default=Reward.FEE)
    reward_details = models.CharField(_("reward details"), max_length=300, blank=True)
    reward_details_cy = models.CharField(_("reward details in Welsh"), max_length=300, blank=True)
    places = models.PositiveSmallIntegerField(_("places"))
    reserves = models.PositiveSmallIntegerField(_("reserves and deputies"), default=0)
    requires_dbs = models.BooleanField(_("needs a DBS check"), default=False)
    required_training = models.CharField(_("training needed before starting"), max_length=300, blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact person")
    )
    role_description = models.TextField(_("role description"), max_length=6000, blank=True)
    role_description_cy = models.TextField(_("role description in Welsh"), max_length=6000, blank=True)
    person_specification = models.TextField(_("person specification"), max_length=4000, blank=True)
    person_specification_cy = models.TextField(_("person specification in Welsh"), max_length=4000, blank=True)
    co_produced = models.BooleanField(
        _("role description co-produced with people with lived experience"), default=False
    )
    tags = models.ManyToManyField(
        "people.Tag", blank=True, related_name="opportunities", verbose_name=_("topics and services")
    )
    where = models.CharField(_("where the involvement happens"), max_length=20, choices=Where.choices)
    role_offered = models.CharField(_("role offered"), max_length=30, choices=RoleOffered.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    short_code = models.CharField(max_length=12, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "title"]
        verbose_name_plural = "opportunities"
        constraints = [models.CheckConstraint(condition=models.Q(places__gte=1), name="at_least_one_place")]

    def __str__(self) -> str:
        return self.text("title")

    @property
    def level_meaning(self) -> str:
        """The pathway level and what it means in plain words: "Consulted: we ask your views"."""
        return level_meaning(self.level)

    def text(self, field: str) -> str:
        """A published text in the page's language, falling back to English."""
        if get_language() == "cy":
            welsh = getattr(self, f"{field}_cy", "")
            if welsh:
                return str(welsh)
        return str(getattr(self, field))

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED and (
            self.closes_on is None or self.closes_on >= timezone.localdate()
        )


class AdvertisingChannel(models.Model):
    """Where an opportunity was advertised, so reach can be compared (001 §3.3)."""

    class Channel(models.TextChoices):
        BOARD = "board", _("WithUs board")
        EMAIL = "email", _("E-mail to members")
        GP = "gp", _("GP surgeries")
        CMHT = "cmht", _("Community mental health teams")
        PHARMACY = "pharmacy", _("Pharmacies")
        DROP_IN = "drop_in", _("Drop-ins and community groups")
        FOOD_BANK = "food_bank", _("Food banks")
        SOCIAL_MEDIA = "social_media", _("Social media")
        NEWSLETTER = "newsletter", _("Newsletter")
        PRESS = "press", _("Local press or radio")
        WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
        OTHER = "other", _("Other")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    used_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        ordering = ["used_on"]

    def __str__(self) -> str:
        return self.get_channel_display()


class Application(AuditedMixin, models.Model):
    """A person's response to an opportunity, from registered interest to a full application."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, not sent")
        RECEIVED = "received", _("Received")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WAITING_LIST = "waiting_list", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    why = models.TextField(_("why you are interested"), max_length=3000, blank=True)
    experience = models.TextField(_("what you would bring"), max_length=3000, blank=True)
    support_needed = models.TextField(_("support you would need"), max_length=2000, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    waiting_position = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback_requested_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("feedback"), max_length=3000, blank=True)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "person"], name="one_application_per_opportunity")
        ]
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.person} → {self.opportunity}"


class Reference(models.Model):
    """A referee for an application form (level 6 by default)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(_("referee's name"), max_length=150)
    relationship = models.CharField(_("how they know you"), max_length=200)
    email = models.EmailField(_("referee's e-mail"), blank=True)
    phone = models.CharField(_("referee's phone"), max_length=40, blank=True)

    def __str__(self) -> str:
        return self.name


class SelectionMethod(models.TextChoices):
    """Selection methods from least to most formal (001 §3.5)."""

    OPEN_INVITATION = "open_invitation", _("Open invitation")
    SELF_SELECTION = "self_selection", _("Self-selection or volunteering")
    INFORMAL_CHAT = "informal_chat", _("Informal chat")
    GROUP_EVENT = "group_event", _("Group event")
    EXPRESSION_OF_INTEREST = "expression_of_interest", _("Expression of interest")
    FORMAL_INVITATION = "formal_invitation", _("Formal invitation")
    INFORMAL_INTERVIEW = "informal_interview", _("Informal interview")
    CV = "cv", _("CV")
    APPLICATION_FORM = "application_form", _("Application form")
    FORMAL_INTERVIEW = "formal_interview", _("Formal interview")
    DRAW = "draw", _("A fair draw")


class Selection(models.Model):
    """How an opportunity's places were decided, recorded for openness (001 §3.5, C3)."""

    opportunity = models.OneToOneField(Opportunity, on_delete=models.CASCADE, related_name="selection")
    method = models.CharField(_("selection method"), max_length=30, choices=SelectionMethod.choices)
    adaptations = models.TextField(_("how the method was adapted to people's needs"), max_length=2000, blank=True)
    criteria_co_produced = models.BooleanField(_("scoring criteria co-produced"), default=False)
    observer_present = models.BooleanField(_("an independent observer was present"), default=False)
    observer_name = models.CharField(_("observer's name"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.opportunity})"


class ScoringCriterion(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(_("criterion"), max_length=300)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class PanelScore(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, on_delete=models.CASCADE, related_name="scores")
    panel_member = models.CharField(_("panel member"), max_length=150)
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion", "panel_member"], name="one_score_each")
        ]

    def __str__(self) -> str:
        return f"{self.panel_member}: {self.score}"


class Draw(models.Model):
    """A recorded, reproducible lottery for places (C2 fairness)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="draws")
    seed = models.CharField(max_length=64)
    places = models.PositiveSmallIntegerField()
    inputs = models.JSONField()
    result = models.JSONField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"Draw {self.seed} for {self.opportunity_id}"


class Referral(AuditedMixin, models.Model):
    """Frontline staff refer someone to the involvement team, with the person's consent."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        REGISTERED = "registered", _("Registered")
        DECLINED = "declined", _("Did not want to go ahead")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="referrals")
    person_name = models.CharField(_("the person's name"), max_length=150)
    contact = models.CharField(_("how to contact them"), max_length=300)
    preferred_channel = models.CharField(
        _("how they would like to be contacted"),
        max_length=10,
        choices=[("email", _("E-mail")), ("post", _("Post")), ("phone", _("Phone call")), ("text", _("Text message"))],
    )
    interests = models.CharField(_("what they might like to do"), max_length=500, blank=True)
    referred_by_name = models.CharField(_("your name"), max_length=150)
    referred_by_role = models.CharField(_("your team or role"), max_length=200)
    consent_given = models.BooleanField(_("the person agrees to this referral"))
    consent_how = models.CharField(
        _("how they agreed"),
        max_length=20,
        choices=[("in_person", _("In person")), ("phone", _("By phone")), ("paper", _("On a paper form"))],
    )
    notes = models.TextField(_("anything else the team should know"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Referral of {self.person_name}"


class MatchNotice(models.Model):
    """A person was told about an opportunity that fits them (kept to limit how often)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_notices")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="match_notices")
    sent_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "opportunity"], name="told_once_per_opportunity")]

    def __str__(self) -> str:
        return f"{self.person_id} told of {self.opportunity_id}"
