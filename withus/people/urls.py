from django.urls import include, path

from . import views

app_name = "people"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/details/<slug:slug>/", views.me_section, name="me_section"),
    path("me/download/", views.me_download, name="me_download"),
    path("me/held/", views.me_held, name="me_held"),
    path("me/download.pdf", views.me_download_pdf, name="me_download_pdf"),
    path("me/share/", views.me_share, name="me_share"),
    path("me/consents/<int:pk>/withdraw/", views.me_withdraw_consent, name="me_withdraw_consent"),
    path("me/step-out/", views.me_step_out, name="me_step_out"),
    path("me/come-back/", views.me_come_back, name="me_come_back"),
    path("me/leave/", views.me_leave, name="me_leave"),
    path("me/erase/", views.me_erase, name="me_erase"),
    path("erased/", views.erased, name="erased"),
    path("me/exit-interview/<int:pk>/", views.me_exit_interview, name="me_exit_interview"),
    path("staff/people/", views.staff_list, name="staff_list"),
    path("staff/people/people.csv", views.staff_list_csv, name="staff_list_csv"),
    path("staff/people/people.xlsx", views.staff_list_xlsx, name="staff_list_xlsx"),
    path("staff/people/new/", views.staff_register, name="staff_register"),
    path("staff/people/reads/", views.staff_reads, name="staff_reads"),
    path("staff/people/<int:pk>/", views.staff_person, name="staff_person"),
    path("staff/people/<int:pk>/details/<slug:slug>/", views.staff_section, name="staff_section"),
    path("staff/people/<int:pk>/consent/", views.staff_consent, name="staff_consent"),
    path("staff/people/<int:pk>/dbs/", views.staff_dbs, name="staff_dbs"),
    path("", include("withus.people.outbox.urls")),
]
