"""Pages for the directory of local help: staff keep it current, members read it, anyone prints the leaflet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors

from . import documents, rules, selectors, services
from .forms import HelpEntryForm
from .models import HelpEntry


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    if asked in ("cy", "en"):
        return asked
    return "cy" if get_language() == "cy" else "en"


def _leaflet(organisation: Organisation, language: str) -> HttpResponse:
    response = HttpResponse(documents.leaflet_pdf(organisation, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="local-help-{organisation.slug}-{language}.pdf"'
    response["Content-Language"] = language
    return response


@staff_required(*SEEING_WORK)
def directory(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    today = timezone.localdate()
    entries = list(selectors.entries_for_staff(request.user, organisation).select_related("reviewed_by"))
    return render(
        request,
        "support/localhelp/directory.html",
        {
            "groups": selectors.by_kind(entries),
            "stale": {e.pk for e in selectors.stale(entries, today=today)},
            "review_due": {e.pk: rules.review_due(e.reviewed_on) for e in entries},
            "can_edit": has_role(request.user, organisation, *COORDINATING),
        },
    )


@staff_required(*COORDINATING)
def entry_form(request: AuthedRequest, organisation: Organisation, pk: int | None = None) -> HttpResponse:
    entry = selectors.entry_for_staff(request.user, organisation, pk) if pk is not None else None
    initial = {} if entry is not None else {"reviewed_on": timezone.localdate()}
    form = HelpEntryForm(request.POST or None, instance=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_entry(
                actor=request.user, organisation=organisation, fields=form.service_fields(), entry=entry
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The directory is updated."))
            return redirect("support:localhelp_directory")
    return render(request, "support/localhelp/entry_form.html", {"form": form, "entry": entry})


@staff_required(*COORDINATING)
@require_POST
def checked(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    entry = selectors.entry_for_staff(request.user, organisation, pk)
    services.mark_checked(actor=request.user, entry=entry)
    messages.success(request, _("“%(name)s” is marked as checked today.") % {"name": entry})
    return redirect("support:localhelp_directory")


@staff_required(*COORDINATING)
@require_POST
def remove(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    entry = selectors.entry_for_staff(request.user, organisation, pk)
    services.remove_entry(actor=request.user, entry=entry)
    messages.success(request, _("“%(name)s” is taken out of the directory.") % {"name": entry})
    return redirect("support:localhelp_directory")


@staff_required(*SEEING_WORK)
def staff_leaflet(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return _leaflet(organisation, _language(request))


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    entries = list(selectors.directory_for(person))
    organisations: dict[int, tuple[Organisation, list[HelpEntry]]] = {}
    for entry in entries:
        organisations.setdefault(entry.organisation_id, (entry.organisation, []))[1].append(entry)
    return render(
        request,
        "support/localhelp/mine.html",
        {"organisations": [(org, selectors.by_kind(items)) for org, items in organisations.values()]},
    )


@login_required
def my_leaflet(request: AuthedRequest, organisation: str) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    found = people_selectors.organisations_shared_with(person).filter(slug=organisation).first()
    if found is None:
        raise Http404
    return _leaflet(found, _language(request))
