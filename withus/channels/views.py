"""The GOV.UK Notify settings page (admins), sending the waiting letters through Notify (coordinators),
and the callback Notify posts delivery statuses to. Thin: ``services`` does the work."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING, COORDINATING
from withus.core.forms import attach_errors
from withus.people.outbox import selectors as outbox_selectors

from . import selectors, services
from .forms import NotifySettingsForm, TestTextForm


def _settings_page(
    request: AuthedRequest,
    organisation: Organisation,
    form: NotifySettingsForm | None = None,
    test_form: TestTextForm | None = None,
) -> HttpResponse:
    notify = selectors.settings_of(organisation)
    key_ends = selectors.last_four(notify.api_key) if notify else ""
    token_ends = selectors.last_four(notify.callback_token) if notify else ""
    if form is None:
        initial = (
            {
                "enabled": notify.enabled,
                "text_template_id": notify.text_template_id,
                "email_template_id": notify.email_template_id,
                "send_email": notify.send_email,
                "send_letters": notify.send_letters,
            }
            if notify
            else {}
        )
        form = NotifySettingsForm(initial=initial, key_ends=key_ends, token_ends=token_ends)
    test_form = test_form or TestTextForm(prefix="test")
    failed = bool(form.errors or test_form.errors)
    return render(
        request,
        "channels/notify_settings.html",
        {
            "organisation": organisation,
            "notify": notify,
            "form": form,
            "test_form": test_form,
            "key_ends": key_ends,
            "callback_url": services.callback_url(organisation),
            "errors_of": test_form if test_form.errors and not form.errors else form,
        },
        status=400 if failed else 200,
    )


@staff_required(*ADMINISTERING)
def notify_settings(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's GOV.UK Notify settings. The key is never shown back, only its last four characters."""
    if request.method != "POST":
        return _settings_page(request, organisation)
    notify = selectors.settings_of(organisation)
    form = NotifySettingsForm(
        request.POST,
        key_ends=selectors.last_four(notify.api_key) if notify else "",
        token_ends=selectors.last_four(notify.callback_token) if notify else "",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_settings(
                actor=request.user,
                organisation=organisation,
                enabled=data["enabled"],
                api_key=data["api_key"] or None,
                text_template_id=data["text_template_id"],
                email_template_id=data["email_template_id"],
                send_email=data["send_email"],
                send_letters=data["send_letters"],
                callback_token=data["callback_token"] or None,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("GOV.UK Notify settings saved."))
            return redirect("channels:settings")
    return _settings_page(request, organisation, form=form)


@staff_required(*ADMINISTERING)
@require_POST
def test_text(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Send a test text through the saved settings, and say plainly what Notify answered."""
    test_form = TestTextForm(request.POST, prefix="test")
    if test_form.is_valid():
        try:
            services.send_test_text(
                actor=request.user, organisation=organisation, phone_number=test_form.cleaned_data["phone_number"]
            )
        except ValidationError as error:
            attach_errors(test_form, error)
        else:
            messages.success(request, _("GOV.UK Notify accepted the test text. It should arrive in a minute or two."))
            return redirect("channels:settings")
    return _settings_page(request, organisation, test_form=test_form)


@staff_required(*COORDINATING)
@require_POST
def send_letters(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Send the outbox's next batch of waiting letters through Notify instead of printing them."""
    upto = request.POST.get("upto", "")
    ids = outbox_selectors.letter_batch(organisation, int(upto) if upto.isdigit() else None)
    if not ids:
        messages.info(request, _("There are no letters waiting to be sent."))
        return redirect("people:outbox")
    try:
        sent, problems = services.send_letters(actor=request.user, organisation=organisation, message_ids=ids)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:outbox")
    if sent:
        messages.success(
            request,
            ngettext(
                "GOV.UK Notify took %(count)d letter to print and post.",
                "GOV.UK Notify took %(count)d letters to print and post.",
                sent,
            )
            % {"count": sent},
        )
    for problem in problems:
        messages.error(request, _("Some letters were not sent and are still here to print: %(why)s") % {"why": problem})
    return redirect("people:outbox")


@csrf_exempt
@require_POST
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    """Notify posts each delivery status here, with ``Authorization: Bearer <the organisation's callback token>``."""
    organisation = Organisation.objects.filter(slug=slug).first()
    header = request.headers.get("Authorization", "")
    given = header[7:].strip() if header[:7].lower() == "bearer " else ""
    if not services.token_matches(organisation, given) or organisation is None:
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    if not isinstance(payload, dict):
        return HttpResponse(status=400)
    services.receive_callback(organisation=organisation, payload=payload)
    # Answered the same whether or not the notification was ours, so that Notify does not keep retrying.
    return HttpResponse(status=204)
