from django.urls import URLPattern, URLResolver, include, path

app_name = "impact"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("withus.impact.surveys.urls")),
    path("", include("withus.impact.contributions.urls")),
    path("", include("withus.impact.stories.urls")),
]
