"""The organisation's GOV.UK Notify settings through the API. Admin tokens only; the API key and the
callback token are never returned (only whether one is saved, and its last four characters)."""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING
from withus.api.auth import require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut

from . import selectors, services

router = Router(tags=["organisation"])


class NotifySettingsOut(Schema):
    enabled: bool = Field(description="Whether texts (and, if chosen, e-mails and letters) go through GOV.UK Notify")
    api_key_saved: bool = Field(description="Whether an API key is saved (the key itself is never returned)")
    api_key_ends_with: str = Field(description="The saved key's last four characters, or empty")
    text_template_id: str = Field(description="The Notify text message template, whose message is ((body))")
    email_template_id: str = Field(description="The Notify e-mail template, with ((subject)) and ((body))")
    send_email: bool = Field(description="E-mails go through Notify rather than the server's mail set-up")
    send_letters: bool = Field(description="The outbox sends letters through Notify instead of printing them")
    callback_token_saved: bool = Field(description="Whether a callback bearer token is saved (never returned)")
    callback_url: str = Field(description="Where Notify should post delivery statuses")
    last_error: str = Field(description="The last problem Notify reported, in plain words, or empty")


class NotifySettingsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    enabled: bool
    api_key: str | None = Field(None, description="A new API key; leave out (or null) to keep the saved one")
    text_template_id: str = ""
    email_template_id: str = ""
    send_email: bool = False
    send_letters: bool = False
    callback_token: str | None = Field(None, description="A new callback token (10+ characters); null keeps it")


def _out(organisation: Organisation) -> NotifySettingsOut:
    notify = selectors.settings_of(organisation)
    return NotifySettingsOut(
        enabled=bool(notify and notify.enabled),
        api_key_saved=bool(notify and notify.api_key),
        api_key_ends_with=selectors.last_four(notify.api_key) if notify else "",
        text_template_id=notify.text_template_id if notify else "",
        email_template_id=notify.email_template_id if notify else "",
        send_email=bool(notify and notify.send_email),
        send_letters=bool(notify and notify.send_letters),
        callback_token_saved=bool(notify and notify.callback_token),
        callback_url=services.callback_url(organisation),
        last_error=notify.last_error if notify else "",
    )


@router.get(
    "/organisation/notify",
    response={200: NotifySettingsOut, **AUTHENTICATED_ERRORS},
    summary="The organisation's GOV.UK Notify settings",
)
def notify_settings(request: HttpRequest) -> NotifySettingsOut:
    """For admins. The API key and callback token are never returned."""
    token = require_role(request, *ADMINISTERING)
    return _out(token.organisation)


@router.put(
    "/organisation/notify",
    response={200: NotifySettingsOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Change the organisation's GOV.UK Notify settings",
)
def change_notify_settings(request: HttpRequest, payload: NotifySettingsIn) -> NotifySettingsOut:
    """For admins: the same checks as the settings page (the key and templates are checked with Notify)."""
    token = require_role(request, *ADMINISTERING)
    services.save_settings(
        actor=token.user,
        organisation=token.organisation,
        enabled=payload.enabled,
        api_key=payload.api_key,
        text_template_id=payload.text_template_id,
        email_template_id=payload.email_template_id,
        send_email=payload.send_email,
        send_letters=payload.send_letters,
        callback_token=payload.callback_token,
    )
    return _out(token.organisation)
