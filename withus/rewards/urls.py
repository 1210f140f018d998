"""Every rewards page: each sub-domain's URLs, under the namespace it has always had.

``rewards`` (the benefits guard and offers), ``rewards_claims`` (rate cards, fees and
expenses), ``rewards_finance``, ``rewards_cash`` and ``rewards_statements``.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("withus.rewards.guard.urls")),
    path("", include("withus.rewards.fees.urls")),
    path("", include("withus.rewards.finance.urls")),
    path("", include("withus.rewards.cash.urls")),
    path("", include("withus.rewards.statements.urls")),
]
