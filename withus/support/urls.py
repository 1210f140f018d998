from django.urls import URLPattern, URLResolver, include, path

from . import views

app_name = "support"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("withus.support.training.urls")),
    path("", include("withus.support.localhelp.urls")),
    path("", include("withus.support.preparation.urls")),
    path("", include("withus.support.leaving.urls")),
    path("", include("withus.support.planning.urls")),
    path("me/support/", views.me, name="me"),
    path("me/support/call/", views.me_call, name="me_call"),
    path("me/support/check-ins/", views.me_check_ins, name="me_check_ins"),
    path("me/support/supervision/<int:pk>/", views.me_supervision, name="me_supervision"),
    path("me/support/plan/", views.me_plan, name="me_plan"),
    path("me/support/plan/new/", views.me_goal, name="me_goal_new"),
    path("me/support/plan/<int:pk>/", views.me_goal, name="me_goal"),
    path("me/support/mentoring/<int:pk>/", views.me_mentoring, name="me_mentoring"),
    path("me/support/mentoring/<int:pk>/end/", views.me_end_mentoring, name="me_end_mentoring"),
    path("staff/support/", views.staff_list, name="staff_list"),
    path("staff/support/mentoring/", views.staff_mentoring, name="staff_mentoring"),
    path("staff/support/mentoring/<int:pk>/end/", views.staff_end_mentoring, name="staff_end_mentoring"),
    path("staff/support/groups/", views.staff_groups, name="staff_groups"),
    path("staff/support/groups/<int:pk>/", views.staff_group, name="staff_group"),
    path("staff/support/people/<int:pk>/supervision/", views.staff_supervision, name="staff_supervision"),
    path("staff/support/settings/", views.staff_settings, name="staff_settings"),
    path("staff/support/handover/", views.staff_handover, name="staff_handover"),
    path("staff/support/digest/", views.staff_digest, name="staff_digest"),
    path("staff/support/people/<int:pk>/", views.staff_person, name="staff_person"),
    path("staff/support/people/<int:pk>/assign/", views.staff_assign, name="staff_assign"),
    path("staff/support/people/<int:pk>/contact/", views.staff_contact, name="staff_contact"),
    path("staff/support/people/<int:pk>/call/", views.staff_call, name="staff_call"),
    path("staff/support/calls/<int:pk>/answer/", views.staff_answer, name="staff_answer"),
]
