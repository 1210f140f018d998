from django.urls import path

from . import views

app_name = "rewards_finance"
urlpatterns = [
    path("staff/payments/approvals/", views.approvals, name="approvals"),
    path("staff/payments/approvals/<int:pk>/approve/", views.approve, name="approve"),
    path("staff/payments/approvals/<int:pk>/return/", views.return_claim, name="return"),
    path("staff/payments/budgets/", views.budgets, name="budgets"),
    path("staff/payments/budgets.csv", views.budgets_download, {"file_format": "csv"}, name="budgets_csv"),
    path("staff/payments/budgets.xlsx", views.budgets_download, {"file_format": "xlsx"}, name="budgets_xlsx"),
    path("staff/payments/funded/", views.funded, name="funded"),
    path("staff/payments/claims/", views.route_claims, name="route"),
    path("staff/payments/budgets/<int:pk>/close/", views.close_budget, name="close_budget"),
    path("staff/payments/batches/", views.batches, name="batches"),
    path("staff/payments/batches/<int:pk>/export/", views.export, name="export"),
    path("staff/payments/batches/<int:pk>/paid/", views.mark_paid, name="paid"),
    path("me/payments/budgets/", views.me_budgets, name="me_budgets"),
]
