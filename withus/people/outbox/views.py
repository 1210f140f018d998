"""The outbox: letters to print and post, calls to make and texts to send, for people who do not use
e-mail (001 §Barriers), and the call list where each call's outcome is recorded. Thin: the selectors
read, the services record what was done, ``rules`` says which outcomes finish a call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING
from withus.core.forms import attach_errors

from .. import services as people_services
from ..models import CallAttempt, SensitiveRead
from . import documents, rules, selectors, services
from .forms import CallOutcomeForm, DoneForm

PAGE_SIZE = 50
KINDS = {"letters": gettext_lazy("Letters"), "calls": gettext_lazy("Calls"), "texts": gettext_lazy("Texts")}


def _kind(request: AuthedRequest) -> str | None:
    kind = request.GET.get("kind") or request.POST.get("kind")
    return kind if kind in selectors.WAITING else None


def _page(request: AuthedRequest, organisation: Organisation, form: DoneForm | None = None) -> HttpResponse:
    kind = _kind(request)
    page = Paginator(selectors.waiting(organisation, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    batch = selectors.letter_batch(organisation, None)
    # Phone numbers are shown for calls and texts: who saw them is recorded, as everywhere.
    services.record_contacts_shown(
        reader=request.user,
        organisation=organisation,
        shown=[m for m in page if m.status != m.Status.TO_PRINT],
        via=SensitiveRead.Via.WEB,
    )
    return render(
        request,
        "people/outbox/staff_outbox.html",
        {
            "page": page,
            "kind": kind,
            "kinds": KINDS,
            "counts": selectors.counts(organisation),
            "batch": batch,
            "upto": batch[-1] if batch else None,
            "letter_sending": selectors.letter_sending(organisation),
            "form": form,
            "done": selectors.done_lately(organisation),
            "query": urlencode({"kind": kind}) if kind else "",
        },
        status=400 if form is not None and form.errors else 200,
    )


@staff_required(*COORDINATING)
def staff_outbox(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return _page(request, organisation)


@staff_required(*COORDINATING)
def staff_letters(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """The waiting letters as one PDF to print. Nothing is marked: the coordinator says when they are posted."""
    try:
        upto = int(request.GET["upto"]) if request.GET.get("upto") else None
    except ValueError:
        upto = None
    ids = selectors.letter_batch(organisation, upto)
    if not ids:
        messages.info(request, _("There are no letters waiting to be printed."))
        return redirect("people:outbox")
    letters = list(selectors.waiting(organisation, "letters").filter(pk__in=ids).select_related("organisation"))
    content = documents.letters_pdf(letters)
    services.record_contacts_shown(reader=request.user, organisation=organisation, shown=letters)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"letters-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required(*COORDINATING)
def staff_done(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    if request.method != "POST":
        return redirect("people:outbox")
    choices = list(selectors.waiting(organisation).values_list("pk", flat=True))
    form = DoneForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            done = services.mark_done(
                actor=request.user, organisation=organisation, message_ids=form.cleaned_data["messages"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            count = len(done)
            text = ngettext("%(count)d marked as done.", "%(count)d marked as done.", count) % {"count": count}
            messages.success(request, text)
            kind = _kind(request)
            return redirect(reverse("people:outbox") + (f"?{urlencode({'kind': kind})}" if kind else ""))
    return _page(request, organisation, form)


def _posted_ids(request: AuthedRequest) -> list[int]:
    return [int(value) for value in request.POST.getlist("messages") if value.isdigit()]


def _call_form_id(first_message: int) -> str:
    return f"call-{first_message}-%s"


def _calls_page(
    request: AuthedRequest, organisation: Organisation, failed: CallOutcomeForm | None = None
) -> HttpResponse:
    calls = selectors.call_list(organisation)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    # Phone numbers are shown: who saw them is recorded, as on the outbox.
    people_services.record_reads(
        reader=request.user,
        organisation=organisation,
        people=[call.person for call in page],
        what=[SensitiveRead.What.CONTACT],
    )
    failed_ids = set(_posted_ids(request)) if failed is not None else set()
    rows: list[dict[str, Any]] = []
    failed_shown = False
    for call in page:
        name = call.person.display_name
        if failed is not None and failed_ids & set(call.message_ids):
            failed.name_person(name)
            form, failed_shown = failed, True
        else:
            form = CallOutcomeForm(
                choices=call.message_ids,
                name=name,
                auto_id=_call_form_id(call.message_ids[0]),
                initial={"messages": call.message_ids},
            )
        rows.append({"call": call, "form": form})
    return render(
        request,
        "people/outbox/calls.html",
        {
            "page": page,
            "due": [row for row in rows if row["call"].due],
            "later": [row for row in rows if not row["call"].due],
            "form": failed,
            "failed_elsewhere": failed is not None and not failed_shown,
            "no_answers_before_letter": rules.NO_ANSWERS_BEFORE_LETTER,
            "counts": selectors.counts(organisation),
        },
        status=400 if failed is not None else 200,
    )


@staff_required(*COORDINATING)
def staff_calls(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """The call list: who to phone, what to tell them, and how each call went."""
    return _calls_page(request, organisation)


@staff_required(*COORDINATING)
def staff_call_record(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Record how one call went, for the messages shown together for that person."""
    if request.method != "POST":
        return redirect("people:outbox_calls")
    posted = _posted_ids(request)
    choices = list(selectors.waiting(organisation, "calls").values_list("pk", flat=True))
    form = CallOutcomeForm(request.POST, choices=choices, auto_id=_call_form_id(posted[0] if posted else 0))
    if form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.record_call(
                actor=request.user,
                organisation=organisation,
                message_ids=data["messages"],
                outcome=data["outcome"],
                note=data["note"],
                try_after=data["try_after"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            values = {
                "name": recorded[0].person.display_name,
                "outcome": CallAttempt.Outcome(data["outcome"]).label,
            }
            if rules.finishes(data["outcome"]):
                messages.success(request, _("Recorded for %(name)s: %(outcome)s. The call is done.") % values)
            else:
                messages.success(request, _("Recorded for %(name)s: %(outcome)s. The call stays on the list.") % values)
            return redirect("people:outbox_calls")
    return _calls_page(request, organisation, form)


@staff_required(*COORDINATING)
def staff_call_letter(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Send what a call was to say as a letter instead, for someone the phone does not reach."""
    if request.method != "POST":
        return redirect("people:outbox_calls")
    try:
        moved = services.send_as_letter(actor=request.user, organisation=organisation, message_ids=_posted_ids(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        count = len(moved)
        messages.success(
            request,
            ngettext(
                "%(count)d message will go to %(name)s as a letter instead. It is with the letters to print.",
                "%(count)d messages will go to %(name)s as letters instead. They are with the letters to print.",
                count,
            )
            % {"count": count, "name": moved[0].person.display_name},
        )
    return redirect("people:outbox_calls")
