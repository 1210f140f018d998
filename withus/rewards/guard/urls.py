"""The benefits guard's pages, and the by-hand offer pages that have always had their names in this namespace."""

from django.urls import path

from withus.rewards.fees import views as fee_views

from . import views

app_name = "rewards"
urlpatterns = [
    path("me/benefits/", views.me_benefits, name="me_benefits"),
    path("me/benefits/<int:pk>/stop/", views.me_stop, name="me_stop"),
    path("me/benefits/offers/<int:pk>/", views.me_offer, name="me_offer"),
    path("me/benefits/letter.pdf", views.me_letter, name="me_letter"),
    path("staff/people/<int:pk>/offer/", fee_views.staff_offer, name="staff_offer"),
    path("staff/people/<int:pk>/offers/<int:line_pk>/", fee_views.staff_offer_made, name="staff_offer_made"),
    path("staff/benefits/limits/", views.staff_limits, name="staff_limits"),
]
