from django.urls import path  # noqa: F401

app_name = "rewards_finance"
urlpatterns: list[object] = []
