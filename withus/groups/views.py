"""The coordinator's page of groups and who holds their seats."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from withus.accounts.decorators import staff_required
from withus.accounts.http import AuthedRequest
from withus.accounts.models import Organisation
from withus.accounts.roles import COORDINATING
from withus.core.forms import attach_errors

from . import selectors, services
from .forms import GroupForm


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
