from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "assessments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("me/assessments/", views.me, name="me"),
    path("me/assessments/<int:pk>/", views.me_score, name="me_score"),
    path("staff/assessments/", views.staff_list, name="staff_list"),
    path("staff/assessments/new/", views.staff_open, name="staff_open"),
    path("staff/assessments/frameworks/", views.staff_frameworks, name="staff_frameworks"),
    path("staff/assessments/frameworks/new/", views.staff_framework_new, name="staff_framework_new"),
    path("staff/assessments/frameworks/<int:pk>/copy/", views.staff_framework_copy, name="staff_framework_copy"),
    path(
        "staff/assessments/frameworks/items/<int:pk>/wording/",
        views.staff_item_wording,
        name="staff_item_wording",
    ),
    path("staff/assessments/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/assessments/<int:pk>/invite/", views.staff_invite, name="staff_invite"),
    path("staff/assessments/<int:pk>/score/", views.staff_score, name="staff_score"),
    path("staff/assessments/<int:pk>/close/", views.staff_close, name="staff_close"),
    path("staff/assessments/<int:pk>/items/<int:item_pk>/agree/", views.staff_agree, name="staff_agree"),
    path("staff/assessments/<int:pk>/items/<int:item_pk>/action/", views.staff_action, name="staff_action"),
    path("staff/assessment-actions/<int:pk>/", views.staff_action_progress, name="staff_action_progress"),
    path("staff/assessments/strategy/", views.staff_strategy, name="staff_strategy"),
    path("staff/assessments/strategy/edit/", views.staff_strategy_edit, name="staff_strategy_edit"),
    path("staff/assessments/strategy/aims/new/", views.staff_aim, name="staff_aim"),
    path("staff/assessments/strategy/aims/<int:pk>/milestone/", views.staff_milestone, name="staff_milestone"),
    path("staff/assessments/strategy/review/", views.staff_review, name="staff_review"),
]
