"""Forms of the GOV.UK Notify settings page. ``services.save_settings`` saves, not the forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

TEMPLATE_HELP = _("From the template's page in GOV.UK Notify, like 0f5c6e2a-2f4e-4a7b-9b8e-1c2d3e4f5a6b.")


class NotifySettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send through GOV.UK Notify"), required=False)
    # Never shown back: a password box, empty each time (render_value False), kept unless something is typed.
    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    text_template_id = forms.CharField(
        label=_("Text message template ID"),
        required=False,
        max_length=36,
        help_text=TEMPLATE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email_template_id = forms.CharField(
        label=_("E-mail template ID"),
        required=False,
        max_length=36,
        help_text=TEMPLATE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    send_email = forms.BooleanField(
        label=_("Send e-mails through Notify too"),
        required=False,
        help_text=_("Otherwise e-mails go through the server's own mail set-up, as now."),
    )
    send_letters = forms.BooleanField(
        label=_("Send letters through Notify instead of printing them"),
        required=False,
        help_text=_("Notify prints and posts them. Letters about a session are still printed from its page."),
    )
    callback_token = forms.CharField(
        label=_("Callback bearer token"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, key_ends: str = "", token_ends: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if key_ends:
            self.fields["api_key"].help_text = _(
                "A key is saved, ending %(end)s. Leave this empty to keep it, or paste a new key to replace it."
            ) % {"end": key_ends}
        else:
            self.fields["api_key"].help_text = _(
                "From GOV.UK Notify: API integration, API keys, Create an API key (a live key, to send to anyone)."
            )
        if token_ends:
            self.fields["callback_token"].help_text = _(
                "A token is saved, ending %(end)s. Leave this empty to keep it, "
                "or type a new one (10 characters or more)."
            ) % {"end": token_ends}
        else:
            self.fields["callback_token"].help_text = _(
                "Choose a token of 10 characters or more, and type the same in GOV.UK Notify (API integration, "
                "Callbacks). Without one, WithUs asks Notify for the statuses instead (withus channels poll)."
            )


class TestTextForm(forms.Form):
    phone_number = forms.CharField(
        label=_("Mobile number to send a test text to"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Enter the mobile number to send the test text to.")},
    )
