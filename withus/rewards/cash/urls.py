from django.urls import path

from . import views

app_name = "rewards_cash"
urlpatterns = [
    path("staff/payments/floats/", views.floats, name="floats"),
    path("staff/payments/floats/<int:pk>/", views.float_detail, name="float"),
    path("staff/payments/floats/<int:pk>/repay/", views.repay, name="repay"),
    path("staff/payments/floats/<int:pk>/close/", views.close, name="close"),
]
