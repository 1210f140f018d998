"""Included in the concerns URLs, so its names are ``concerns:..._interests``."""

from django.urls import path

from . import views

urlpatterns = [
    path("me/interests/", views.mine, name="my_interests"),
    path("me/interests/<int:pk>/change/", views.change_mine, name="change_my_interest"),
    path("staff/interests/", views.staff_mine, name="staff_interests"),
    path("staff/interests/<int:pk>/change/", views.staff_change_mine, name="staff_change_interest"),
    path("staff/interests/register/", views.staff_register, name="interests_register"),
    path("staff/people/<int:pk>/interests/", views.staff_person, name="staff_person_interests"),
    path(
        "staff/people/<int:pk>/interests/<int:interest_pk>/change/",
        views.staff_person_change,
        name="staff_person_change_interest",
    ),
]
