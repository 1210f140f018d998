from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("me/stories/", views.me, name="stories_me"),
    path("me/stories/<int:pk>/withdraw/", views.me_withdraw, name="stories_withdraw"),
    path("staff/impact/stories/", views.staff_list, name="stories_staff"),
    path("staff/impact/stories/new/", views.staff_new, name="stories_new"),
    path("staff/impact/stories/<int:pk>/use/", views.staff_use, name="stories_use"),
]
