"""The product's URLs plus one view that breaks, to see the server error page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from withus.urls import handler500
from withus.urls import urlpatterns as product_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


urlpatterns = [path("broken/", broken), *product_urlpatterns]
