"""Rules of sending through GOV.UK Notify, as pure functions: the short text of a message, what an
API key looks like, which answers to try again, what a status means, and Notify's errors in plain words."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

# Notify's longest text message: 918 characters, sent as up to 6 parts (docs: "Text message length").
TEXT_LIMIT = 918
# How many lines of the message a text carries after its subject, when nobody wrote a short version.
TEXT_LINES = 6

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# {key_name}-{service_id}-{secret}: a name the service gave the key, then two UUIDs (what the client reads).
API_KEY = re.compile(rf"^[A-Za-z0-9_\-]+-({_UUID})-({_UUID})$")
TEMPLATE_ID = re.compile(rf"^{_UUID}$")

# Texts and e-mails a temporary or technical fault held up are tried again, this many times in all.
MOST_ATTEMPTS = 8
FIRST_WAIT = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)

# Notify's statuses after which nothing more happens (its callbacks and its GET say these).
DELIVERED = frozenset({"delivered", "sent", "received"})
NOT_DELIVERED = frozenset(
    {
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "validation-failed",
        "virus-scan-failed",
        "cancelled",
        "returned-letter",
    }
)
FINAL = DELIVERED | NOT_DELIVERED | {"refused"}
# Still on its way: worth asking Notify about (``withus channels poll``).
ON_ITS_WAY = frozenset({"created", "sending", "pending", "accepted", "pending-virus-check"})


def short_text(subject: str, body: str, *, limit: int = TEXT_LIMIT, lines: int = TEXT_LINES) -> str:
    """A text version of a message: its subject and its first lines, within ``limit`` characters.

    The message is already in the reader's language; blank lines are dropped, and a text cut short
    ends with an ellipsis rather than halfway through a word.
    """
    kept = [line.strip() for line in body.splitlines() if line.strip()][:lines]
    text = "\n".join([subject.strip(), *kept]) if subject.strip() else "\n".join(kept)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[-40:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def key_is_well_formed(key: str) -> bool:
    """Whether ``key`` is written as Notify writes API keys (``name-service id-secret``)."""
    return bool(API_KEY.match(key.strip()))


def service_id(key: str) -> str:
    """The Notify service an API key belongs to (its first UUID)."""
    match = API_KEY.match(key.strip())
    return match.group(1) if match else ""


def try_again(status_code: int) -> bool:
    """Whether Notify's answer is worth trying again later: a rate limit (429) or a fault at Notify (5xx)."""
    return status_code == 429 or status_code >= 500


def wait_before(attempts: int) -> timedelta:
    """How long to wait before the next try, after ``attempts`` tries: doubling from 5 minutes, at most 6 hours."""
    wait: timedelta = FIRST_WAIT * (2 ** max(attempts - 1, 0))
    return min(wait, LONGEST_WAIT)


def delivered(status: str) -> bool:
    return status in DELIVERED


def not_delivered(status: str) -> bool:
    return status in NOT_DELIVERED


def _notify_said(errors: list[dict[str, Any]]) -> str:
    return "; ".join(str(e.get("message", "")) for e in errors if e.get("message"))


def plain_error(status_code: int, errors: list[dict[str, Any]]) -> str:
    """What went wrong, in plain words for an admin, from Notify's status code and its error list."""
    said = _notify_said(errors)
    kinds = {str(e.get("error", "")) for e in errors}
    lowered = said.lower()
    if status_code == 403 or "AuthError" in kinds:
        return _(
            "GOV.UK Notify did not accept the API key. Check that you copied the whole key from Notify "
            "(API integration, API keys), that it has not been revoked, and that the server's clock is right."
        )
    if "template" in lowered and ("not found" in lowered or "no result" in lowered or "not a valid" in lowered):
        return _(
            "GOV.UK Notify has no template with this ID in your service. Copy the template ID from the "
            "template's page in Notify, and check it is a template of the right kind (text message or e-mail)."
        )
    if status_code == 404:
        return _("GOV.UK Notify could not find it (%(said)s).") % {"said": said or status_code}
    if status_code == 429:
        return _("GOV.UK Notify is receiving too many messages from you just now. WithUs will try again later.")
    if status_code >= 500:
        return _("GOV.UK Notify is not working just now. WithUs will try again later.")
    if status_code == 400 and "team" in lowered:
        return _(
            "This API key can only send to your Notify team members and guest list. "
            "Use a live key to send to everyone. Notify said: %(said)s"
        ) % {"said": said}
    if said:
        return _("GOV.UK Notify refused the message: %(said)s") % {"said": said}
    return _("GOV.UK Notify refused the message (error %(code)s).") % {"code": status_code}
