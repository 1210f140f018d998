from django.urls import URLPattern, path

from withus.core.public_cache import public_page

from . import feeds, views

urlpatterns: list[URLPattern] = [
    path("staff/impact/", views.staff_list, name="staff_list"),
    path("staff/impact/record/", views.staff_record, name="record"),
    path("staff/impact/settings/", views.staff_settings, name="staff_settings"),
    path("staff/impact/contributions/<int:pk>/answer/", views.staff_answer, name="answer"),
    path("staff/impact/contributions/<int:pk>/follow-up/", views.staff_follow_up, name="follow_up"),
    path("impact/contributions/<int:pk>/", views.timeline, name="timeline"),
    path("me/contributions/", views.me, name="me"),
    path("me/contributions/sessions/<int:session_pk>/", views.me_submit, name="me_submit"),
    path("you-said-we-did/<slug:slug>/", views.public, name="public"),
    path("you-said-we-did/<slug:slug>/feed.rss", public_page(feeds.YouSaidRssFeed()), name="feed_rss"),
    path("you-said-we-did/<slug:slug>/feed.atom", public_page(feeds.YouSaidAtomFeed()), name="feed_atom"),
]
