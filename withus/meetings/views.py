"""Pages for planning and running sessions, and a member's own sessions."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING, COORDINATING, SEEING_WORK
from withus.accounts.selectors import has_role
from withus.core.forms import attach_errors
from withus.groups import services as group_services
from withus.groups.forms import ReportBackForm
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules, selectors, services
from .forms import (
    ActionForm,
    AttendanceDownloadForm,
    AttendanceForm,
    CancelForm,
    ChangeNoteForm,
    CheckInForm,
    DebriefForm,
    DeclarationForm,
    GuestForm,
    InviteForm,
    MinutesForm,
    OverrideForm,
    PaperForm,
    SessionForm,
    StandardsForm,
    VenueForm,
)
from .models import (
    Action,
    Attendance,
    CalendarFeedToken,
    Debrief,
    Invitation,
    Paper,
    Session,
    Venue,
)


def _session(request: AuthedRequest, organisation: Organisation, pk: int) -> Session:
    return selectors.session_for_staff(request.user, organisation, pk)


@staff_required(*SEEING_WORK)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    now = timezone.now()
    sessions = selectors.sessions_for_staff(request.user, organisation).select_related("group", "venue")
    return render(
        request,
        "meetings/staff_list.html",
        {
            "upcoming": sessions.filter(ends_at__gte=now).order_by("starts_at"),
            "past": sessions.filter(ends_at__lt=now).order_by("-starts_at")[:30],
            "follow_ups": Debrief.objects.filter(
                session__organisation=organisation, wants_call=True, follow_up_done_at__isnull=True
            ).select_related("person", "session"),
            "can_edit": has_role(request.user, organisation, *COORDINATING),
        },
    )


@staff_required(*SEEING_WORK)
def staff_attendance_download(request: AuthedRequest, organisation: Organisation) -> HttpResponseBase:
    """Attendance at the organisation's sessions between two days, as CSV or an Excel workbook."""
    form = AttendanceDownloadForm(request.GET if "file_format" in request.GET else None)
    if form.is_bound and form.is_valid():
        from .documents import attendance_file, attendance_response

        file_format = form.cleaned_data["file_format"]
        name, content = attendance_file(
            selectors.sessions_for_staff(request.user, organisation),
            organisation,
            file_format,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
        return attendance_response(name, content, file_format)  # type: ignore[no-any-return]
    return render(
        request,
        "meetings/staff_attendance_download.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@staff_required(*COORDINATING)
def staff_create(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = SessionForm(request.POST or None, organisation=organisation, initial={"contact": request.user.pk})
    if request.method == "POST" and form.is_valid():
        agenda = [line.strip() for line in form.cleaned_data.get("agenda", "").splitlines() if line.strip()]
        try:
            session = services.plan_session(
                actor=request.user, organisation=organisation, fields=form.session_fields(), agenda=agenda
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Session planned. Check the standards, then invite people."))
            return redirect("meetings:staff_detail", pk=session.pk)
    return render(request, "meetings/staff_form.html", {"form": form})


@staff_required(*COORDINATING)
def staff_edit(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    form = SessionForm(request.POST or None, instance=session, organisation=organisation)
    note_form = ChangeNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and note_form.is_valid():
        try:
            services.change_session(
                actor=request.user, session=session, fields=form.session_fields(), note=note_form.cleaned_data["note"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Changes saved. Everyone already invited has been told."))
            return redirect("meetings:staff_detail", pk=session.pk)
    if request.method == "POST":
        session.refresh_from_db()
    return render(request, "meetings/staff_form.html", {"form": form, "note_form": note_form, "session": session})


@staff_required(*SEEING_WORK)
def staff_detail(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    can_edit = has_role(request.user, organisation, *COORDINATING)
    people = people_selectors.people_for_staff(request.user, organisation).filter(status="active")
    invited_ids = [i.person_id for i in session.invitations.all() if i.person_id]
    # A register can hold thousands of people: offer only those matching a search, 50 at most.
    invite_q = request.GET.get("invite_q", "").strip()[:100]
    candidates = people.none()
    if invite_q:
        candidates = people_selectors.filter_people(
            people.exclude(pk__in=invited_ids), people_selectors.PeopleFilter(q=invite_q)
        ).order_by("full_name")[:50]
    invite_form = InviteForm(people=Person.objects.filter(pk__in=[p.pk for p in candidates]).order_by("full_name"))
    agenda, declared = selectors.agenda_with_interests(session)
    return render(
        request,
        "meetings/staff_detail.html",
        {
            "session": session,
            "agenda": agenda,
            "declared": declared,
            "standards": selectors.standards_report(session),
            "can_edit": can_edit,
            "invite_form": invite_form,
            "invite_q": invite_q,
            "guest_form": GuestForm(auto_id="id_guest_%s"),
            "override_form": OverrideForm(),
            "paper_form": PaperForm(),
            "cancel_form": CancelForm(),
        },
    )


@staff_required(*COORDINATING)
@require_POST
def staff_invite(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    people = people_selectors.people_for_staff(request.user, organisation)
    try:
        if "group" in request.POST:
            n = services.invite_group(actor=request.user, session=session)
            messages.success(request, _("%(n)s people from the group added.") % {"n": n})
        elif "guest" in request.POST:
            guest = GuestForm(request.POST)
            if guest.is_valid():
                services.invite_guest(actor=request.user, session=session, **guest.cleaned_data)
                messages.success(request, _("Guest added."))
            else:
                messages.error(request, " ".join(str(e) for errors in guest.errors.values() for e in errors))
        else:
            form = InviteForm(request.POST, people=people)
            if form.is_valid():
                services.invite(
                    actor=request.user,
                    session=session,
                    people=form.cleaned_data["people"],
                    role=form.cleaned_data["role"],
                )
                messages.success(request, _("Added to the invitation list."))
            else:
                messages.error(request, _("Choose people from the list."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:staff_detail", pk=session.pk)


@staff_required(*COORDINATING)
@require_POST
def staff_override(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        services.record_override(actor=request.user, session=session, **form.cleaned_data)
        messages.success(request, _("Reason recorded."))
    else:
        messages.error(request, _("Say why you are going ahead with this standard unmet."))
    return redirect("meetings:staff_detail", pk=session.pk)


@staff_required(*COORDINATING)
@require_POST
def staff_send(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    try:
        if request.POST.get("what") == "papers":
            n = services.send_papers(actor=request.user, session=session)
            messages.success(request, _("Papers sent to %(n)s people by their chosen way.") % {"n": n})
        else:
            n = services.send_invitations(actor=request.user, session=session)
            messages.success(request, _("%(n)s invitations sent. Letters are ready to print.") % {"n": n})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:staff_detail", pk=session.pk)


@staff_required(*COORDINATING)
@require_POST
def staff_paper(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    form = PaperForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_paper(
                actor=request.user, session=session, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Paper uploaded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("meetings:staff_detail", pk=session.pk)


@staff_required(*COORDINATING)
def staff_cancel(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_session(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        messages.success(request, _("Cancelled. Everyone invited has been told."))
        return redirect("meetings:staff_detail", pk=session.pk)
    return render(request, "meetings/staff_cancel.html", {"form": form, "session": session})


@staff_required(*COORDINATING)
def staff_letters(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """The session's letters for everyone who prefers post, as one PDF to print; marked printed."""
    from .documents import batch_letter, letter_invitations, letters_pdf, mark_letters_printed

    session = _session(request, organisation, pk)
    invitations = list(letter_invitations(None, session=session, reprint=request.GET.get("reprint") == "1"))
    if not invitations:
        messages.info(request, _("There are no letters waiting to be printed for this session."))
        return redirect("meetings:staff_detail", pk=session.pk)
    content = letters_pdf([batch_letter(i) for i in invitations])
    mark_letters_printed([i.pk for i in invitations])
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letters-session-{session.pk}.pdf"'
    return response


@staff_required(*COORDINATING)
def staff_attendance(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    people = people_selectors.people_for_staff(request.user, organisation)
    form = AttendanceForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_attendance(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect("meetings:staff_attendance", pk=session.pk)
    return render(
        request,
        "meetings/staff_attendance.html",
        {
            "session": session,
            "form": form,
            "attendance": session.attendance.select_related("person", "stood_in_for"),
        },
    )


@staff_required(*COORDINATING)
def staff_after(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    session = _session(request, organisation, pk)
    which = request.POST.get("form", "")
    minutes_form = MinutesForm(
        request.POST if which == "minutes" else None, request.FILES or None, initial={"minutes": session.minutes}
    )
    action_form = ActionForm(request.POST if which == "action" else None)
    declaration_form = DeclarationForm(request.POST if which == "declaration" else None, session=session)
    if request.method == "POST":
        try:
            if which == "minutes" and minutes_form.is_valid():
                services.record_minutes(
                    actor=request.user,
                    session=session,
                    minutes=minutes_form.cleaned_data["minutes"],
                    upload=minutes_form.cleaned_data.get("minutes_file"),
                )
                messages.success(request, _("Minutes saved."))
                return redirect("meetings:staff_after", pk=session.pk)
            if which == "action" and action_form.is_valid():
                services.add_action(actor=request.user, session=session, **action_form.cleaned_data)
                messages.success(request, _("Action added. The owner will be reminded."))
                return redirect("meetings:staff_after", pk=session.pk)
            if which == "declaration" and declaration_form.is_valid():
                services.declare_interest(actor=request.user, session=session, **declaration_form.cleaned_data)
                messages.success(request, _("Declaration recorded."))
                return redirect("meetings:staff_after", pk=session.pk)
            if which == "debriefs":
                n = services.offer_debriefs(actor=request.user, session=session)
                messages.success(request, _("Debrief offered to %(n)s people.") % {"n": n})
                return redirect("meetings:staff_after", pk=session.pk)
            if which == "done":
                action = get_object_or_404(Action, pk=request.POST.get("action"), session=session)
                services.complete_action(actor=request.user, action=action)
                return redirect("meetings:staff_after", pk=session.pk)
            if which == "follow_up":
                debrief = get_object_or_404(Debrief, pk=request.POST.get("debrief"), session=session)
                services.follow_up_done(actor=request.user, debrief=debrief)
                return redirect("meetings:staff_after", pk=session.pk)
        except ValidationError as error:
            target = {"minutes": minutes_form, "action": action_form, "declaration": declaration_form}.get(which)
            if target is not None:
                attach_errors(target, error)
            else:
                messages.error(request, " ".join(error.messages))
    return render(
        request,
        "meetings/staff_after.html",
        {
            "session": session,
            "minutes_form": minutes_form,
            "action_form": action_form,
            "declaration_form": declaration_form,
            "actions": session.actions.all(),
            "declarations": session.declarations.select_related("agenda_item"),
            "debriefs": session.debriefs.select_related("person"),
            "report_backs": session.report_backs.select_related("person"),
        },
    )


@staff_required(*COORDINATING)
def venues(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_venue(actor=request.user, organisation=organisation, fields=form.cleaned_data)
        messages.success(request, _("Venue added."))
        return redirect("meetings:venues")
    return render(
        request, "meetings/venues.html", {"form": form, "venues": Venue.objects.filter(organisation=organisation)}
    )


@staff_required(*ADMINISTERING)
def standards_settings(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    current = selectors.thresholds(organisation)
    form = StandardsForm(request.POST or None, initial=asdict(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_standards(
                actor=request.user, organisation=organisation, thresholds=rules.Thresholds(**form.cleaned_data)
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Standards saved."))
            return redirect("meetings:standards")
    return render(request, "meetings/standards.html", {"form": form})


# ---- Members ----------------------------------------------------------------------------------------


def _own(request: AuthedRequest) -> Any:
    person = people_selectors.own_person(request.user)
    if person is None:
        raise Http404
    return person


@login_required
def my_sessions(request: AuthedRequest) -> HttpResponse:
    person = _own(request)
    invitations = (
        Invitation.objects.filter(person=person)
        .exclude(sent_at=None)
        .select_related("session", "session__venue", "session__organisation")
        .prefetch_related("session__papers", "session__agenda")
        .order_by("session__starts_at")
    )
    now = timezone.now()
    upcoming = [i for i in invitations if i.session.ends_at >= now]
    # The standing declarations touching each item, for all the sessions at once (never one query a person).
    standing = selectors.standing_interests([i.session for i in upcoming])
    for i in upcoming:
        by_item = standing[i.session.pk].by_item if i.session.pk in standing else {}
        i.agenda_lines = [(item, by_item.get(item.pk, [])) for item in i.session.agenda.all()]  # type: ignore[attr-defined]
    check_in_form = CheckInForm(request.POST or None)
    if request.method == "POST" and check_in_form.is_valid():
        try:
            services.check_in(actor=request.user, person=person, code=check_in_form.cleaned_data["code"])
        except ValidationError as error:
            attach_errors(check_in_form, error)
        else:
            messages.success(request, _("You are checked in. Welcome!"))
            return redirect("meetings:my_sessions")
    feed = CalendarFeedToken.objects.filter(person=person, revoked_at__isnull=True).first()
    return render(
        request,
        "meetings/my_sessions.html",
        {
            "person": person,
            "upcoming": upcoming,
            "attended": Attendance.objects.filter(person=person, status="attended")
            .select_related("session", "session__organisation")
            .order_by("-session__starts_at"),
            "debriefs": Debrief.objects.filter(person=person, answered_at__isnull=True).select_related("session"),
            "check_in_form": check_in_form,
            "feed": feed,
            "feed_url": request.build_absolute_uri(f"/calendar/{feed.token}.ics") if feed else "",
        },
    )


@login_required
@require_POST
def my_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk, person=_own(request))
    services.reply(actor=request.user, invitation=invitation, coming=request.POST.get("coming") == "yes")
    messages.success(request, _("Thank you for letting us know."))
    return redirect("meetings:my_sessions")


@login_required
def my_paper(request: AuthedRequest, pk: int) -> FileResponse:
    person = _own(request)
    paper = get_object_or_404(Paper, pk=pk, session__invitations__person=person, sent_at__isnull=False)
    return FileResponse(paper.file.open("rb"), as_attachment=True, filename=paper.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def my_calendar(request: AuthedRequest) -> HttpResponse:
    person = _own(request)
    CalendarFeedToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if request.POST.get("action") != "revoke":
        CalendarFeedToken.objects.create(person=person, token=CalendarFeedToken.new_token())
        messages.success(request, _("Your calendar address is ready. Keep it private."))
    else:
        messages.success(request, _("Your calendar address no longer works."))
    return redirect("meetings:my_sessions")


@login_required
def debrief(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Debrief, pk=pk, person=_own(request))
    form = DebriefForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.answer_debrief(actor=request.user, debrief=item, **form.cleaned_data)
        if form.cleaned_data["wants_call"]:
            messages.success(request, _("Thank you. Someone will contact you soon, the way you prefer."))
        else:
            messages.success(request, _("Thank you for telling us."))
        return redirect("meetings:my_sessions")
    if request.method == "POST":
        item.refresh_from_db()
    return render(
        request,
        "meetings/debrief.html",
        {"form": form, "debrief": item, "next_steps": selectors.after_debrief(item.session, item.person)},
    )


@login_required
def report_back(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _own(request)
    attendance = get_object_or_404(Attendance, session_id=pk, person=person, status="attended")
    form = ReportBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group_services.record_report_back(
            actor=request.user, session=attendance.session, person=person, **form.cleaned_data
        )
        messages.success(request, _("Report-back recorded. Thank you."))
        return redirect("meetings:my_sessions")
    return render(request, "meetings/report_back.html", {"form": form, "session": attendance.session})


@login_required
def certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    from .documents import certificate_pdf

    attendance = get_object_or_404(
        Attendance.objects.select_related("session", "person"), pk=pk, person=_own(request), status="attended"
    )
    response = HttpResponse(certificate_pdf(attendance), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{attendance.session_id}.pdf"'
    return response


def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    from .calendar import personal_feed_view

    return personal_feed_view(request, token)
