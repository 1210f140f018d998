from django.urls import path

from withus.core.public_cache import public_page

from . import feeds, leaflets, views

app_name = "opportunities"
urlpatterns = [
    # Public: the one-stop shop, readable without an account.
    path("opportunities/", views.board, name="board"),
    path("opportunities/feed.rss", public_page(feeds.OpportunitiesRssFeed()), name="feed_rss"),
    path("opportunities/feed.atom", public_page(feeds.OpportunitiesAtomFeed()), name="feed_atom"),
    path("opportunities/calendar.ics", public_page(feeds.ical_feed), name="feed_ical"),
    path("opportunities/poster.pdf", leaflets.board_poster, name="board_poster"),
    path("opportunities/refer/<slug:organisation_slug>/", views.refer, name="refer"),
    path("opportunities/<str:short_code>/", views.detail, name="detail"),
    path("opportunities/<str:short_code>/leaflet.pdf", leaflets.opportunity_leaflet, name="leaflet"),
    path("o/<str:short_code>", views.short_link, name="short_link"),
    # Members
    path("opportunities/<str:short_code>/respond/", views.respond, name="respond"),
    path("opportunities/<str:short_code>/respond/share/", views.respond_share, name="respond_share"),
    path("me/applications/", views.my_applications, name="my_applications"),
    path("me/applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("me/applications/<int:pk>/feedback/", views.ask_feedback, name="ask_feedback"),
    # Staff
    path("staff/opportunities/", views.staff_list, name="staff_list"),
    path("staff/opportunities/new/", views.staff_create, name="staff_create"),
    path("staff/opportunities/dashboard/", views.dashboard, name="dashboard"),
    path("staff/opportunities/pathway/", views.pathway_defaults, name="pathway_defaults"),
    path("staff/opportunities/under-represented/", views.under_represented, name="under_represented"),
    path("staff/opportunities/referrals/", views.referrals, name="referrals"),
    path("staff/opportunities/<int:pk>/", views.staff_detail, name="staff_detail"),
    path(
        "staff/opportunities/<int:pk>/responses.csv",
        views.staff_responses_file,
        {"file_format": "csv"},
        name="staff_responses_csv",
    ),
    path(
        "staff/opportunities/<int:pk>/responses.xlsx",
        views.staff_responses_file,
        {"file_format": "xlsx"},
        name="staff_responses_xlsx",
    ),
    path("staff/opportunities/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/opportunities/<int:pk>/status/", views.staff_status, name="staff_status"),
    path("staff/opportunities/<int:pk>/channels/", views.staff_channel, name="staff_channel"),
    path("staff/opportunities/<int:pk>/selection/", views.staff_selection, name="staff_selection"),
    path("staff/opportunities/<int:pk>/draw/", views.staff_draw, name="staff_draw"),
    path("staff/draws/<int:pk>/", views.staff_draw_record, name="staff_draw_record"),
    path("staff/draws/<int:pk>/check/", views.staff_draw_check, name="staff_draw_check"),
    path("staff/applications/<int:pk>/", views.staff_application, name="staff_application"),
    path("staff/applications/<int:pk>/appoint/", views.staff_appoint, name="staff_appoint"),
]
