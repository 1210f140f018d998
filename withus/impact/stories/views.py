"""Pages of stories: members see theirs and withdraw; coordinators keep them and log each use."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors

from . import selectors, services
from .forms import StoryForm, UseForm


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    return render(request, "impact/stories/me.html", {"stories": selectors.stories_of(person)})


@require_POST
@login_required
def me_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    story = selectors.story_for(request.user, pk)
    services.withdraw(actor=request.user, story=story)
    messages.success(request, _("Withdrawn. Your story will not be used again."))
    return redirect("impact:stories_me")


@staff_required(*COORDINATING)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return render(request, "impact/stories/staff_list.html", {"stories": selectors.stories_at(organisation)[:200]})


@staff_required(*COORDINATING)
def staff_new(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = StoryForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_story(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Kept, with the member's consent."))
            return redirect("impact:stories_staff")
    return render(
        request,
        "impact/form.html",
        {
            "form": form,
            "title": _("Keep a member's story"),
            "intro": _("Record the consent the member gave: where it may be used, until when, and whether named."),
            "submit": _("Keep it"),
            "back": "impact:stories_staff",
        },
    )


@staff_required(*COORDINATING)
def staff_use(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    story = selectors.story_for(request.user, pk, organisation=organisation)
    form = UseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.use_story(actor=request.user, story=story, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The use is logged."))
            return redirect("impact:stories_staff")
    return render(
        request,
        "impact/form.html",
        {
            "form": form,
            "title": _("Use a story"),
            "caption": story.title,
            "quote": ", ".join(story.places_display()),
            "intro": _("A use outside what the member agreed to is refused."),
            "submit": _("Log the use"),
            "back": "impact:stories_staff",
        },
    )
