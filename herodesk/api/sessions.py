"""Sessions and second factors per person.

- GET /me/sessions, DELETE /me/sessions/{id}: your own browser sessions.
- GET/DELETE /people/{username}/sessions: an admin lists or ends all of a
  person's sessions (a lost laptop, someone leaving).
- DELETE /people/{username}/two-factor: an admin removes a person's
  authenticator and recovery codes (a lost phone); they set it up again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from herodesk.api.tickets import ERRORS
from herodesk.api.types import ID
from herodesk.lib.errors import Forbidden, NotFound
from herodesk.security import actions, queries
from herodesk.teams import access

router = Router(tags=["sessions"])


class SessionOut(Schema):
    id: int
    created_at: str
    last_seen_at: str
    ip: str | None
    user_agent: str
    method: str = Field(description="password, sso or session (began before tracking)")
    current: bool = Field(description="the session this request came with")


def session_out(row: Any, current_key: str | None) -> dict[str, Any]:
    return {
        "id": row.pk,
        "created_at": row.created_at.isoformat(),
        "last_seen_at": row.last_seen_at.isoformat(),
        "ip": row.ip,
        "user_agent": row.user_agent,
        "method": row.method,
        "current": bool(current_key) and row.session_key == current_key,
    }


def _current(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


def _person(request: HttpRequest, username: str) -> Any:
    if not access.is_admin(request.user):
        raise Forbidden("only an admin can see or end another person's sessions")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"no person named {username!r}")
    return user


@router.get("/me/sessions", response={200: list[SessionOut], **ERRORS})
def my_sessions(request: HttpRequest) -> Any:
    """Where you are signed in (browser sessions; API tokens are listed elsewhere)."""
    key = _current(request)
    return [session_out(r, key) for r in queries.open_sessions(request.user)]


@router.delete("/me/sessions/{session_id}", response={204: None, **ERRORS})
def end_my_session(request: HttpRequest, session_id: ID) -> Any:
    actions.session_revoke(request.user, session_id, actor=request.user)
    return Status(204, None)


@router.get("/people/{username}/sessions", response={200: list[SessionOut], **ERRORS})
def person_sessions(request: HttpRequest, username: str) -> Any:
    user = _person(request, username)
    return [session_out(r, _current(request)) for r in queries.open_sessions(user)]


@router.delete("/people/{username}/sessions", response={204: None, **ERRORS})
def end_person_sessions(request: HttpRequest, username: str) -> Any:
    """Sign the person out everywhere (their API tokens keep working: revoke those apart)."""
    user = _person(request, username)
    actions.sessions_revoke_all(user, actor=request.user)
    return Status(204, None)


@router.delete("/people/{username}/two-factor", response={204: None, **ERRORS})
def remove_person_two_factor(request: HttpRequest, username: str) -> Any:
    """Remove the person's authenticator and recovery codes; they set up a new one."""
    user = _person(request, username)
    actions.two_factor_remove(user, actor=request.user)
    actions.sessions_revoke_all(user, actor=request.user)
    return Status(204, None)
