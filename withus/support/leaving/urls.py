from django.urls import path

from . import views

# Included by withus/support/urls.py, so the names are "support:leaving_…".
urlpatterns = [
    path("staff/support/leaving/", views.staff_list, name="leaving_staff_list"),
    path("staff/support/leaving/<int:pk>/", views.staff_offer, name="leaving_staff_offer"),
    path("staff/support/leaving/<int:pk>/letter.pdf", views.staff_letter, name="leaving_staff_letter"),
    path("staff/support/leaving/<int:pk>/certificate.pdf", views.staff_certificate, name="leaving_staff_certificate"),
    path("staff/support/people/<int:pk>/leaving/", views.staff_new, name="leaving_staff_new"),
    path("me/support/leaving/<int:pk>/", views.mine, name="leaving_mine"),
    path("me/support/leaving/<int:pk>/answer/", views.answer, name="leaving_answer"),
    path("me/support/leaving/<int:pk>/certificate.pdf", views.my_certificate, name="leaving_my_certificate"),
]
