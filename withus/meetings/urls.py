from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("staff/sessions/", views.staff_list, name="staff_list"),
    path("staff/sessions/new/", views.staff_create, name="staff_create"),
    path("staff/sessions/venues/", views.venues, name="venues"),
    path("staff/sessions/standards/", views.standards_settings, name="standards"),
    path("staff/sessions/attendance/", views.staff_attendance_download, name="staff_attendance_download"),
    path("staff/sessions/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/sessions/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/sessions/<int:pk>/invite/", views.staff_invite, name="staff_invite"),
    path("staff/sessions/<int:pk>/override/", views.staff_override, name="staff_override"),
    path("staff/sessions/<int:pk>/send/", views.staff_send, name="staff_send"),
    path("staff/sessions/<int:pk>/papers/", views.staff_paper, name="staff_paper"),
    path("staff/sessions/<int:pk>/cancel/", views.staff_cancel, name="staff_cancel"),
    path("staff/sessions/<int:pk>/letters.pdf", views.staff_letters, name="staff_letters"),
    path("staff/sessions/<int:pk>/attendance/", views.staff_attendance, name="staff_attendance"),
    path("staff/sessions/<int:pk>/after/", views.staff_after, name="staff_after"),
    path("me/sessions/", views.my_sessions, name="my_sessions"),
    path("me/sessions/invitations/<int:pk>/reply/", views.my_reply, name="my_reply"),
    path("me/sessions/papers/<int:pk>/", views.my_paper, name="my_paper"),
    path("me/sessions/calendar/", views.my_calendar, name="my_calendar"),
    path("me/sessions/<int:pk>/report-back/", views.report_back, name="report_back"),
    path("me/debriefs/<int:pk>/", views.debrief, name="debrief"),
    path("me/attendance/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
]
