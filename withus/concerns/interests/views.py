"""The register of interests' pages: a member's own, and a member of staff's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation, User
from withus.accounts.roles import STAFF
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import selectors, services
from .forms import InterestForm
from .models import Interest


def _page(request: AuthedRequest, *, person: Person | None, user: User | None, here: str) -> HttpResponse:
    action = request.POST.get("action", "")
    form = InterestForm(request.POST if action == "declare" else None)
    if request.method == "POST":
        try:
            if action == "declare":
                if form.is_valid():
                    services.declare(actor=request.user, person=person, user=user, **form.cleaned_data)
                    messages.success(request, _("Interest declared."))
                    return redirect(here)
            elif action == "end":
                try:
                    interest = selectors.version_for(viewer=request.user, pk=int(request.POST.get("interest", "0")))
                except (Interest.DoesNotExist, ValueError):
                    raise Http404 from None
                services.end(actor=request.user, interest=interest, ends_on=None)
                messages.success(request, _("The interest is ended. What you declared is kept."))
                return redirect(here)
            elif action == "confirm":
                services.confirm(actor=request.user, person=person, user=user)
                messages.success(request, _("Thank you: your declarations are reviewed for this year."))
                return redirect(here)
        except ValidationError as error:
            attach_errors(form, error)
    held = selectors.held_by(person=person, user=user)
    return render(
        request,
        "concerns/interests/mine.html",
        {
            "form": form,
            "interests": selectors.current(held).order_by("body", "pk"),
            "history": selectors.history(person=person, user=user)[:50],
        },
    )


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    return _page(request, person=person, user=None, here="concerns:my_interests")


@staff_required(*STAFF)
def staff_mine(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return _page(request, person=None, user=request.user, here="concerns:staff_interests")
