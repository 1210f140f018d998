"""The people register: member profiles, preferences, needs, consent and checks.

A Person is anyone involved, whether or not they ever sign in: a coordinator
can register someone who does not use computers and act for them. Special
category data (what helps when unwell, equality monitoring) lives in separate,
encrypted records so that it is never loaded, listed or exported by accident.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from withus.accounts.models import Organisation
from withus.core.audit import AuditedMixin
from withus.core.fields import EncryptedText
from withus.core.letters import address_block


class Tag(models.Model):
    """A word from one of the register's vocabularies, in English and Welsh."""

    class Kind(models.TextChoices):
        AREA = "area", _("Area or service")
        SKILL = "skill", _("Skill")
        INTEREST = "interest", _("Interest")
        EXPERIENCE = "experience", _("Experience")
        LANGUAGE = "language", _("Language")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=100)
    name_cy = models.CharField(_("name in Welsh"), max_length=100, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="tag_slug_unique_per_kind")]

    def __str__(self) -> str:
        if get_language() == "cy" and self.name_cy:
            return self.name_cy
        return self.name


class LocalAuthority(models.TextChoices):
    """The 22 Welsh local authority areas, and somewhere else."""

    BLAENAU_GWENT = "blaenau-gwent", _("Blaenau Gwent")
    BRIDGEND = "bridgend", _("Bridgend")
    CAERPHILLY = "caerphilly", _("Caerphilly")
    CARDIFF = "cardiff", _("Cardiff")
    CARMARTHENSHIRE = "carmarthenshire", _("Carmarthenshire")
    CEREDIGION = "ceredigion", _("Ceredigion")
    CONWY = "conwy", _("Conwy")
    DENBIGHSHIRE = "denbighshire", _("Denbighshire")
    FLINTSHIRE = "flintshire", _("Flintshire")
    GWYNEDD = "gwynedd", _("Gwynedd")
    ISLE_OF_ANGLESEY = "isle-of-anglesey", _("Isle of Anglesey")
    MERTHYR_TYDFIL = "merthyr-tydfil", _("Merthyr Tydfil")
    MONMOUTHSHIRE = "monmouthshire", _("Monmouthshire")
    NEATH_PORT_TALBOT = "neath-port-talbot", _("Neath Port Talbot")
    NEWPORT = "newport", _("Newport")
    PEMBROKESHIRE = "pembrokeshire", _("Pembrokeshire")
    POWYS = "powys", _("Powys")
    RHONDDA_CYNON_TAF = "rhondda-cynon-taf", _("Rhondda Cynon Taf")
    SWANSEA = "swansea", _("Swansea")
    TORFAEN = "torfaen", _("Torfaen")
    VALE_OF_GLAMORGAN = "vale-of-glamorgan", _("Vale of Glamorgan")
    WREXHAM = "wrexham", _("Wrexham")
    OUTSIDE_WALES = "outside-wales", _("Outside Wales")


class Perspective(models.TextChoices):
    SERVICE_USER = "service_user", _("Service user")
    CARER = "carer", _("Carer")
    BOTH = "both", _("Both a service user and a carer")


class ExperienceTiming(models.TextChoices):
    CURRENT = "current", _("Now")
    PAST = "past", _("In the past")
    BOTH = "both", _("Now and in the past")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")


class PersonQuerySet(models.QuerySet["Person"]):
    def sharing_with(self, organisation: Organisation) -> PersonQuerySet:
        """People with a current consent to share their details with the organisation."""
        shares = ConsentRecord.objects.filter(
            person=models.OuterRef("pk"),
            purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION,
            organisation=organisation,
            withdrawn_at__isnull=True,
        )
        return self.filter(models.Exists(shares))


class Person(AuditedMixin, models.Model):
    """Someone with lived experience, as a service user, a carer or both."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        STEPPED_OUT = "stepped_out", _("Stepped out for a while")
        LEFT = "left", _("Left")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    # About you
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_name = models.CharField(_("what you like to be called"), max_length=80, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), max_length=500, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    local_authority = models.CharField(
        _("local authority area"), max_length=30, choices=LocalAuthority.choices, blank=True
    )
    # Your experience
    perspective = models.CharField(_("your lived experience"), max_length=20, choices=Perspective.choices)
    experience_timing = models.CharField(
        _("when"), max_length=10, choices=ExperienceTiming.choices, default=ExperienceTiming.CURRENT
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    other_languages = models.CharField(_("other languages"), max_length=200, blank=True)
    # Free text about health and support: encrypted like the wellbeing plan (see docs/data-protection.md).
    experience_notes = EncryptedText(_("anything else about your experience"), max_length=2000)
    # When you can take part
    available_weekdays = models.BooleanField(_("weekday daytimes"), default=False)
    available_evenings = models.BooleanField(_("evenings"), default=False)
    available_weekends = models.BooleanField(_("weekends"), default=False)
    availability_notes = models.CharField(_("anything else about when you can take part"), max_length=500, blank=True)
    # How we contact you
    preferred_channel = models.CharField(
        _("how we contact you"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    needs_large_print = models.BooleanField(_("large print"), default=False)
    needs_easy_read = models.BooleanField(_("easy read"), default=False)
    needs_audio = models.BooleanField(_("audio"), default=False)
    prefers_welsh = models.BooleanField(_("in Welsh"), default=False)
    opportunity_alerts = models.CharField(
        _("how often to tell you about new opportunities"),
        max_length=10,
        choices=[
            ("weekly", _("At most once a week")),
            ("each", _("As soon as each one is published")),
            ("never", _("Never")),
        ],
        default="weekly",
    )
    # What you need to take part
    no_meetings_before_1030 = models.BooleanField(_("no meetings before 10:30"), default=False)
    needs_step_free = models.BooleanField(_("step-free venue"), default=False)
    needs_hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    travels_with_companion = models.BooleanField(_("I travel with a companion"), default=False)
    reasonable_adjustments = EncryptedText(_("other adjustments that help you"), max_length=2000)
    dietary_needs = EncryptedText(_("food and drink needs"), max_length=300)
    # Where they are
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    stepped_out_until = models.DateField(_("back from"), null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # How they came to be here
    does_not_use_computers = models.BooleanField(_("does not use computers"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    profile_step = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the person's details were erased and only a payment ledger under a reference is left.
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"
        # The register's lists are in name order, a page at a time.
        indexes = [models.Index(fields=["full_name", "id"], name="person_by_name")]

    def __str__(self) -> str:
        return self.preferred_name or self.full_name

    def address_lines(self) -> list[str]:
        """The name and postal address for a letter, a line each, ending with the postcode."""
        return address_block(self.full_name, self.address, self.postcode)

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name

    def tags_of(self, kind: str) -> list[Tag]:
        return [t for t in self.tags.all() if t.kind == kind]

    FORMAT_NEEDS = ("needs_large_print", "needs_easy_read", "needs_audio", "prefers_welsh")
    ACCESS_NEEDS = ("no_meetings_before_1030", "needs_step_free", "needs_hearing_loop", "travels_with_companion")

    @property
    def format_needs(self) -> list[str]:
        needs = []
        for field in self.FORMAT_NEEDS:
            if getattr(self, field):
                needs.append(str(getattr(self._meta.get_field(field), "verbose_name", field)))
        return needs

    @property
    def access_needs(self) -> list[str]:
        needs = []
        for field in self.ACCESS_NEEDS:
            if getattr(self, field):
                needs.append(str(getattr(self._meta.get_field(field), "verbose_name", field)))
        return needs


class WellbeingPlan(AuditedMixin, models.Model):
    """What helps when the person is unwell, written while well (002 §8).

    Health information: encrypted at rest and shown only to whom the person allows.
    """

    class Visibility(models.TextChoices):
        ONLY_ME = "only_me", _("Only me")
        COORDINATORS = "coordinators", _("Involvement coordinators of the organisations I share my details with")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="wellbeing_plan")
    what_helps = EncryptedTextField(_("what helps when I am unwell"), blank=True, null=True)
    who_to_contact = EncryptedTextField(_("who to contact if I become unwell"), blank=True, null=True)
    visible_to = models.CharField(
        _("who may see this"), max_length=20, choices=Visibility.choices, default=Visibility.ONLY_ME
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Wellbeing plan of {self.person_id}"


PREFER_NOT_TO_SAY = ("prefer_not_to_say", _("Prefer not to say"))


class EqualityMonitoring(AuditedMixin, models.Model):
    """Optional equality monitoring answers; used only in aggregate (C7, C11).

    Every question allows "prefer not to say"; every answer is encrypted.
    """

    AGE_BANDS = [
        ("under_18", _("Under 18")),
        ("18_24", "18–24"),
        ("25_34", "25–34"),
        ("35_44", "35–44"),
        ("45_54", "45–54"),
        ("55_64", "55–64"),
        ("65_74", "65–74"),
        ("75_plus", _("75 or over")),
        PREFER_NOT_TO_SAY,
    ]
    SEX = [("female", _("Female")), ("male", _("Male")), ("other", _("Another way")), PREFER_NOT_TO_SAY]
    YES_NO = [("yes", _("Yes")), ("no", _("No")), PREFER_NOT_TO_SAY]
    ORIENTATION = [
        ("heterosexual", _("Heterosexual or straight")),
        ("gay_lesbian", _("Gay or lesbian")),
        ("bisexual", _("Bisexual")),
        ("other", _("Another way")),
        PREFER_NOT_TO_SAY,
    ]
    ETHNICITY = [
        ("white", _("White")),
        ("mixed", _("Mixed or multiple ethnic groups")),
        ("asian", _("Asian, Asian Welsh or Asian British")),
        ("black", _("Black, Black Welsh, Black British, Caribbean or African")),
        ("other", _("Another ethnic group")),
        PREFER_NOT_TO_SAY,
    ]
    RELIGION = [
        ("none", _("No religion")),
        ("christian", _("Christian")),
        ("buddhist", _("Buddhist")),
        ("hindu", _("Hindu")),
        ("jewish", _("Jewish")),
        ("muslim", _("Muslim")),
        ("sikh", _("Sikh")),
        ("other", _("Another religion")),
        PREFER_NOT_TO_SAY,
    ]

    # Every question, in the order asked; each may be left unanswered or "prefer not to say".
    ANSWERS = (
        "age_band",
        "sex",
        "gender_same_as_at_birth",
        "sexual_orientation",
        "ethnicity",
        "religion",
        "disabled",
    )

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality_monitoring")
    age_band = EncryptedCharField(_("age"), max_length=20, choices=AGE_BANDS, blank=True, null=True)
    sex = EncryptedCharField(_("sex"), max_length=20, choices=SEX, blank=True, null=True)
    gender_same_as_at_birth = EncryptedCharField(
        _("is your gender the same as the sex you were registered at birth?"),
        max_length=20,
        choices=YES_NO,
        blank=True,
        null=True,
    )
    sexual_orientation = EncryptedCharField(
        _("sexual orientation"), max_length=20, choices=ORIENTATION, blank=True, null=True
    )
    ethnicity = EncryptedCharField(_("ethnic group"), max_length=20, choices=ETHNICITY, blank=True, null=True)
    religion = EncryptedCharField(_("religion or belief"), max_length=20, choices=RELIGION, blank=True, null=True)
    disabled = EncryptedCharField(
        _("do you consider yourself disabled?"), max_length=20, choices=YES_NO, blank=True, null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Equality monitoring of {self.person_id}"


class ConsentRecord(AuditedMixin, models.Model):
    """What was agreed, when, and by whom; withdrawable (C1, C11)."""

    class Purpose(models.TextChoices):
        KEEP_DETAILS = "keep_details", _("Keep my details to involve me")
        SHARE_WITH_ORGANISATION = "share_with_organisation", _("Share my details with an organisation")
        ACT_ON_BEHALF = "act_on_behalf", _("A coordinator may act for me")
        CONTACT_ABOUT_OPPORTUNITIES = "contact_about_opportunities", _("Tell me about opportunities")
        EQUALITY_MONITORING = "equality_monitoring", _("Use my equality monitoring answers in anonymous reports")

    class How(models.TextChoices):
        ONLINE = "online", _("Online, by the person")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        PAPER = "paper", _("On a paper form")
        IMPORTED = "imported", _("Brought in from an earlier register")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=40, choices=Purpose.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    given_at = models.DateTimeField(default=timezone.now)
    how = models.CharField(_("how consent was given"), max_length=20, choices=How.choices, default=How.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        ordering = ["-given_at"]
        # Who shares with an organisation now: asked on every staff list of people.
        indexes = [
            models.Index(
                fields=["organisation", "purpose", "person"],
                name="consent_sharing",
                condition=models.Q(withdrawn_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose", "organisation"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.person_id})"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class DbsCheck(AuditedMixin, models.Model):
    """A criminal record (DBS) check, recorded only where a role needs one (002 §6)."""

    class Status(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not needed")
        APPLIED = "applied", _("Applied for")
        CLEAR = "clear", _("Complete: nothing to discuss")
        TO_DISCUSS = "to_discuss", _("Complete: to talk through privately")
        EXPIRED = "expired", _("Needs renewing")

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        STANDARD = "standard", _("Standard")
        ENHANCED = "enhanced", _("Enhanced")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dbs_checks")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    checked_on = models.DateField(_("date of the certificate"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        get_latest_by = "recorded_at"

    def __str__(self) -> str:
        return f"DBS {self.get_status_display()} ({self.person_id})"

    def is_in_future(self) -> bool:
        return self.checked_on is not None and self.checked_on > date.today()


class AssistedAction(models.Model):
    """Something a coordinator did on a person's behalf, shown to the person.

    Stored as a kind and a detail (a section or consent code), not as text, so that
    each reader sees it in their own language.
    """

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered you and recorded your consent")
        CHANGED_DETAILS = "changed_details", _("Changed your details")
        CHANGED_WELLBEING = "changed_wellbeing", _("Changed what helps when you are unwell")
        CHANGED_EQUALITY = "changed_equality", _("Changed your equality monitoring answers")
        RECORDED_CONSENT = "recorded_consent", _("Recorded your consent")
        WITHDREW_CONSENT = "withdrew_consent", _("Withdrew your consent")
        STEPPED_OUT = "stepped_out", _("Paused your involvement")
        CAME_BACK = "came_back", _("Restarted your involvement")
        LEFT = "left", _("Recorded that you left")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assisted_actions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    detail = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return str(self.description)

    @property
    def description(self) -> str:
        text = str(self.get_kind_display())
        if self.kind in (self.Kind.RECORDED_CONSENT, self.Kind.WITHDREW_CONSENT) and self.detail:
            purpose = ConsentRecord.Purpose(self.detail).label if self.detail in ConsentRecord.Purpose.values else ""
            return f"{text}: {purpose}" if purpose else text
        if self.kind == self.Kind.CHANGED_DETAILS and self.detail:
            from .sections import section_title

            title = section_title(self.detail)
            return f"{text}: {title}" if title else text
        return text


class ExitInterview(models.Model):
    """Offered to everyone who leaves (001 appendix 1 §Ending)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exit_interviews")
    offered_at = models.DateTimeField(default=timezone.now)
    wants_conversation = models.BooleanField(_("I would like to talk to someone about leaving"), default=False)
    reasons = models.TextField(_("why are you leaving?"), max_length=2000, blank=True)
    went_well = models.TextField(_("what went well?"), max_length=2000, blank=True)
    could_be_better = models.TextField(_("what could have been better?"), max_length=2000, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Exit interview ({self.person_id})"


class OutgoingMessage(models.Model):
    """A message to a person. E-mails are sent at once; letters, calls and texts wait for a coordinator.

    Nobody is left out for not using e-mail: a message for someone who prefers post
    stays "to print" until a coordinator prints and posts it (001 §Barriers).
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent by e-mail")
        TO_PRINT = "to_print", _("Letter to print and post")
        TO_CALL = "to_call", _("To tell them by phone")
        TO_TEXT = "to_text", _("To send by text message")
        # Held by GOV.UK Notify's rate limit or a fault there: tried again through Notify, never printed.
        TO_EMAIL = "to_email", _("E-mail waiting to send")
        DONE = "done", _("Done")
        FAILED = "failed", _("Could not send")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the letter is printed in a batch of its own, fuller than this text (a session's letters,
    # "you said, we did", a leaving offer): the outbox (``people.outbox``) does not print it again.
    own_batch = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        db_table = "core_outgoingmessage"  # made when messages lived in core; kept so no row moves
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status"], name="message_waiting")]

    def __str__(self) -> str:
        return self.subject


class CallAttempt(models.Model):
    """One try at telling someone by phone what a waiting message says, and how it went.

    A call that tells a person several waiting messages at once is an attempt on each of them,
    written together (same ``at``). Which outcomes finish the call, and when it may need a
    letter instead, is ``withus.people.outbox.rules``.
    """

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached them")
        LEFT_MESSAGE = "left_message", _("Left a message")
        NO_ANSWER = "no_answer", _("No answer")
        TRY_AGAIN = "try_again", _("Try again later")

    # Deleted with the message, so erasing a person's messages takes their calls' notes too.
    message = models.ForeignKey(OutgoingMessage, on_delete=models.CASCADE, related_name="call_attempts")
    outcome = models.CharField(_("what happened"), max_length=20, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    try_after = models.DateTimeField(_("try again after"), null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["message", "at"], name="call_attempts_of_message")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.message_id})"


class SensitiveRead(models.Model):
    """Someone at an organisation saw a person's sensitive details: who, whose, what, when and how.

    Kept so that the person can see who has looked (on "My details") and the
    organisation's admin can review it (PRODUCT C11). Reads by the person themself
    are not recorded.
    """

    class What(models.TextChoices):
        CONTACT = "contact", _("contact details")
        NEEDS = "needs", _("access and support needs")
        DBS = "dbs", _("DBS record")
        BENEFITS = "benefits", _("benefits")
        BANK = "bank", _("bank details")

    class Via(models.TextChoices):
        WEB = "web", _("on WithUs")
        API = "api", _("through the API")
        EXPORT = "export", _("in a file")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sensitive_reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    what = models.CharField(max_length=20, choices=What.choices)
    via = models.CharField(max_length=10, choices=Via.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"]), models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_what_display()} of {self.person_id} read by {self.reader_id}"


class Erasure(models.Model):
    """A person asked for their details to be erased (UK GDPR Art. 17; PRODUCT C11).

    Nothing here says who they were: the reference is random, and the fingerprint is a
    hash of their register number and the moment they registered, so that after a backup
    is restored the same erasure can be applied again (``withus privacy replay``) to the
    same record and no other. While money is still owed to them the erasure waits, and
    ``person`` points at them; afterwards it points at what is left (the payment ledger),
    or at nothing. The address for a confirmation letter is kept, encrypted, only until
    the letter is printed.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a payment to be made first")
        DONE = "done", _("Erased")

    class Via(models.TextChoices):
        WEB = "web", _("on WithUs")
        API = "api", _("through the API")
        COMMAND = "command", _("by staff, from a written request")

    class Confirmation(models.TextChoices):
        EMAIL = "email", _("By e-mail")
        LETTER = "letter", _("By letter")
        NONE = "none", _("No way to reach them was held")

    reference = models.CharField(max_length=20, unique=True)
    fingerprint = models.CharField(max_length=64)
    person_number = models.PositiveBigIntegerField()
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    via = models.CharField(max_length=10, choices=Via.choices)
    waived_unpaid = models.BooleanField(default=False)
    requested_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    ledger_kept_until = models.DateField(null=True, blank=True)
    confirmation = models.CharField(max_length=10, choices=Confirmation.choices, blank=True)
    confirmation_language = models.CharField(max_length=5, default="en")
    letter_address: str = EncryptedText(max_length=700)  # reads back as text, "" when empty
    letter_printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure {self.reference} ({self.status})"
