"""Impact through the API."""

from __future__ import annotations

from ninja import Router

from .contributions.api import router as contributions_router
from .stories.api import router as stories_router

router = Router(tags=["impact"])
router.add_router("", contributions_router)
router.add_router("", stories_router)
