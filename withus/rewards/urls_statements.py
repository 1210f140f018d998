from django.urls import path  # noqa: F401

app_name = "rewards_statements"
urlpatterns: list[object] = []
