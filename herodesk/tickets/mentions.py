"""@mentions in replies and notes: who is named (staff only, never the author)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model

MENTION = re.compile(r"(?<![\w@])@([\w.-]{2,150})")


def mentioned(body: str, author: Any) -> list[Any]:
    """Staff users @mentioned in `body` (not the author), in order of appearance."""
    names = []
    for match in MENTION.finditer(body or ""):
        name = match.group(1).rstrip(".-")
        if name not in names:
            names.append(name)
    if not names:
        return []
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=names[:20], is_active=True, person__isnull=False
        )
    }
    return [users[n] for n in names if n in users and users[n].pk != author.pk]
