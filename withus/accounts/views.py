"""Organisation settings, staff roles, switching organisation and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from withus.accounts.http import AuthedRequest
from withus.core import navigation
from withus.core.forms import attach_errors, set_choices

from . import selectors, services
from .decorators import staff_required
from .forms import ApiTokenForm, GrantRoleForm, OrganisationForm, SmallNumberThresholdForm
from .models import ApiToken, Membership, Organisation, Role
from .roles import ADMINISTERING, STAFF


@staff_required(*STAFF)
def staff_home(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """Every staff page the person's roles in this organisation open, by section."""
    sections = navigation.staff_sections(selectors.roles_in(request.user, organisation))
    return render(request, "accounts/staff_home.html", {"organisation": organisation, "sections": sections})


@staff_required(*STAFF)
def organisation_page(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    is_admin = selectors.has_role(request.user, organisation, Role.ADMIN)
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": organisation,
            "staff": selectors.staff_of(organisation),
            "is_admin": is_admin,
        },
    )


@staff_required(*ADMINISTERING)
def organisation_settings(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.update_organisation(organisation=organisation, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Settings saved."))
        return redirect("accounts:organisation")
    if form.errors:
        organisation.refresh_from_db()
    return render(request, "accounts/organisation_settings.html", {"form": form, "organisation": organisation})


@staff_required(*ADMINISTERING)
def small_numbers(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's one small-number threshold, for every figure about people it shows."""
    current = selectors.small_number_threshold(organisation)
    form = SmallNumberThresholdForm(request.POST or None, initial={"small_number_threshold": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_small_number_threshold(
                actor=request.user, organisation=organisation, threshold=form.cleaned_data["small_number_threshold"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Counts below %(n)s are now hidden.") % {"n": form.cleaned_data["small_number_threshold"]}
            )
            return redirect("accounts:organisation")
    return render(
        request,
        "accounts/small_numbers.html",
        {"form": form, "organisation": organisation, "current": current},
        status=400 if form.errors else 200,
    )


@staff_required(*ADMINISTERING)
def grant_role(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = services.grant_role(organisation=organisation, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("%(email)s is now %(role)s.") % {"email": membership.user.email, "role": membership.get_role_display()},
        )
        return redirect("accounts:organisation")
    return render(request, "accounts/grant_role.html", {"form": form, "organisation": organisation})


@staff_required(*ADMINISTERING)
@require_POST
def remove_role(request: AuthedRequest, organisation: Organisation, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk, organisation=organisation)
    try:
        services.remove_role(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:organisation")


@login_required
@require_POST
def switch_organisation(request: AuthedRequest) -> HttpResponse:
    wanted = request.POST.get("organisation", "")
    for organisation in selectors.staff_organisations(request.user):
        if str(organisation.pk) == wanted:
            request.session[selectors.SESSION_ORGANISATION] = organisation.pk
            messages.success(request, _("You are now working in %(org)s.") % {"org": organisation})
            break
    else:
        messages.error(request, _("You do not have a staff role in that organisation."))
    return redirect("home")


def _token_choices(memberships: list[Membership]) -> list[tuple[str, str]]:
    return [(str(m.pk), f"{m.get_role_display()} – {m.organisation}") for m in memberships]


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    memberships = selectors.memberships_of(request.user)
    form = ApiTokenForm(request.POST or None)
    set_choices(form.fields["membership"], _token_choices(memberships))
    new_token = None
    if request.method == "POST" and form.is_valid():
        membership = next(m for m in memberships if str(m.pk) == form.cleaned_data["membership"])
        _token, new_token = services.issue_api_token(
            user=request.user,
            organisation=membership.organisation,
            role=membership.role,
            name=form.cleaned_data["name"],
        )
        form = ApiTokenForm()
        set_choices(form.fields["membership"], _token_choices(memberships))
    existing = ApiToken.objects.filter(user=request.user).select_related("organisation")
    return render(request, "accounts/tokens.html", {"form": form, "tokens": existing, "new_token": new_token})


@login_required
@require_POST
def revoke_token(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token=token, actor=request.user)
    messages.success(request, _("Token revoked. Anything using it can no longer reach WithUs."))
    return redirect("accounts:tokens")


@staff_required(*ADMINISTERING)
def security_events(request: AuthedRequest, organisation: Organisation) -> HttpResponse:
    """For the organisation's admin: sign-ins of its staff, wrong passwords and codes, tokens and exports."""
    page = Paginator(selectors.security_events_for(organisation), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/security_events.html", {"page": page, "organisation": organisation, "query": ""})
