"""Users, organisations and the roles a user holds in each organisation."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is needed to sign in")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """Someone who signs in. People who never sign in have only a Person record."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


# The organisation's one small-number threshold: any count of people above nought and below it is
# hidden wherever figures are shown (survey results, presence, concerns, the annual report; on the
# page, in charts, CSV, PDF and the API), so that nobody can be picked out.
DEFAULT_SMALL_NUMBER_THRESHOLD = 5
SMALLEST_SMALL_NUMBER_THRESHOLD = 2
LARGEST_SMALL_NUMBER_THRESHOLD = 50
SMALL_NUMBER_THRESHOLD_RANGE = _("Choose a number from 2 to 50.")


class Organisation(models.Model):
    """An NHS body, council, charity or user-led group using the installation."""

    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    slug = models.SlugField(unique=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    # The benefits guard never advises: it points members to this adviser (000 §Impact on Benefits).
    welfare_adviser = models.CharField(_("welfare rights adviser (name or service)"), max_length=200, blank=True)
    welfare_adviser_contact = models.CharField(
        _("how to contact the welfare rights adviser"), max_length=300, blank=True
    )
    expenses_need_agreement = models.BooleanField(
        _("expenses must be agreed with us beforehand"),
        default=False,
        help_text=_("Taxis and accommodation always need agreeing first."),
    )
    # Changed only through ``services.set_small_number_threshold`` (2 to 50, admins, audited).
    small_number_threshold = models.PositiveSmallIntegerField(
        _("hide any count below"),
        default=DEFAULT_SMALL_NUMBER_THRESHOLD,
        validators=[
            MinValueValidator(SMALLEST_SMALL_NUMBER_THRESHOLD, SMALL_NUMBER_THRESHOLD_RANGE),
            MaxValueValidator(LARGEST_SMALL_NUMBER_THRESHOLD, SMALL_NUMBER_THRESHOLD_RANGE),
        ],
        help_text=_(
            "Counts below this are hidden in charts, tables, exports and the API, so nobody can be picked out."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        """The name in the page's language: Welsh when the page is Welsh and a Welsh name is set."""
        return self.display_name(get_language())

    def display_name(self, language: str | None = None) -> str:
        if language == "cy" and self.name_cy:
            return self.name_cy
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    COORDINATOR = "coordinator", _("Coordinator")
    BUDGET_HOLDER = "budget_holder", _("Budget holder")
    SUPERVISOR = "supervisor", _("Supervisor")
    DECISION_MAKER = "decision_maker", _("Decision-maker")
    ADMIN = "admin", _("Organisation admin")
    # Reads safeguarding notes about members, which nobody else at the organisation sees (002 §6).
    SAFEGUARDING_LEAD = "safeguarding_lead", _("Safeguarding lead")


class Membership(models.Model):
    """One role that a user holds in one organisation.

    A user may hold several roles in one organisation, and be a member in one
    organisation while staff in another.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_role_once_per_organisation")
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token carrying the user's role in one organisation.

    Only a SHA-256 hash of the token is stored; the token itself is shown once.
    """

    PREFIX = "wu_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw_token(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class SecurityEvent(models.Model):
    """Something that matters for the security of accounts: kept for the organisation's admin to review."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("A sign-in with a wrong password")
        SECOND_STEP_FAILED = "second_step_failed", _("A wrong authenticator code")
        TOKEN_ISSUED = "token_issued", _("An API token was made")
        TOKEN_REVOKED = "token_revoked", _("An API token was revoked")
        TOKEN_USED = "token_used", _("An API token was used")
        EXPORT = "export", _("Everything held about a person was downloaded")
        ERASURE = "erasure", _("A person's account was erased")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"
