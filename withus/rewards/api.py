"""The rewards API: claims, approvals and payment batches."""

from ninja import Router

router = Router(tags=["rewards"])
