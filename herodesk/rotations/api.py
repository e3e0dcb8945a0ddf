"""API router for this app; mounted under /api/v1/ by herodesk.api.main."""

from ninja import Router

router = Router(tags=["rotations"])
