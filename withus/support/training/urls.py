from django.urls import path

from . import views

# Included by withus/support/urls.py, so the names are "support:training_…".
urlpatterns = [
    path("staff/training/", views.catalogue, name="training_catalogue"),
    path("staff/training/suggested/", views.add_suggested, name="training_add_suggested"),
    path("staff/training/new/", views.course_form, name="training_new"),
    path("staff/training/learning/", views.waiting, name="training_waiting"),
    path("staff/training/learning/<int:pk>/", views.decide, name="training_decide"),
    path("staff/training/<int:pk>/", views.course, name="training_course"),
    path("staff/training/<int:pk>/edit/", views.course_form, name="training_edit"),
    path("staff/training/<int:pk>/sessions/", views.run_as_session, name="training_run"),
    path("staff/training/<int:pk>/requirements/", views.add_requirement, name="training_require"),
    path(
        "staff/training/<int:pk>/requirements/<int:requirement>/remove/",
        views.remove_requirement,
        name="training_unrequire",
    ),
    path("staff/people/<int:pk>/training/", views.staff_log, name="training_staff_person"),
    path("me/training/", views.mine, name="training_mine"),
    path("me/training/log/", views.log_mine, name="training_log"),
]
