from django.urls import path

from . import views

app_name = "rewards_claims"
urlpatterns = [
    path("staff/payments/rate-cards/", views.staff_rate_cards, name="staff_rate_cards"),
    path("staff/payments/attendance/<int:pk>/offer/", views.staff_offer_fee, name="staff_offer_fee"),
    path("staff/payments/claims/<int:pk>/receipt/", views.staff_receipt, name="staff_receipt"),
    path("me/payments/expenses/new/", views.me_claim_expense, name="me_claim_expense"),
    path("me/payments/expenses/<int:pk>/", views.me_expense, name="me_expense"),
]
