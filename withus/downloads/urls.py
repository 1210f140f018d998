from django.urls import path

from . import views

app_name = "downloads"

urlpatterns = [
    path("staff/files/", views.files_list, name="list"),
    path("staff/files/people/", views.ask_people, name="ask_people"),
    path("staff/files/letters/", views.ask_letters, name="ask_letters"),
    path("staff/files/attendance/", views.ask_attendance, name="ask_attendance"),
    path("staff/files/payments/", views.ask_payments, name="ask_payments"),
    path("staff/files/<int:pk>/", views.file_detail, name="detail"),
    path("staff/files/<int:pk>/download/", views.file_download, name="download"),
]
