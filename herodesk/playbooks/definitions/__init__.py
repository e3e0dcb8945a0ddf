"""The built-in playbooks, one module each. Pure data: steps, inputs, email templates.

Step `params` tell the playbooks app how to wire a step:
- email: `to` (an input key, or "requester"), `subject` and `body` templates
  (`str.format` with the names listed in docs/playbooks.md);
- wait-for-reply: `email` (the email step whose thread it watches) and `sender`
  (the input holding the only address whose reply opens it);
- auto-check: `probe` ("bounce", "last-login", "app-review", "app-update-review")
  and, for bounces, `email`;
- guarded action: `link` (a HERODESK_LINK_* kind) and optionally `region`
  ("EU"/"US"; default: the requester's organization's region).
"""

from __future__ import annotations

from herodesk.domain.playbook import Playbook

from .app_review import APP_REVIEW
from .app_update_review import APP_UPDATE_REVIEW
from .ownership_transfer import OWNERSHIP_TRANSFER
from .two_fa_removal import TWO_FA_REMOVAL

PLAYBOOKS: dict[str, Playbook] = {
    p.slug: p for p in (TWO_FA_REMOVAL, OWNERSHIP_TRANSFER, APP_REVIEW, APP_UPDATE_REVIEW)
}


def get(slug: str) -> Playbook | None:
    return PLAYBOOKS.get(slug)
