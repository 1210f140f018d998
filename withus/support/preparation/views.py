"""Pages for preparation: staff arrange a session's briefing and meet-and-greet and see who is
offered them; a member sees what they are offered and says yes or no."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING, SEEING_WORK, STAFF
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.meetings import selectors as meetings_selectors
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules, selectors, services
from .forms import AnswerForm, ArrangeForm
from .models import Preparation


@staff_required(*SEEING_WORK)
def staff_session(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    found = selectors.session_preparation_for_staff(request.user, organisation, pk)
    return render(
        request,
        "support/preparation/staff_session.html",
        {"found": found, "can_edit": has_role(request.user, organisation, *COORDINATING)},
    )


@staff_required(*COORDINATING)
def staff_arrange(request: AuthedRequest, organisation: Organisation, pk: int, kind: str) -> HttpResponse:
    if kind not in rules.KINDS:
        raise Http404
    session = meetings_selectors.session_for_staff(request.user, organisation, pk)
    instance = Preparation.objects.filter(session=session, kind=kind).first() or Preparation(session=session, kind=kind)
    staff = User.objects.filter(memberships__organisation=organisation, memberships__role__in=STAFF).distinct()
    invited = people_selectors.people_sharing_with(organisation).filter(invitations__session=session)
    people = Person.objects.filter(pk__in=invited.values("pk")).order_by("full_name")
    form = ArrangeForm(request.POST or None, instance=instance, staff=staff.order_by("email"), people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.arrange(
                actor=request.user,
                session=session,
                kind=kind,
                at=data["at"],
                how=data["how"],
                where=data["where"],
                by_staff=data["by_staff"],
                by_person=data["by_person"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved. The people it is offered to will see it with their invitation."))
            return redirect("support:preparation_staff_session", pk=session.pk)
    return render(
        request,
        "support/preparation/staff_arrange.html",
        {"form": form, "session": session, "kind_label": Preparation.Kind(kind).label},
    )


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    offers = selectors.offers_to(person, now=timezone.now())
    return render(request, "support/preparation/mine.html", {"offers": offers, "form": AnswerForm()})


@login_required
@require_POST
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    now = timezone.now()
    offer = selectors.offer_to(person, pk, now=now)
    if offer is None:
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(person=person, preparation_pk=pk, wanted=form.cleaned_data["wanted"], now=now)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you: we have your answer."))
            return redirect("support:preparation_mine")
    offers = selectors.offers_to(person, now=now)
    return render(
        request,
        "support/preparation/mine.html",
        {"offers": offers, "form": AnswerForm(), "failed": pk, "failed_form": form},
        status=400,
    )
