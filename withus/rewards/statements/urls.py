from django.urls import path

from . import views

app_name = "rewards_statements"
urlpatterns = [
    path("me/payments/", views.me_payments, name="me_payments"),
    path("me/payments/reward/", views.me_reward, name="me_reward"),
    path("me/payments/statement/<int:year>.pdf", views.me_statement_pdf, name="me_statement_pdf"),
    path("me/payments/statement/<int:year>.csv", views.me_statement_csv, name="me_statement_csv"),
    path("me/payments/statement/<int:year>.xlsx", views.me_statement_xlsx, name="me_statement_xlsx"),
    path("me/record.pdf", views.me_record, name="me_record"),
    path("staff/people/<int:pk>/thanks/", views.staff_thanks, name="staff_thanks"),
]
