from django.urls import path

from . import views

# Included by withus/people/urls.py, so the names are "people:outbox…".
urlpatterns = [
    path("staff/outbox/", views.staff_outbox, name="outbox"),
    path("staff/outbox/letters.pdf", views.staff_letters, name="outbox_letters"),
    path("staff/outbox/done/", views.staff_done, name="outbox_done"),
    path("staff/outbox/calls/", views.staff_calls, name="outbox_calls"),
    path("staff/outbox/calls/record/", views.staff_call_record, name="outbox_call_record"),
    path("staff/outbox/calls/letter/", views.staff_call_letter, name="outbox_call_letter"),
]
