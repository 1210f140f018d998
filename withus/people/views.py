"""Pages of the people register: a member's own record, and the coordinator's view."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation, SecurityEvent
from withus.accounts.roles import ADMINISTERING, COORDINATING, SEEING_PEOPLE
from withus.accounts.selectors import has_role
from withus.accounts.services import record_security_event
from withus.core import navigation, privacy, spreadsheets
from withus.core.forms import attach_errors
from withus.core.paging import CountedPaginator

from . import documents, erasure, selectors, services
from .forms import (
    ASSISTED_FIELDS,
    AboutForm,
    AssistedAboutForm,
    AssistedRegistrationForm,
    ConsentForm,
    ContactForm,
    DbsForm,
    EqualityForm,
    EraseForm,
    ExitInterviewForm,
    ExperienceForm,
    NeedsForm,
    PeopleFilterForm,
    ShareForm,
    SkillsForm,
    StepOutForm,
    WellbeingForm,
)
from .models import (
    ConsentRecord,
    EqualityMonitoring,
    Erasure,
    ExitInterview,
    Person,
    SensitiveRead,
    Tag,
    WellbeingPlan,
)
from .sections import SECTION_TITLES


@dataclass(frozen=True)
class Section:
    slug: str
    title: Any
    form: type[forms.ModelForm[Any]]
    intro: Any = ""


SECTIONS = [
    Section("about", SECTION_TITLES["about"], AboutForm),
    Section("experience", SECTION_TITLES["experience"], ExperienceForm),
    Section("skills", SECTION_TITLES["skills"], SkillsForm),
    Section("contact", SECTION_TITLES["contact"], ContactForm),
    Section("needs", SECTION_TITLES["needs"], NeedsForm),
    Section(
        "wellbeing",
        SECTION_TITLES["wellbeing"],
        WellbeingForm,
        gettext_lazy("This is private. Only you can see it unless you choose otherwise."),
    ),
    Section(
        "equality",
        SECTION_TITLES["equality"],
        EqualityForm,
        gettext_lazy(
            "These questions are optional. We only use the answers in anonymous reports, to check "
            "that we involve everyone fairly."
        ),
    ),
]
SECTION_BY_SLUG = {s.slug: s for s in SECTIONS}
# What staff see of a person's sensitive details on their page, and in each section they open.
PERSON_PAGE_SHOWS = (SensitiveRead.What.CONTACT, SensitiveRead.What.NEEDS, SensitiveRead.What.DBS)
SECTION_SHOWS = {"contact": SensitiveRead.What.CONTACT, "needs": SensitiveRead.What.NEEDS}


def _section_form(
    section: Section, person: Person, data: Any = None, *, assisted: bool = False
) -> forms.ModelForm[Person]:
    form_class = section.form
    if section.slug == "about" and assisted:
        form_class = AssistedAboutForm
    if section.slug == "wellbeing":
        instance: Any = WellbeingPlan.objects.filter(person=person).first() or WellbeingPlan(person=person)
    elif section.slug == "equality":
        instance = EqualityMonitoring.objects.filter(person=person).first() or EqualityMonitoring(person=person)
    else:
        instance = person
    initial = {}
    for field_name, kind in getattr(form_class, "tag_kinds", {}).items():
        initial[field_name] = [t.pk for t in person.tags.all() if t.kind == kind]
    return form_class(data=data, instance=instance, initial=initial)


def _save_section(
    *,
    section: Section,
    form: forms.ModelForm[Any],
    person: Person,
    actor: Any,
    organisation: Organisation | None,
    step: int | None,
) -> None:
    data = form.cleaned_data
    if section.slug in ("wellbeing", "equality"):
        # Kept apart from the profile (encrypted, with who may see it); only the step moves on.
        if section.slug == "wellbeing":
            services.save_wellbeing_plan(
                person=person,
                actor=actor,
                organisation=organisation,
                what_helps=data["what_helps"],
                who_to_contact=data["who_to_contact"],
                visible_to=data["visible_to"],
            )
        else:
            services.save_equality_monitoring(
                person=person, actor=actor, organisation=organisation, answers={k: v or "" for k, v in data.items()}
            )
        if step is not None:
            services.update_profile(
                person=person,
                actor=actor,
                fields={},
                organisation=organisation,
                profile_step=step,
                section=section.slug,
            )
        return
    tag_kinds = getattr(form, "tag_kinds", {})
    fields = {name: data[name] for name in form._meta.fields or [] if name in data}
    tags: dict[str, Iterable[Tag]] = {kind: list(data.get(field_name) or []) for field_name, kind in tag_kinds.items()}
    services.update_profile(
        person=person,
        actor=actor,
        fields=fields,
        tags=tags or None,
        organisation=organisation,
        section=section.slug,
        profile_step=step,
    )


def _reset_on_error(form: forms.ModelForm[Any], person: Person) -> None:
    # A failed ModelForm leaves its changes on the instance; reload so nothing half-typed shows as saved.
    person.refresh_from_db()


def home(request: HttpRequest) -> HttpResponse:
    person = selectors.own_person(request.user)
    next_section = None
    if person is not None and person.profile_step < len(SECTIONS):
        next_section = SECTIONS[person.profile_step]
    sections = navigation.member_sections(has_profile=person is not None) if request.user.is_authenticated else []
    return render(request, "home.html", {"person": person, "next_section": next_section, "sections": sections})


def _own_person_or_404(request: AuthedRequest) -> Person:
    person = selectors.own_person(request.user)
    if person is None:
        raise Http404(_("You do not have a member profile."))
    return person


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    person = selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    return render(request, "people/me.html", _person_context(request, person, organisation=None))


def _person_context(request: HttpRequest, person: Person, organisation: Organisation | None) -> dict[str, Any]:
    person = Person.objects.prefetch_related("tags").get(pk=person.pk)
    consents = list(person.consents.select_related("organisation", "recorded_by"))
    return {
        "person": person,
        "sections": SECTIONS,
        "wellbeing_plan": selectors.wellbeing_plan_for(request.user, person, organisation),
        "has_wellbeing_plan": WellbeingPlan.objects.filter(person=person).exclude(what_helps="").exists(),
        "equality": EqualityMonitoring.objects.filter(person=person).first() if organisation is None else None,
        "current_consents": [c for c in consents if c.withdrawn_at is None],
        "past_consents": [c for c in consents if c.withdrawn_at is not None],
        "assisted_actions": person.assisted_actions.select_related("actor", "organisation")[:50],
        "dbs_checks": person.dbs_checks.filter(organisation=organisation)
        if organisation
        else person.dbs_checks.select_related("organisation"),
        "open_exit_interview": ExitInterview.objects.filter(person=person, completed_at__isnull=True).first(),
        "reads": selectors.reads_of(person) if organisation is None else [],
        "organisation": organisation,
    }


@login_required
def me_section(request: AuthedRequest, slug: str) -> HttpResponse:
    person = _own_person_or_404(request)
    section = SECTION_BY_SLUG.get(slug)
    if section is None:
        raise Http404
    index = SECTIONS.index(section)
    in_first_run = person.profile_step <= index
    if request.method == "POST":
        form = _section_form(section, person, request.POST)
        if form.is_valid():
            _save_section(
                section=section, form=form, person=person, actor=request.user, organisation=None, step=index + 1
            )
            if "save_later" in request.POST:
                messages.success(request, _("Saved. You can come back and carry on at any time."))
                return redirect("people:me")
            if in_first_run and index + 1 < len(SECTIONS):
                return redirect("people:me_section", slug=SECTIONS[index + 1].slug)
            messages.success(request, _("Your details have been saved."))
            return redirect("people:me")
        _reset_on_error(form, person)
    else:
        form = _section_form(section, person)
    return render(
        request,
        "people/section.html",
        {
            "form": form,
            "section": section,
            "step": index + 1,
            "steps": len(SECTIONS),
            "in_first_run": in_first_run,
            "person": person,
            "action": request.path,
            "back": "people:me",
        },
    )


@login_required
def me_held(request: AuthedRequest) -> HttpResponse:
    """Everything held about the member, to read on the page, with the PDF and JSON to download."""
    person = _own_person_or_404(request)
    return render(request, "privacy/subject_access_page.html", documents.subject_access_context(person))


@login_required
def me_download_pdf(request: AuthedRequest) -> HttpResponse:
    person = _own_person_or_404(request)
    content = documents.subject_access_pdf(person, language=translation.get_language())
    record_security_event(
        kind=SecurityEvent.Kind.EXPORT, request=request, user=request.user, detail=f"person {person.pk} (PDF)"
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="my-withus-details.pdf"'
    return response


@login_required
def me_download(request: AuthedRequest) -> HttpResponse:
    person = _own_person_or_404(request)
    data = privacy.subject_access(person)
    record_security_event(
        kind=SecurityEvent.Kind.EXPORT, request=request, user=request.user, detail=f"person {person.pk}"
    )
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-withus-details.json"'
    return response


@login_required
def me_share(request: AuthedRequest) -> HttpResponse:
    person = _own_person_or_404(request)
    form = ShareForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        services.share_details_with(person=person, actor=request.user, organisation=form.cleaned_data["organisation"])
        messages.success(
            request, _("You now share your details with %(org)s.") % {"org": form.cleaned_data["organisation"]}
        )
        return redirect("people:me")
    return render(request, "people/share.html", {"form": form, "nothing_left": not form.choices.exists()})


@login_required
@require_POST
def me_withdraw_consent(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _own_person_or_404(request)
    consent = get_object_or_404(ConsentRecord, pk=pk, person=person)
    if consent.purpose == ConsentRecord.Purpose.KEEP_DETAILS:
        messages.error(request, _("To stop us keeping your details, close your account instead."))
        return redirect("people:me")
    services.withdraw_consent(consent=consent, actor=request.user)
    messages.success(
        request, _("You have withdrawn your consent: %(purpose)s.") % {"purpose": consent.get_purpose_display()}
    )
    return redirect("people:me")


@login_required
def me_step_out(request: AuthedRequest) -> HttpResponse:
    person = _own_person_or_404(request)
    form = StepOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.step_out(person=person, actor=request.user, until=form.cleaned_data["until"])
        messages.success(request, _("You have stepped out. Take care of yourself; your place is kept."))
        return redirect("people:me")
    return render(request, "people/step_out.html", {"form": form})


@login_required
@require_POST
def me_come_back(request: AuthedRequest) -> HttpResponse:
    person = _own_person_or_404(request)
    services.come_back(person=person, actor=request.user)
    messages.success(request, _("Welcome back."))
    return redirect("people:me")


@login_required
def me_leave(request: AuthedRequest) -> HttpResponse:
    person = _own_person_or_404(request)
    if request.method == "POST":
        interview = services.leave(person=person, actor=request.user)
        messages.success(request, _("You have left. You can come back at any time."))
        return redirect("people:me_exit_interview", pk=interview.pk)
    return render(request, "people/leave.html", {"person": person})


@login_required
def me_erase(request: AuthedRequest) -> HttpResponse:
    """Erase my details: what goes, what stays and why, then the person confirms on purpose."""
    person = _own_person_or_404(request)
    found = erasure.plan(person)
    waiting = Erasure.objects.filter(person=person, status=Erasure.Status.WAITING).first()
    form = EraseForm(request.POST if request.method == "POST" else None, owes=found.waivable > 0)
    if request.method == "POST" and form.is_valid():
        done = erasure.request_erasure(person=person, via=Erasure.Via.WEB, actor=request.user, waive_unpaid=form.waives)
        if done.status == Erasure.Status.DONE:
            logout(request)
            request.session["erased_reference"] = done.reference
            return redirect("people:erased")
        messages.info(request, _("We will erase your details as soon as what we owe you has been paid."))
        return redirect("people:me_erase")
    return render(request, "people/erase.html", {"person": person, "plan": found, "form": form, "waiting": waiting})


def erased(request: HttpRequest) -> HttpResponse:
    """After an erasure: the person is signed out, and told what happened and their reference."""
    reference = request.session.get("erased_reference")
    if not reference:
        return redirect("home")
    return render(request, "people/erased.html", {"reference": reference})


@login_required
def me_exit_interview(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _own_person_or_404(request)
    interview = get_object_or_404(ExitInterview, pk=pk, person=person)
    form = ExitInterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.complete_exit_interview(interview=interview, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you for telling us."))
        return redirect("people:me")
    return render(request, "people/exit_interview.html", {"form": form, "interview": interview})


# ---- Staff pages -------------------------------------------------------------------------

PAGE_SIZE = 25


@staff_required(*SEEING_PEOPLE)
def staff_list(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    people = selectors.people_for_staff(request.user, organisation)
    chosen = selectors.PeopleFilter()
    if form.is_valid():
        chosen = form.people_filter()
        people = selectors.filter_people(people, chosen)
    page = CountedPaginator(
        selectors.with_list_data(people),
        PAGE_SIZE,
        count=selectors.count_for_staff(people, organisation, narrowed=chosen.narrows()),
    ).get_page(request.GET.get("page"))
    # The list shows each person's access and format needs.
    services.record_reads(
        reader=request.user, organisation=organisation, people=page.object_list, what=[SensitiveRead.What.NEEDS]
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/staff_list.html",
        {
            "form": form,
            "page": page,
            "organisation": organisation,
            "query": query.urlencode(),
            "can_register": has_role(request.user, organisation, *COORDINATING),
        },
    )


@staff_required(*SEEING_PEOPLE)
def staff_list_csv(request: AuthedRequest, organisation: Organisation) -> StreamingHttpResponse:
    """The people list as CSV: the same people, filters and columns as the page, every page of it, streamed."""
    form = PeopleFilterForm(request.GET or None)
    people_filter = form.people_filter() if form.is_valid() else selectors.PeopleFilter()
    response = StreamingHttpResponse(
        documents.register_csv(request.user, organisation, people_filter), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{documents.register_filename(organisation)}"'
    return response


@staff_required(*SEEING_PEOPLE)
def staff_list_xlsx(request: AuthedRequest, organisation: Organisation) -> FileResponse:
    """The people list as XLSX: the same people, filters and columns as the CSV, a row at a time into the workbook."""
    form = PeopleFilterForm(request.GET or None)
    people_filter = form.people_filter() if form.is_valid() else selectors.PeopleFilter()
    return FileResponse(
        documents.register_xlsx(request.user, organisation, people_filter),
        as_attachment=True,
        filename=documents.register_filename(organisation, "xlsx"),
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
    )


@staff_required(*ADMINISTERING)
def staff_reads(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """For the organisation's admin: who at the organisation saw whose sensitive details, newest first."""
    page = Paginator(selectors.reads_at(organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/staff_reads.html", {"page": page, "organisation": organisation, "query": ""})


@staff_required(*SEEING_PEOPLE)
def staff_person(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = selectors.person_for_staff(request.user, organisation, pk)
    context = _person_context(request, person, organisation)
    services.record_reads(reader=request.user, organisation=organisation, people=[person], what=PERSON_PAGE_SHOWS)
    context["may_act"] = selectors.may_act_for(person, organisation) and has_role(
        request.user, organisation, *COORDINATING
    )
    context["is_coordinator"] = has_role(request.user, organisation, *COORDINATING)
    return render(request, "people/staff_person.html", context)


@staff_required(*COORDINATING)
def staff_register(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = AssistedRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {name: d[name] for name in ASSISTED_FIELDS if name in d}
        try:
            person = services.register_assisted(
                actor=request.user,
                organisation=organisation,
                fields=fields,
                how=d["how"],
                keep_details=d["keep_details"],
                act_on_behalf=d["act_on_behalf"],
                contact_about_opportunities=d["contact_about_opportunities"],
                notes=d["consent_notes"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. You can now fill in the rest of their details with them.")
                % {"name": person.full_name},
            )
            return redirect("people:staff_person", pk=person.pk)
    return render(request, "people/staff_register.html", {"form": form, "organisation": organisation})


@staff_required(*COORDINATING)
def staff_section(request: AuthedRequest, organisation: Organisation, pk: int, slug: str) -> HttpResponse:
    person = selectors.person_for_staff(request.user, organisation, pk)
    if not selectors.may_act_for(person, organisation):
        raise PermissionDenied
    section = SECTION_BY_SLUG.get(slug)
    if section is None:
        raise Http404
    # Equality answers are only ever used in aggregate, and a private wellbeing plan
    # stays private: staff cannot open either, even when acting for the person.
    if section.slug == "equality":
        raise PermissionDenied
    if (
        section.slug == "wellbeing"
        and selectors.wellbeing_plan_for(request.user, person, organisation) is None
        and WellbeingPlan.objects.filter(person=person).exclude(what_helps="", who_to_contact="").exists()
    ):
        raise PermissionDenied
    if request.method == "POST":
        form = _section_form(section, person, request.POST, assisted=True)
        if form.is_valid():
            _save_section(
                section=section, form=form, person=person, actor=request.user, organisation=organisation, step=None
            )
            messages.success(
                request,
                _("Saved for %(name)s. This is recorded as done on their behalf.") % {"name": person.display_name},
            )
            return redirect("people:staff_person", pk=person.pk)
        _reset_on_error(form, person)
    else:
        form = _section_form(section, person, assisted=True)
    if section.slug in SECTION_SHOWS:
        services.record_reads(
            reader=request.user, organisation=organisation, people=[person], what=[SECTION_SHOWS[section.slug]]
        )
    return render(
        request,
        "people/section.html",
        {
            "form": form,
            "section": section,
            "person": person,
            "on_behalf": True,
            "action": request.path,
        },
    )


@staff_required(*COORDINATING)
def staff_consent(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = selectors.person_for_staff(request.user, organisation, pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        purpose = form.cleaned_data["purpose"]
        try:
            services.give_consent(
                person=person,
                actor=request.user,
                purpose=purpose,
                how=form.cleaned_data["how"],
                organisation=organisation if purpose == ConsentRecord.Purpose.ACT_ON_BEHALF else None,
                acting_organisation=organisation,
                notes=form.cleaned_data["notes"],
            )
        except PermissionDenied:
            form.add_error("purpose", _("Record first that the person agrees to you acting for them."))
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("people:staff_person", pk=person.pk)
    return render(request, "people/staff_consent.html", {"form": form, "person": person})


@staff_required(*COORDINATING)
def staff_dbs(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = selectors.person_for_staff(request.user, organisation, pk)
    form = DbsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dbs_check(person=person, organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("DBS check recorded."))
            return redirect("people:staff_person", pk=person.pk)
    return render(request, "people/staff_dbs.html", {"form": form, "person": person})
