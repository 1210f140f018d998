from django.urls import URLPattern, URLResolver

app_name = "concerns"
urlpatterns: list[URLPattern | URLResolver] = []
