"""The coordinator's page of groups and who holds their seats."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import has_role
from withus.core import spreadsheets
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules, selectors, services
from .forms import (
    BallotForm,
    EndSeatForm,
    FindReceiptForm,
    GroupForm,
    MarkViewForm,
    OpenBallotForm,
    PaperReceiptsForm,
    PaperVoteForm,
    PartnerMessageForm,
    RepresentativeReportBackForm,
    SendViewForm,
    SpeaksForForm,
    VoteForm,
)
from .models import Appointment, Ballot, Group, RepresentativeView


@staff_required(*COORDINATING)
def groups(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_group(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Group added."))
            return redirect("groups:groups")
    return render(request, "groups/groups.html", {"form": form, "groups": selectors.groups_of(organisation)})


@staff_required(*COORDINATING)
def end_seat(request: AuthedRequest, organisation: Organisation, appointment_id: int) -> HttpResponse:
    """End a seat's term, early or as planned. A member who raised a concern lately keeps their seat
    until a recorded reason has been reviewed by someone independent (the check in withus.concerns)."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("group", "person"),
        pk=appointment_id,
        group__organisation=organisation,
        ended_on__isnull=True,
    )
    form = EndSeatForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ended_on = form.cleaned_data["ended_on"]
            services.end_appointment(actor=request.user, appointment=appointment, ended_on=ended_on)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The seat is ended."))
            return redirect("groups:groups")
    return render(
        request,
        "groups/end_seat.html",
        {"form": form, "appointment": appointment},
        status=400 if form.errors else 200,
    )


# ---- Ballots -------------------------------------------------------------------------------------------


def _group_of(organisation: Organisation, group_id: int) -> Group:
    return get_object_or_404(Group, pk=group_id, organisation=organisation)


def _members(group: Group) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=[a.person_id for a in selectors.serving_on(group)]).order_by("full_name")


@staff_required(*COORDINATING)
def new_ballot(request: AuthedRequest, organisation: Organisation, group_id: int) -> HttpResponse:
    group = _group_of(organisation, group_id)
    form = BallotForm(request.POST or None, members=_members(group))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.create_ballot(
                actor=request.user,
                group=group,
                question=data["question"],
                question_cy=data["question_cy"],
                options=data["options"].splitlines(),
                options_cy=data["options_cy"].splitlines(),
                first_observer=data["first_observer"],
                second_observer=data["second_observer"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Ballot set up. Open it when the group is ready to vote."))
            return redirect("groups:manage_ballot", ballot_id=ballot.pk)
    ballots = selectors.ballots_of_group(request.user, group)
    return render(request, "groups/ballot_new.html", {"form": form, "group": group, "ballots": ballots})


@staff_required(*COORDINATING)
def manage_ballot(request: AuthedRequest, organisation: Organisation, ballot_id: int) -> HttpResponse:
    """The coordinator's page: open (with the small-group warning), paper ballots, close."""
    ballot = selectors.ballot_for(request.user, ballot_id)
    if ballot.group.organisation_id != organisation.pk:
        raise Http404
    action = request.POST.get("action", "")
    open_form = OpenBallotForm(request.POST if action == "open" else None)
    papers_form = PaperReceiptsForm(request.POST if action == "papers" else None)
    voters = Person.objects.filter(pk__in=ballot.roll.filter(has_voted=False).values("person")).order_by("full_name")
    options = list(ballot.options.all())
    paper_form = PaperVoteForm(request.POST if action == "paper_vote" else None, voters=voters, options=options)
    receipts: list[str] = []
    forms_by_action = {"open": open_form, "papers": papers_form, "paper_vote": paper_form}
    form = forms_by_action.get(action)
    if request.method == "POST" and (action == "close" or (form is not None and form.is_valid())):
        try:
            if action == "open":
                services.open_ballot(
                    actor=request.user, ballot=ballot, accept_small_group=open_form.cleaned_data["accept_small_group"]
                )
                messages.success(request, _("The ballot is open."))
            elif action == "papers":
                receipts = services.issue_paper_receipts(
                    actor=request.user, ballot=ballot, count=papers_form.cleaned_data["count"]
                )
            elif action == "paper_vote":
                data = paper_form.cleaned_data
                services.record_paper_vote(
                    actor=request.user,
                    ballot=ballot,
                    person=data["person"],
                    receipt=data["receipt"],
                    option_id=data["option"],
                )
                messages.success(request, _("Paper vote recorded."))
            else:
                services.close_voting(actor=request.user, ballot=ballot)
                messages.success(request, _("Voting has closed. The observers confirm it before the result is shown."))
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                attach_errors(form, error)
        else:
            if not receipts:
                return redirect("groups:manage_ballot", ballot_id=ballot.pk)
    ballot.refresh_from_db()
    page = selectors.ballot_page(ballot)
    warning = (
        rules.secrecy_warning(eligible=len(selectors.serving_on(ballot.group)))
        if ballot.status == Ballot.Status.DRAFT
        else None
    )
    return render(
        request,
        "groups/ballot_manage.html",
        {
            "page": page,
            "ballot": ballot,
            "warning": warning,
            "open_form": open_form,
            "papers_form": papers_form,
            "paper_form": paper_form,
            "receipts": receipts,
            "form": form,
        },
    )


@login_required
def group_ballots(request: AuthedRequest) -> HttpResponse:
    """A member's ballots: those of the groups they serve on and those whose roll they are on."""
    person = people_selectors.own_person_or_404(request.user)
    return render(request, "groups/ballots.html", {"ballots": selectors.ballots_for_person(person)})


@login_required
def ballot(request: AuthedRequest, ballot_id: int) -> HttpResponse:
    """A ballot as the group sees it: the roll and who has voted, the vote, the observers' confirmation,
    and once published the result, the full list and a way to find one's receipt."""
    ballot = selectors.ballot_for(request.user, ballot_id)
    person = people_selectors.own_person(request.user)
    page = selectors.ballot_page(ballot)
    action = request.POST.get("action", "")
    vote_form = VoteForm(request.POST if action == "vote" else None, options=page.options)
    find_form = FindReceiptForm(request.GET if "receipt" in request.GET else None)
    receipt = ""
    if request.method == "POST":
        try:
            if action == "vote" and vote_form.is_valid():
                receipt = services.vote(actor=request.user, ballot=ballot, option_id=vote_form.cleaned_data["option"])
            elif action == "confirm":
                services.confirm_close(actor=request.user, ballot=ballot)
                messages.success(request, _("Thank you. Your confirmation is recorded."))
                return redirect("groups:ballot", ballot_id=ballot.pk)
        except ValidationError as error:
            if action == "vote":
                attach_errors(vote_form, error)
            else:
                messages.error(request, " ".join(error.messages))
        if receipt:
            page = selectors.ballot_page(ballot)
    found: tuple[str, Any] | None = None
    if find_form.is_valid():
        found = selectors.find_receipt(ballot, find_form.cleaned_data["receipt"])
    mine = next((v for v in page.roll if person is not None and v.person_id == person.pk), None)
    observer = person is not None and person.pk in (ballot.first_observer_id, ballot.second_observer_id)
    confirmed = person is not None and (
        (person.pk == ballot.first_observer_id and ballot.first_observer_confirmed)
        or (person.pk == ballot.second_observer_id and ballot.second_observer_confirmed)
    )
    return render(
        request,
        "groups/ballot.html",
        {
            "page": page,
            "ballot": ballot,
            "vote_form": vote_form,
            "form": vote_form,
            "find_form": find_form,
            "found": found,
            "receipt": receipt,
            "mine": mine,
            "observer": observer,
            "confirmed": confirmed,
        },
    )


BALLOT_LIST_COLUMNS = ["receipt_hash", "choice"]


def _ballot_list(request: AuthedRequest, ballot_id: int) -> tuple[Ballot, list[tuple[str, str]]]:
    """The published (receipt hash, choice) rows, or 404 while the list is not published."""
    ballot = selectors.ballot_for(request.user, ballot_id)
    page = selectors.ballot_page(ballot)
    if page.published_list is None:
        raise Http404
    return ballot, [(h, o.label) for h, o in page.published_list]


@login_required
def ballot_list_csv(request: AuthedRequest, ballot_id: int) -> HttpResponse:
    """The published (receipt hash, choice) list, for anyone in the group to recount."""
    ballot, rows = _ballot_list(request, ballot_id)
    pieces = spreadsheets.Pieces()
    out = spreadsheets.writer(pieces)
    out.writerow(BALLOT_LIST_COLUMNS)
    out.writerows(rows)
    response = HttpResponse(pieces.take(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballot-{ballot.pk}.csv"'
    return response


@login_required
def ballot_list_xlsx(request: AuthedRequest, ballot_id: int) -> HttpResponseBase:
    """The same list as an XLSX workbook."""
    ballot, rows = _ballot_list(request, ballot_id)
    sheet = spreadsheets.Sheet(_("Ballot %(id)s") % {"id": ballot.pk}, BALLOT_LIST_COLUMNS, rows)
    return spreadsheets.xlsx_response([sheet], f"ballot-{ballot.pk}.xlsx")


# ---- The structure of representation and representatives -------------------------------------------


@login_required
def structure(request: AuthedRequest, slug: str) -> HttpResponse:
    """The organisation's groups, who represents whom and on which seat: for the people involved."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not selectors.may_see_structure(request.user, organisation):
        raise Http404
    coordinating = has_role(request.user, organisation, *COORDINATING)
    form = SpeaksForForm(request.POST or None, organisation=organisation) if coordinating else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.set_speaks_for(
                actor=request.user,
                appointment=form.cleaned_data["appointment"],
                speaks_for=form.cleaned_data["speaks_for"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The structure is updated."))
            return redirect("groups:structure", slug=slug)
    tree, seats = selectors.representation_structure(organisation)
    return render(
        request,
        "groups/structure.html",
        {"organisation": organisation, "tree": tree, "seats": seats, "form": form},
    )


@login_required
def my_representatives(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    return render(request, "groups/representatives.html", {"seats": selectors.seats_speaking_for(person)})


@login_required
def representative(request: AuthedRequest, appointment_id: int) -> HttpResponse:
    """A representative's page: views sent before meetings, report-backs after them, what came of each view."""
    seat = selectors.representative_for(request.user, appointment_id)
    person = people_selectors.own_person(request.user)
    is_rep = person is not None and person.pk == seat.person_id
    assert seat.speaks_for is not None
    may_send = selectors.is_group_member(person, seat.speaks_for)
    sessions = seat.group.sessions.order_by("-starts_at")
    action = request.POST.get("action", "")
    posted = request.POST if request.method == "POST" else None
    view_form = SendViewForm(posted if action == "view" else None, sessions=sessions)
    report_form = RepresentativeReportBackForm(
        posted if action == "report" else None, sessions=sessions, prefix="report"
    )
    message_form = PartnerMessageForm(posted if action == "message" else None, prefix="message")
    marking = request.POST.get("view", "")
    mark_form = MarkViewForm(posted if action == "mark" else None, prefix=f"v{marking}" if marking else None)
    form = {"view": view_form, "report": report_form, "message": message_form, "mark": mark_form}.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "view" and may_send:
                services.send_view(actor=request.user, appointment=seat, text=data["text"], session=data["session"])
                messages.success(request, _("Your view is sent to your representative."))
            elif action == "report" and is_rep:
                services.record_report_back(
                    actor=request.user,
                    session=data["session"],
                    person=seat.person,
                    reported_to=str(seat.speaks_for),
                    summary=data["summary"],
                )
                messages.success(request, _("Report-back saved."))
            elif action == "message" and is_rep:
                sent = services.message_partners(
                    actor=request.user,
                    appointment=seat,
                    subject=data["subject"],
                    body=data["body"],
                    copy_support=data["copy_support"],
                )
                messages.success(request, _("Message sent to %(count)s people.") % {"count": sent.recipients})
            elif action == "mark":
                view = get_object_or_404(RepresentativeView, pk=marking, appointment=seat)
                services.mark_view(actor=request.user, view=view, raised=data["raised"], outcome=data["outcome"])
                messages.success(request, _("Marked."))
            else:
                raise PermissionDenied
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("groups:representative", appointment_id=seat.pk)
    meetings, unplaced = selectors.representative_page(seat)
    for view in [v for m in meetings for v in m.views] + unplaced:
        # Each view has its own small form; the one just posted keeps what was typed and its errors.
        own = action == "mark" and marking == str(view.pk)
        setattr(view, "mark_form", mark_form if own else MarkViewForm(prefix=f"v{view.pk}"))  # noqa: B010
    return render(
        request,
        "groups/representative.html",
        {
            "seat": seat,
            "is_rep": is_rep,
            "may_send": may_send,
            "may_mark": is_rep or has_role(request.user, seat.group.organisation, *COORDINATING),
            "meetings": meetings,
            "unplaced": unplaced,
            "view_form": view_form,
            "report_form": report_form,
            "message_form": message_form,
            "mark_form": mark_form,
            "marking": marking,
            "form": form,
        },
    )
