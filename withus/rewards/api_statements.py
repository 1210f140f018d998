"""The rewards API: statements."""

from ninja import Router

router = Router(tags=["statements"])
