from django.urls import path

from . import views

# Included by withus/support/urls.py, so the names are "support:planning_…".
urlpatterns = [
    path("staff/support/planned/", views.staff_list, name="planning_staff_list"),
    path("staff/support/planned/<int:pk>/", views.staff_plan, name="planning_staff_plan"),
    path("staff/support/planned/<int:pk>/move/", views.staff_move, name="planning_staff_move"),
    path("staff/support/planned/<int:pk>/cancel/", views.staff_cancel, name="planning_staff_cancel"),
    path(
        "staff/support/planned/<int:pk>/answers/<int:invitation_pk>/", views.staff_answer, name="planning_staff_answer"
    ),
    path("staff/support/planned/<int:pk>/held/", views.staff_held, name="planning_staff_held"),
    path("staff/support/people/<int:pk>/plan-supervision/", views.staff_new_for_person, name="planning_staff_new"),
    path("staff/support/groups/<int:pk>/plan/", views.staff_new_for_group, name="planning_staff_new_group"),
    path("me/support/planned/<int:pk>/", views.mine, name="planning_mine"),
]
