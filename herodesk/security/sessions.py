"""The database session store (Django's), its per-request read compiled once.

Every signed-in request reads its session row; Django's store builds that
query with the ORM each time (`Session.objects.get(session_key=…,
expire_date__gt=now)`). This one reads the row by key through a prepared
query and applies the same expiry test: a row whose `expire_date` is not in
the future is no session (the key is dropped, as Django's store does).
Selected by `SESSION_ENGINE`; everything else is Django's store.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from herodesk.lib.prepared import Prepared

_SESSION = Prepared(Session, lambda key: Session.objects.filter(session_key=key)[:1])


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        row = _SESSION.first(key) if isinstance(key, str) else None
        if row is None or row.expire_date <= timezone.now():
            self._session_key = None
            return None
        return row
