"""Pages for reward choice, payments and statements, and recognition (C5).

A member only ever sees their own: every page starts from ``own_person``; a statement
or record is built for the signed-in member, whatever the URL says.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING
from withus.core import spreadsheets
from withus.core.forms import attach_errors
from withus.people import selectors as people_selectors
from withus.rewards import rules
from withus.rewards.models import IncomeLine, RewardMethod, Thanks

from . import documents, selectors, services
from .forms import RewardPreferenceForm, ThanksForm

# Statements exist from when WithUs could have paid anyone, to well beyond any date in use.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _tax_year_start(year: int) -> date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return date(year, 4, 6)


# ---- The member -------------------------------------------------------------------------------


@login_required
def me_payments(request: AuthedRequest) -> HttpResponse:
    """Every offer, claim and payment with its state; statements by tax year; thanks received."""
    person = people_selectors.own_person(request.user)
    if person is None:
        return render(request, "people/no_profile.html")
    today = timezone.localdate()
    lines = (
        IncomeLine.objects.filter(person=person)
        .select_related("organisation", "budget__funded_by")
        .order_by("-activity_date", "-pk")
    )
    this_year = selectors.statement(person, rules.tax_year(today)[0])
    return render(
        request,
        "rewards/statements/me_payments.html",
        {
            "person": person,
            "lines": lines,
            "preference": selectors.preference_for(person),
            "years": [(year, selectors.tax_year_label(year)) for year in selectors.statement_years(person, today)],
            "this_year": this_year,
            "thanks": selectors.thanks_for(person),
        },
    )


@login_required
def me_reward(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    preference = selectors.preference_for(person)
    initial = {}
    if preference is not None:
        initial = {
            "method": preference.method,
            "charity_name": preference.charity_name,
            "group_name": preference.group_name,
        }
    # Bank details are never put back into the page: they are shown masked instead.
    form = RewardPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_reward_preference(actor=request.user, person=person, fields=form.service_fields())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you. We have saved how you want to be rewarded."))
            return redirect("rewards_statements:me_payments")
    has_bank = preference is not None and bool(preference.account_number)
    return render(
        request,
        "rewards/statements/me_reward.html",
        {
            "person": person,
            "form": form,
            "preference": preference,
            "has_bank": has_bank,
            "masked_sort_code": selectors.masked_sort_code(preference.sort_code) if has_bank and preference else "",
            "masked_account": selectors.masked(preference.account_number) if has_bank and preference else "",
            "bank_transfer": RewardMethod.BANK_TRANSFER,
        },
    )


@login_required
def me_statement_pdf(request: AuthedRequest, year: int) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    statement = selectors.statement(person, _tax_year_start(year))
    response = HttpResponse(documents.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{year}-{(year + 1) % 100:02d}.pdf"'
    return response


@login_required
def me_statement_csv(request: AuthedRequest, year: int) -> StreamingHttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    response = StreamingHttpResponse(
        documents.statement_csv(person, _tax_year_start(year)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="statement-{year}-{(year + 1) % 100:02d}.csv"'
    return response


@login_required
def me_statement_xlsx(request: AuthedRequest, year: int) -> FileResponse:
    """The statement CSV's rows as an XLSX workbook: dates as dates, amounts as numbers."""
    person = people_selectors.own_person_or_404(request.user)
    start = _tax_year_start(year)
    return FileResponse(
        documents.statement_xlsx(person, start),
        as_attachment=True,
        filename=documents.statement_filename(start, "xlsx"),
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
    )


@login_required
def me_record(request: AuthedRequest) -> HttpResponse:
    person = people_selectors.own_person_or_404(request.user)
    response = HttpResponse(documents.record_pdf(person), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="my-involvement-record.pdf"'
    return response


# ---- Coordinators -----------------------------------------------------------------------------


@staff_required(*COORDINATING)
def staff_thanks(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    person = people_selectors.person_for_staff(request.user, organisation, pk)
    form = ThanksForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.give_thanks(
                actor=request.user,
                organisation=organisation,
                person=person,
                contribution=form.cleaned_data["contribution"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Your thanks is recorded. %(name)s will see it on WithUs.") % {"name": person.display_name}
            )
            return redirect("rewards_statements:staff_thanks", pk=person.pk)
    given = Thanks.objects.filter(person=person, organisation=organisation).select_related("given_by")
    return render(
        request,
        "rewards/statements/staff_thanks.html",
        {"person": person, "form": form, "given": given, "organisation": organisation},
    )
