from django.urls import path

from . import views

# Included by withus/support/urls.py, so the names are "support:localhelp_…".
urlpatterns = [
    path("staff/local-help/", views.directory, name="localhelp_directory"),
    path("staff/local-help/new/", views.entry_form, name="localhelp_new"),
    path("staff/local-help/leaflet.pdf", views.staff_leaflet, name="localhelp_leaflet"),
    path("staff/local-help/<int:pk>/", views.entry_form, name="localhelp_edit"),
    path("staff/local-help/<int:pk>/checked/", views.checked, name="localhelp_checked"),
    path("staff/local-help/<int:pk>/remove/", views.remove, name="localhelp_remove"),
    path("me/help/", views.mine, name="localhelp_mine"),
    path("me/help/<slug:organisation>/leaflet.pdf", views.my_leaflet, name="localhelp_my_leaflet"),
]
