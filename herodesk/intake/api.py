"""API router for this app; mounted under /api/v1/ by herodesk.api.main."""

from ninja import Router

router = Router(tags=["intake"])

# POST /email and /bug-reports (herodesk/intake/mail_api.py).
from herodesk.intake.mail_api import router as mail_router  # noqa: E402

router.add_router("", mail_router)

# /routing-rules (herodesk/intake/rules_api.py).
from herodesk.intake.rules_api import router as rules_router  # noqa: E402

router.add_router("", rules_router)
