from django.contrib import admin
from django.urls import include, path

from withus.api.api import api
from withus.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("staff/", include("withus.accounts.urls")),
    path("", include("withus.people.urls")),
    path("", include("withus.groups.urls")),
    path("", include("withus.opportunities.urls")),
    path("", include("withus.meetings.urls")),
    path("", include("withus.rewards.urls")),
    path("", include("withus.rewards.urls_claims")),
    path("", include("withus.rewards.urls_finance")),
    path("", include("withus.rewards.urls_cash")),
    path("", include("withus.rewards.urls_statements")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]
