"""Included in the concerns URLs, so its names are ``concerns:independence_...``."""

from django.urls import path

from . import views

urlpatterns = [
    path("staff/independence/", views.register, name="independence_register"),
    path("staff/independence/<int:pk>/", views.review, name="independence_review"),
]
