from django.urls import URLPattern, path

from . import views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("staff/presence/", views.presence, name="presence"),
    path("staff/presence/population/", views.population, name="population"),
    path("staff/annual-reports/", views.staff_list, name="staff_list"),
    path("staff/annual-reports/<int:year>/", views.staff_report, name="staff_report"),
    path("staff/annual-reports/<int:year>/<slug:section>/", views.staff_section, name="staff_section"),
    path("staff/annual-reports/<int:year>/<slug:section>/comment/", views.staff_comment, name="staff_comment"),
    path("me/annual-reports/", views.me, name="me"),
    path("me/annual-reports/<int:pk>/", views.me_report, name="me_report"),
    path("me/annual-reports/<int:pk>/<slug:section>/comment/", views.me_comment, name="me_comment"),
    path("annual-report/<slug:slug>/", views.public_list, name="public_list"),
    path("annual-report/<slug:slug>/<int:year>/", views.public, name="public"),
    path("annual-report/<slug:slug>/<int:year>/v<int:number>/", views.public, name="public_version"),
    path("annual-report/<slug:slug>/<int:year>/v<int:number>/report.pdf", views.public_pdf, name="public_pdf"),
    path(
        "annual-report/<slug:slug>/<int:year>/v<int:number>/tables.csv",
        views.public_tables,
        {"file_format": "csv"},
        name="public_csv",
    ),
    path(
        "annual-report/<slug:slug>/<int:year>/v<int:number>/tables.xlsx",
        views.public_tables,
        {"file_format": "xlsx"},
        name="public_xlsx",
    ),
]
