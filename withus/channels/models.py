"""An organisation's GOV.UK Notify account, and how each message sent through it was delivered."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.accounts.models import Organisation
from withus.core.fields import EncryptedText
from withus.people.models import OutgoingMessage


class NotifySettings(models.Model):
    """How an organisation sends through its own GOV.UK Notify service (optional: off until an admin sets it up).

    The API key and the callback token are secrets: encrypted at rest, never shown back (only their
    last four characters), never in the API.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="notify_settings")
    enabled = models.BooleanField(_("send through GOV.UK Notify"), default=False)
    api_key = EncryptedText(_("API key"), max_length=200)
    text_template_id = models.CharField(_("text message template ID"), max_length=36, blank=True)
    email_template_id = models.CharField(_("e-mail template ID"), max_length=36, blank=True)
    send_email = models.BooleanField(_("send e-mails through Notify too"), default=False)
    send_letters = models.BooleanField(_("send letters through Notify instead of printing them"), default=False)
    callback_token = EncryptedText(_("callback bearer token"), max_length=200)
    # The last thing Notify refused, in plain words, for the admin's page; cleared by a send that works.
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "GOV.UK Notify settings"
        verbose_name_plural = "GOV.UK Notify settings"

    def __str__(self) -> str:
        return f"Notify for {self.organisation}"


class Delivery(models.Model):
    """One message handed to a provider (GOV.UK Notify), and what became of it.

    ``status`` is Notify's own word for it (created, sending, delivered, permanent-failure...),
    or ours before Notify has it: ``queued`` (to try again, after a rate limit or a fault at
    Notify) and ``refused`` (Notify would not take it: the message went by the next channel).
    """

    class Provider(models.TextChoices):
        NOTIFY = "notify", "GOV.UK Notify"

    class Channel(models.TextChoices):
        TEXT = "text", _("Text message")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to try again")
        REFUSED = "refused", _("Not accepted by Notify")
        CREATED = "created", _("Accepted by Notify")
        SENDING = "sending", _("Sending")
        PENDING = "pending", _("Waiting for the phone network")
        SENT = "sent", _("Sent abroad")
        DELIVERED = "delivered", _("Delivered")
        PERMANENT_FAILURE = "permanent-failure", _("Not delivered: wrong number or address")
        TEMPORARY_FAILURE = "temporary-failure", _("Not delivered: phone off or inbox full")
        TECHNICAL_FAILURE = "technical-failure", _("Not delivered: a fault at Notify")
        PENDING_VIRUS_CHECK = "pending-virus-check", _("Letter being checked")
        VIRUS_SCAN_FAILED = "virus-scan-failed", _("Letter failed the virus check")
        VALIDATION_FAILED = "validation-failed", _("Letter not accepted: check the layout")
        ACCEPTED = "accepted", _("Letter being printed")
        RECEIVED = "received", _("Letter posted")
        CANCELLED = "cancelled", _("Letter cancelled")
        RETURNED = "returned-letter", _("Letter returned to sender")

    message = models.ForeignKey(OutgoingMessage, on_delete=models.CASCADE, related_name="deliveries")
    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.NOTIFY)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    # Our reference, sent with the message, and what it is about ("session:12"), for the session's list.
    reference = models.CharField(max_length=64, blank=True)
    about = models.CharField(max_length=40, blank=True, db_index=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.QUEUED)
    status_at = models.DateTimeField(default=timezone.now)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    # The short version sent as a text, kept so that a retry sends the same words.
    text = models.TextField(blank=True)
    # Set once the message has gone by the next channel, so that a late status never sends it twice.
    fell_back_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_try_at"], name="delivery_to_retry")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.provider_id or self.pk}: {self.status}"
