from django.urls import path

from . import views

# Included by withus/support/urls.py, so the names are "support:preparation_…".
urlpatterns = [
    path("staff/sessions/<int:pk>/preparation/", views.staff_session, name="preparation_staff_session"),
    path("staff/sessions/<int:pk>/preparation/<str:kind>/", views.staff_arrange, name="preparation_staff_arrange"),
    path("me/sessions/preparation/", views.mine, name="preparation_mine"),
    path("me/sessions/preparation/<int:pk>/", views.answer, name="preparation_answer"),
]
