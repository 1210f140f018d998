from django.urls import URLPattern, URLResolver, include, path

app_name = "support"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("withus.support.training.urls")),
    path("", include("withus.support.localhelp.urls")),
]
