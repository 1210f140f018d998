"""Writes to users, organisations, roles and API tokens."""

from __future__ import annotations

from datetime import timedelta

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.core.audit import acting_as

from .models import (
    LARGEST_SMALL_NUMBER_THRESHOLD,
    SMALL_NUMBER_THRESHOLD_RANGE,
    SMALLEST_SMALL_NUMBER_THRESHOLD,
    ApiToken,
    Membership,
    Organisation,
    Role,
    SecurityEvent,
    User,
)
from .roles import ADMINISTERING
from .selectors import require


@transaction.atomic
def create_organisation(*, name: str, slug: str, name_cy: str = "", contact_email: str = "") -> Organisation:
    """Create an organisation on the installation."""
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("An organisation with this short name already exists.")})
    return Organisation.objects.create(name=name, slug=slug, name_cy=name_cy, contact_email=contact_email)


@transaction.atomic
def update_organisation(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    name_cy: str,
    contact_email: str,
    contact_phone: str,
    welfare_adviser: str = "",
    welfare_adviser_contact: str = "",
    expenses_need_agreement: bool = False,
) -> Organisation:
    """An organisation admin changes the organisation's settings."""
    if not actor.is_superuser:  # the installation's own superuser may set any organisation up
        require(actor, organisation, ADMINISTERING)
    with acting_as(actor):
        organisation.name = name
        organisation.name_cy = name_cy
        organisation.contact_email = contact_email
        organisation.contact_phone = contact_phone
        organisation.welfare_adviser = welfare_adviser
        organisation.welfare_adviser_contact = welfare_adviser_contact
        organisation.expenses_need_agreement = expenses_need_agreement
        organisation.full_clean()
        organisation.save()
    return organisation


@transaction.atomic
def set_small_number_threshold(*, actor: User, organisation: Organisation, threshold: int) -> Organisation:
    """An admin of the organisation changes its small-number threshold (2 to 50; 5 until changed).

    From then on every count of people above nought and below it is hidden, in survey results,
    presence, the concerns summary and the annual report alike; the change is audited (who, and
    from what to what).
    """
    require(actor, organisation, ADMINISTERING)
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ValidationError({"small_number_threshold": SMALL_NUMBER_THRESHOLD_RANGE})
    if not SMALLEST_SMALL_NUMBER_THRESHOLD <= threshold <= LARGEST_SMALL_NUMBER_THRESHOLD:
        raise ValidationError({"small_number_threshold": SMALL_NUMBER_THRESHOLD_RANGE})
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    with acting_as(actor):
        locked.small_number_threshold = threshold
        locked.save(update_fields=["small_number_threshold"])
    # The caller's object (often the request's current organisation) reads the new value too.
    organisation.small_number_threshold = threshold
    return organisation


@transaction.atomic
def grant_role(*, organisation: Organisation, email: str, role: str, actor: User | None) -> Membership:
    """Give the user with ``email`` a role in the organisation, creating the account if needed.

    A new account has no usable password: the person sets one through the
    password reset e-mail, and staff are asked to set up MFA at first sign-in.
    """
    if actor is not None and not actor.is_superuser:
        require(actor, organisation, ADMINISTERING)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    email = email.strip().lower()
    with acting_as(actor):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None)
        membership, _created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return membership


@transaction.atomic
def remove_role(*, membership: Membership, actor: User) -> None:
    """Take a role away. An admin cannot remove the organisation's last admin."""
    if not actor.is_superuser:
        require(actor, membership.organisation, ADMINISTERING)
    if membership.role == Role.ADMIN:
        admins = Membership.objects.filter(organisation=membership.organisation, role=Role.ADMIN).count()
        if admins <= 1:
            raise ValidationError(_("Every organisation needs at least one admin."))
    with acting_as(actor):
        membership.delete()


# A token's use is recorded at most this often, so that a busy integration does not drown the log.
TOKEN_LAST_USED_TO_THE = timedelta(minutes=1)
TOKEN_USE_RECORDED_EVERY = timedelta(hours=1)


def record_security_event(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Write one security event down, with the visitor's own address when there is a request."""
    address = get_client_ip(request) if request is not None else None
    return SecurityEvent.objects.create(
        kind=kind, user=user, organisation=organisation, address=address, detail=detail[:200]
    )


@transaction.atomic
def issue_api_token(*, user: User, organisation: Organisation, role: str, name: str) -> tuple[ApiToken, str]:
    """Issue a personal API token for a role the user holds; returns the token and its one-time text."""
    if not Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise ValidationError({"role": _("You can only make a token for a role you hold.")})
    raw = ApiToken.new_raw_token()
    with acting_as(user):
        token = ApiToken.objects.create(
            user=user, organisation=organisation, role=role, name=name, token_hash=ApiToken.hash(raw)
        )
    record_security_event(kind=SecurityEvent.Kind.TOKEN_ISSUED, user=user, organisation=organisation, detail=name)
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    with acting_as(actor):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    record_security_event(
        kind=SecurityEvent.Kind.TOKEN_REVOKED, user=actor, organisation=token.organisation, detail=token.name
    )


def authenticate_api_token(raw: str) -> ApiToken | None:
    """The active token with this text, or None. Its membership must still exist."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.active().select_related("user", "organisation").filter(token_hash=ApiToken.hash(raw)).first()
    )
    if token is None or not token.user.is_active:
        return None
    if not Membership.objects.filter(user=token.user, organisation=token.organisation, role=token.role).exists():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RECORDED_EVERY:
        record_security_event(
            kind=SecurityEvent.Kind.TOKEN_USED, user=token.user, organisation=token.organisation, detail=token.name
        )
    # "Last used" to the minute: a busy client does not write on every request.
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_LAST_USED_TO_THE:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
