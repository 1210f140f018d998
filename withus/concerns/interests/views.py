"""The register of interests' pages: a member's own and a member of staff's own, the organisation's
register, and a coordinator's page for a member's declarations given by phone, letter or in person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING, SEEING_WORK, STAFF
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import selectors, services
from .forms import ForMemberInterestForm, InterestForm
from .models import Interest

REGISTER_PAGE = 50


class _Holder:
    """Whose declarations a page shows, and whether a coordinator is recording them for a member."""

    def __init__(
        self, *, person: Person | None, user: User | None, here: str, organisation: Organisation | None = None
    ) -> None:
        self.person, self.user, self.here, self.organisation = person, user, here, organisation

    @property
    def for_member(self) -> bool:
        return self.organisation is not None

    def form(self, data: Any = None, **kwargs: Any) -> InterestForm:
        return (ForMemberInterestForm if self.for_member else InterestForm)(data, **kwargs)

    def interest(self, viewer: User, pk: Any) -> Interest:
        """One current version this page may change; 404 for anything else."""
        try:
            found = selectors.version_for(
                viewer=viewer, pk=int(pk), organisation=self.organisation, coordinating=self.for_member
            )
        except (Interest.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        if (found.person_id, found.user_id) != (
            self.person.pk if self.person else None,
            self.user.pk if self.user else None,
        ):
            raise Http404
        return found


def _page(request: AuthedRequest, holder: _Holder) -> HttpResponse:
    action = request.POST.get("action", "")
    form = holder.form(request.POST if action == "declare" else None)
    if request.method == "POST":
        try:
            if action == "declare":
                if form.is_valid():
                    services.declare(
                        actor=request.user,
                        person=holder.person,
                        user=holder.user,
                        organisation=holder.organisation,
                        **form.cleaned_data,
                    )
                    messages.success(request, _("Interest declared."))
                    return redirect(holder.here)
            elif action == "end":
                interest = holder.interest(request.user, request.POST.get("interest"))
                services.end(actor=request.user, interest=interest, ends_on=None, organisation=holder.organisation)
                messages.success(request, _("The interest is ended. What was declared is kept."))
                return redirect(holder.here)
            elif action == "confirm" and not holder.for_member:
                services.confirm(actor=request.user, person=holder.person, user=holder.user)
                messages.success(request, _("Thank you: your declarations are reviewed for this year."))
                return redirect(holder.here)
        except ValidationError as error:
            attach_errors(form, error)
    held = selectors.held_by(person=holder.person, user=holder.user)
    return render(
        request,
        "concerns/interests/mine.html",
        {
            "form": form,
            "holder": holder,
            "interests": selectors.current(held).order_by("body", "pk"),
            "history": selectors.history(person=holder.person, user=holder.user)[:50],
        },
        status=400 if form.errors else 200,
    )


def _change(request: AuthedRequest, holder: _Holder, pk: int) -> HttpResponse:
    interest = holder.interest(request.user, pk)
    form = InterestForm(request.POST if request.method == "POST" else None, instance=interest)
    if request.method == "POST" and form.is_valid():
        try:
            services.change(
                actor=request.user, interest=interest, organisation=holder.organisation, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved. What was declared before is kept."))
            return redirect(holder.here)
    # A form bound to the instance changes it while validating: show the version as kept.
    interest.refresh_from_db()
    return render(
        request,
        "concerns/interests/change.html",
        {"form": form, "interest": interest, "holder": holder},
        status=400 if form.errors else 200,
    )


def _own_person(request: AuthedRequest) -> Person | None:
    return people_selectors.own_person(request.user)


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    person = _own_person(request)
    if person is None:
        return render(request, "people/no_profile.html")
    return _page(request, _Holder(person=person, user=None, here=reverse("concerns:my_interests")))


@login_required
def change_mine(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _own_person(request)
    if person is None:
        return render(request, "people/no_profile.html")
    return _change(request, _Holder(person=person, user=None, here=reverse("concerns:my_interests")), pk)


@staff_required(*STAFF)
def staff_mine(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return _page(request, _Holder(person=None, user=request.user, here=reverse("concerns:staff_interests")))


@staff_required(*STAFF)
def staff_change_mine(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    return _change(request, _Holder(person=None, user=request.user, here=reverse("concerns:staff_interests")), pk)


def _for_member(request: AuthedRequest, organisation: Organisation, pk: int) -> _Holder:
    person = people_selectors.person_for_staff(request.user, organisation, pk)
    return _Holder(
        person=person,
        user=None,
        here=reverse("concerns:staff_person_interests", args=[person.pk]),
        organisation=organisation,
    )


@staff_required(*COORDINATING)
def staff_person(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """A member's declarations, and those they give by phone, letter or in person recorded for them."""
    return _page(request, _for_member(request, organisation, pk))


@staff_required(*COORDINATING)
def staff_person_change(request: AuthedRequest, organisation: Organisation, pk: int, interest_pk: int) -> HttpResponse:
    return _change(request, _for_member(request, organisation, pk), interest_pk)


@staff_required(*SEEING_WORK)
def staff_register(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's register: every current declaration of its members and staff, by body."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    found = selectors.register(request.user, organisation)
    if query:
        found = selectors.matching(found, query)
    page = Paginator(found, REGISTER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "concerns/interests/register.html",
        {
            "page": page,
            "q": query,
            "query": urlencode({"q": query}) if query else "",
            "review_before": selectors.review_cutoff(),
            "may_record": has_role(request.user, organisation, *COORDINATING),
        },
    )
