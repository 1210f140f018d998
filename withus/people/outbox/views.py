"""The outbox: letters to print and post, calls to make and texts to send, for people who do not use
e-mail (001 §Barriers). Thin: the selectors read, the service records what was done."""

from __future__ import annotations

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
from ..models import SensitiveRead
from . import documents, selectors, services
from .forms import DoneForm

PAGE_SIZE = 50
KINDS = {"letters": gettext_lazy("Letters"), "calls": gettext_lazy("Calls"), "texts": gettext_lazy("Texts")}


def _kind(request: AuthedRequest) -> str | None:
    kind = request.GET.get("kind") or request.POST.get("kind")
    return kind if kind in selectors.WAITING else None


def _letter_batch(organisation: Organisation, upto: int | None) -> list[int]:
    """The ids of the letters in the next PDF: the oldest waiting, none newer than the page that offered it."""
    letters = selectors.waiting(organisation, "letters")
    if upto is not None:
        letters = letters.filter(pk__lte=upto)
    return list(letters.values_list("pk", flat=True)[: selectors.LETTER_BATCH])


def _page(request: AuthedRequest, organisation: Organisation, form: DoneForm | None = None) -> HttpResponse:
    kind = _kind(request)
    page = Paginator(selectors.waiting(organisation, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    batch = _letter_batch(organisation, None)
    # Phone numbers are shown for calls and texts: who saw them is recorded, as everywhere.
    people_services.record_reads(
        reader=request.user,
        organisation=organisation,
        people={m.person.pk: m.person for m in page if m.status != m.Status.TO_PRINT}.values(),
        what=[SensitiveRead.What.CONTACT],
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
    ids = _letter_batch(organisation, upto)
    if not ids:
        messages.info(request, _("There are no letters waiting to be printed."))
        return redirect("people:outbox")
    letters = list(selectors.waiting(organisation, "letters").filter(pk__in=ids).select_related("organisation"))
    content = documents.letters_pdf(letters)
    people_services.record_reads(
        reader=request.user,
        organisation=organisation,
        people={m.person.pk: m.person for m in letters}.values(),
        what=[SensitiveRead.What.CONTACT],
        via=SensitiveRead.Via.EXPORT,
    )
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
