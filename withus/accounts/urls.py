from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("organisation/", views.organisation_page, name="organisation"),
    path("organisation/settings/", views.organisation_settings, name="organisation_settings"),
    path("organisation/small-numbers/", views.small_numbers, name="small_numbers"),
    path("organisation/staff/add/", views.grant_role, name="grant_role"),
    path("organisation/staff/<int:pk>/remove/", views.remove_role, name="remove_role"),
    path("organisation/security/", views.security_events, name="security_events"),
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
