"""Every page of the product, and beside them a bare view and a one-query view, served by the same stack."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from withus.accounts.models import Organisation


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def one_query(request: HttpRequest) -> HttpResponse:
    organisation = Organisation.objects.order_by("pk").first()
    return HttpResponse(organisation.name if organisation else "-", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/one-query/", one_query),
    path("", include("withus.urls")),
]
