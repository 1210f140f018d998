"""The rewards API: one router that adds each sub-domain's (claims and batches, statements, answers to offers)."""

from ninja import Router

from .finance.api import router as finance_router
from .guard.api import router as guard_router
from .statements.api import router as statements_router

router = Router()
router.add_router("", finance_router)
router.add_router("", statements_router)
router.add_router("", guard_router)
