from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("me/stories/", views.me, name="stories_me"),
    path("me/stories/<int:pk>/withdraw/", views.me_withdraw, name="stories_withdraw"),
    path("me/stories/<int:pk>/file/", views.me_file, name="stories_me_file"),
    path("me/stories/<int:pk>/file/delete/", views.me_remove_file, name="stories_me_remove_file"),
    path("staff/impact/stories/", views.staff_list, name="stories_staff"),
    path("staff/impact/stories/new/", views.staff_new, name="stories_new"),
    path("staff/impact/stories/<int:pk>/use/", views.staff_use, name="stories_use"),
    path("staff/impact/stories/<int:pk>/file/", views.staff_file, name="stories_file"),
    path("staff/impact/stories/<int:pk>/file/download/", views.staff_download, name="stories_download"),
    path("staff/impact/stories/<int:pk>/file/delete/", views.staff_remove_file, name="stories_remove_file"),
]
