from django.urls import path

from . import views

app_name = "channels"
urlpatterns = [
    path("staff/organisation/notify/", views.notify_settings, name="settings"),
    path("staff/organisation/notify/test-text/", views.test_text, name="test_text"),
    path("staff/outbox/letters/notify/", views.send_letters, name="send_letters"),
    path("notify/callback/<slug:slug>/", views.callback, name="callback"),
]
