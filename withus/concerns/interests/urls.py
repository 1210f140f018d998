"""Included in the concerns URLs, so its names are ``concerns:..._interests``."""

from django.urls import path

from . import views

urlpatterns = [
    path("me/interests/", views.mine, name="my_interests"),
    path("staff/interests/", views.staff_mine, name="staff_interests"),
]
