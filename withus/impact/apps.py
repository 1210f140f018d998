from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "withus.impact"
    verbose_name = "Impact: you said, we did"
