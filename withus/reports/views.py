"""Pages of presence and the annual report. Thin: the services decide, the selectors read."""

from __future__ import annotations

from typing import IO, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING, COORDINATING, SEEING_WORK
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import documents, selectors, services
from .forms import CommentForm, DraftForm, InviteForm, NarrativeForm, PopulationForm
from .models import AnnualReport, Comment
from .presentation import for_display, sections_for_display, tables_for_display
from .sections import all_sections


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    default = today.year if (today.month, today.day) >= (4, 6) else today.year - 1
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else default


def _language() -> str:
    return "cy" if (translation.get_language() or "").startswith("cy") else "en"


def _download(name: str, file: IO[bytes], file_format: documents.TableFormat) -> HttpResponseBase:
    content_type = documents.CONTENT_TYPES[file_format]
    if file_format == "xlsx":
        return FileResponse(file, as_attachment=True, filename=name, content_type=content_type)
    # The CSV is a few kilobytes of text, already whole: sent as it is.
    response = HttpResponse(file.read(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required(*SEEING_WORK)
def presence(request: AuthedRequest, organisation: Organisation) -> HttpResponseBase:
    year = _year(request)
    found = selectors.presence(organisation, year)
    file_format = documents.TABLE_FORMATS.get(request.GET.get("format", ""))
    if file_format is not None:
        file = documents.tables_file([{"title": _("Presence"), "data": found}], _language(), file_format)
        return _download(f"presence-{organisation.slug}-{year}.{file_format}", file, file_format)
    return render(
        request, "reports/presence.html", {"presence": found, "tables": tables_for_display(found), "year": year}
    )


@staff_required(*ADMINISTERING)
def population(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = PopulationForm(request.POST or None, prefix="figure")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.enter_population(
                actor=request.user,
                organisation=organisation,
                area=d["area"],
                category=d["category"] or "",
                people=d["people"],
                source=d["source"],
                year=d["year"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The population figure is saved."))
            return redirect("reports:population")
    labels = dict(selectors.equality_categories())
    return render(
        request,
        "reports/population.html",
        {
            "form": form,
            "figures": [(f, labels.get(f.category, "")) for f in selectors.population_of(organisation)],
        },
    )


@staff_required(*COORDINATING)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = DraftForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.draft(actor=request.user, organisation=organisation, year=form.cleaned_data["year"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("reports:staff_report", year=report.year)
    return render(request, "reports/staff_list.html", {"form": form, "reports": selectors.reports_of(organisation)})


def _draft_context(report: AnnualReport) -> dict[str, Any]:
    language = translation.get_language() or "en"
    written = {n.section: n for n in report.narratives.all()}
    comments: dict[str, list[Comment]] = {}
    for c in report.comments.filter(reply_to=None).select_related("person").prefetch_related("replies__person"):
        comments.setdefault(c.section, []).append(c)
    sections = []
    for section in all_sections():
        narrative = written.get(section.key)
        text = "" if narrative is None else (narrative.text_cy if language == "cy" else narrative.text)
        data = section.data(report.organisation, report.year)
        sections.append(
            for_display(
                {
                    "key": section.key,
                    "title": str(section.title),
                    "template": section.template,
                    "narrative": text,
                    "data": data,
                    "comments": comments.get(section.key, []),
                }
            )
        )
    return {"report": report, "sections": sections, "year_label": selectors.year_label(report.year)}


@staff_required(*COORDINATING)
def staff_report(request: AuthedRequest, organisation: Organisation, year: int) -> HttpResponse:
    report = selectors.report_for_staff(organisation, year)
    invite = InviteForm(request.POST if "person" in request.POST else None)
    problems: list[str] = []
    if request.method == "POST":
        if "publish" in request.POST:
            try:
                version = services.publish(actor=request.user, report=report)
            except ValidationError as error:
                problems = [str(m) for m in error.messages]
            else:
                messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
                return redirect("reports:staff_report", year=year)
        elif invite.is_valid():
            person = Person.objects.filter(pk=invite.cleaned_data["person"]).first()
            if person is None or not people_selectors.shares_with(person, organisation):
                invite.add_error("person", _("No member with that number shares their details with you."))
            else:
                services.invite(actor=request.user, report=report, person=person)
                messages.success(request, _("%(name)s is invited to comment.") % {"name": person.full_name})
                return redirect("reports:staff_report", year=year)
    context = _draft_context(report)
    context.update(
        {
            "invite": invite,
            "problems": problems,
            "empty": services.empty_sections(report),
            "invited": report.invited.all(),
            "versions": report.versions.all(),
            "comment_form": CommentForm(),
        }
    )
    return render(request, "reports/staff_report.html", context)


@staff_required(*COORDINATING)
def staff_section(request: AuthedRequest, organisation: Organisation, year: int, section: str) -> HttpResponse:
    report = selectors.report_for_staff(organisation, year)
    if section not in {s.key for s in all_sections()}:
        raise Http404
    narrative = report.narratives.filter(section=section).first()
    form = NarrativeForm(
        request.POST or None,
        initial={"text": narrative.text if narrative else "", "text_cy": narrative.text_cy if narrative else ""},
    )
    if request.method == "POST" and form.is_valid():
        services.write_narrative(
            actor=request.user,
            report=report,
            section=section,
            text=form.cleaned_data["text"],
            text_cy=form.cleaned_data["text_cy"],
        )
        messages.success(request, _("The section is saved."))
        return redirect("reports:staff_report", year=year)
    title = next(s.title for s in all_sections() if s.key == section)
    return render(request, "reports/narrative.html", {"form": form, "report": report, "title": title})


@staff_required(*COORDINATING)
def staff_comment(request: AuthedRequest, organisation: Organisation, year: int, section: str) -> HttpResponse:
    report = selectors.report_for_staff(organisation, year)
    return _comment(request, report, section, "reports:staff_report", {"year": year})


def _comment(
    request: AuthedRequest, report: AnnualReport, section: str, back: str, kwargs: dict[str, Any]
) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse(back, kwargs=kwargs))
    form = CommentForm(request.POST)
    if form.is_valid():
        reply_to = None
        if form.cleaned_data["reply_to"]:
            reply_to = get_object_or_404(Comment, pk=form.cleaned_data["reply_to"], report=report)
        try:
            services.comment(
                author=request.user, report=report, section=section, text=form.cleaned_data["text"], reply_to=reply_to
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your comment is kept with the section."))
    else:
        messages.error(request, _("Write your comment."))
    return HttpResponseRedirect(reverse(back, kwargs=kwargs))


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    return render(request, "reports/me.html", {"reports": selectors.invited_reports(person)})


@login_required
def me_report(request: AuthedRequest, pk: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    report = selectors.invited_report(person, pk)
    context = _draft_context(report)
    context["comment_form"] = CommentForm()
    return render(request, "reports/me_report.html", context)


@login_required
def me_comment(request: AuthedRequest, pk: int, section: str) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    report = selectors.invited_report(person, pk)
    return _comment(request, report, section, "reports:me_report", {"pk": pk})


# ---- Public ------------------------------------------------------------------------------


def _public_version(slug: str, year: int, number: int | None) -> tuple[Any, Any]:
    organisation = get_object_or_404(Organisation, slug=slug)
    return organisation, selectors.published_version(organisation, year, number)


def public_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(
        request,
        "reports/public_list.html",
        {"organisation": organisation, "versions": selectors.published_versions(organisation)},
    )


def public(request: HttpRequest, slug: str, year: int, number: int | None = None) -> HttpResponse:
    organisation, version = _public_version(slug, year, number)
    language = _language()
    frozen = version.snapshot["languages"][language]
    return render(
        request,
        "reports/public.html",
        {
            "organisation": organisation,
            "version": version,
            "report": frozen,
            "sections": sections_for_display(frozen),
            "later": version.report.versions.filter(number__gt=version.number).exists(),
        },
    )


def public_pdf(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    _organisation, version = _public_version(slug, year, number)
    language = _language()
    body = documents.version_pdf(version, language, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{slug}-{year}-v{number}-{language}.pdf"'
    return response


def public_tables(
    request: HttpRequest, slug: str, year: int, number: int, file_format: documents.TableFormat
) -> HttpResponseBase:
    """The tables of a published version as CSV or XLSX, open to anyone as the version is."""
    _organisation, version = _public_version(slug, year, number)
    name, file = documents.version_tables(version, _language(), file_format)
    return _download(name, file, file_format)
