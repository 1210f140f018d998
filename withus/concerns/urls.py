from django.urls import URLPattern, URLResolver, include, path

from . import views

app_name = "concerns"
urlpatterns: list[URLPattern | URLResolver] = [
    path("concerns/raise/", views.choose_organisation, name="choose"),
    path("concerns/raise/<slug:organisation_slug>/", views.raise_concern, name="raise"),
    path("concerns/follow-up/", views.follow_up, name="follow_up"),
    path("me/concerns/", views.mine, name="mine"),
    path("me/concerns/<int:pk>/", views.my_message, name="my_message"),
    path("staff/concerns/", views.staff_list, name="staff_list"),
    path("staff/concerns/new/", views.record, name="record"),
    path("staff/concerns/rules/", views.settings_page, name="settings"),
    path("staff/concerns/summary/", views.summary, name="summary"),
    path("staff/concerns/decisions/", views.decisions, name="decisions"),
    path("staff/concerns/decisions/<int:pk>/review/", views.review, name="review"),
    path("staff/concerns/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/concerns/<int:pk>/<slug:action>/", views.staff_act, name="staff_act"),
]
urlpatterns.append(path("", include("withus.concerns.independence.urls")))
urlpatterns.append(path("", include("withus.concerns.interests.urls")))
