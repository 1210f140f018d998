from django.urls import URLPattern, URLResolver, include, path

app_name = "concerns"
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns.append(path("", include("withus.concerns.independence.urls")))
