from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from withus.api.api import api
from withus.people import views as people_views

# The admin has no sign-in of its own: it sends people to the product's, which is rate
# limited and asks staff for their authenticator code.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", people_views.home, name="home"),
    # Choosing English or Welsh changes nothing but the visitor's own language, so it needs no
    # CSRF token: a public page is one copy for every visitor (withus.core.public_cache).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("staff/", include("withus.accounts.urls")),
    path("", include("withus.people.urls")),
    path("", include("withus.groups.urls")),
    path("", include("withus.opportunities.urls")),
    path("", include("withus.meetings.urls")),
    path("", include("withus.rewards.urls")),
    path("", include("withus.support.urls")),
    path("", include("withus.impact.urls")),
    path("", include("withus.concerns.urls")),
    path("", include("withus.assessments.urls")),
    path("", include("withus.reports.urls")),
    path("", include("withus.channels.urls")),
    path("", include("withus.imports.urls")),
    path("", include("withus.downloads.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]

# A server error's page reads nothing that may be what broke (withus.core.errors); 403 and 404
# are Django's own views with templates/403.html and 404.html, in the site's layout.
handler500 = "withus.core.errors.server_error"
