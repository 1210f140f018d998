"""The JSON API at /api/, its OpenAPI document at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="WithUs API", version="1", docs_url="/docs", urls_namespace="api")
