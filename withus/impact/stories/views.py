"""Pages of stories: members see theirs and withdraw; coordinators keep them and log each use."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING
from withus.core import uploads
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors

from . import selectors, services
from .forms import StoryFileForm, StoryForm, UseForm
from .models import Story


def _form_data(request: AuthedRequest) -> tuple[QueryDict | None, MultiValueDict[str, UploadedFile] | None]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


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


@login_required
def me_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The member's own story's file: always theirs to open, withdrawn or not."""
    return _download(selectors.file_for(request.user, pk))  # without an organisation: only their own


@require_POST
@login_required
def me_remove_file(request: AuthedRequest, pk: int) -> HttpResponse:
    story = selectors.story_for(request.user, pk)  # without an organisation: only their own
    services.remove_file(actor=request.user, story=story)
    messages.success(request, _("The file is deleted. What you agreed to, and the log of its uses, stay."))
    return redirect("impact:stories_me")


def _download(story: Story) -> HttpResponseBase:
    try:
        file = story.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return uploads.attachment(file, story.file_type, f"story-{story.pk}")


@staff_required(*COORDINATING)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    return render(request, "impact/stories/staff_list.html", {"stories": selectors.stories_at(organisation)[:200]})


@staff_required(*COORDINATING)
def staff_new(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = StoryForm(*_form_data(request), organisation=organisation)
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
def staff_file(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Keep a story's file, or replace it: a recording, a document, slides."""
    story = selectors.story_for(request.user, pk, organisation=organisation)
    form = StoryFileForm(*_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_file(actor=request.user, story=story, upload=form.cleaned_data["file"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The file is kept with the story."))
            return redirect("impact:stories_staff")
    return render(
        request,
        "impact/form.html",
        {
            "form": form,
            "title": _("Replace the file") if story.file else _("Add a file"),
            "caption": story.title,
            "intro": _("Staff can open it only while the member's consent holds."),
            "submit": _("Keep the file"),
            "back": "impact:stories_staff",
        },
    )


@staff_required(*COORDINATING)
def staff_download(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponseBase:
    """A story's file, for coordinators, only while the member's consent holds."""
    try:
        story = selectors.file_for(request.user, pk, organisation=organisation)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return redirect("impact:stories_staff")
    return _download(story)


@require_POST
@staff_required(*COORDINATING)
def staff_remove_file(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    story = selectors.story_for(request.user, pk, organisation=organisation)
    services.remove_file(actor=request.user, story=story)
    messages.success(request, _("The file is deleted. The consent and the log of its uses stay."))
    return redirect("impact:stories_staff")


@staff_required(*COORDINATING)
def staff_use(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    story = selectors.story_for(request.user, pk, organisation=organisation)
    form = UseForm(request.POST if request.method == "POST" else None)
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
