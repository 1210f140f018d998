from django.urls import path

from . import views

app_name = "independence"
urlpatterns = [
    path("staff/independence/", views.register, name="register"),
    path("staff/independence/<int:pk>/", views.review, name="review"),
]
