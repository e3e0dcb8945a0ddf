"""The bug report payload, validated with pydantic (422 names the bad field)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

Url = HttpUrl  # http(s) only: the links are shown on the ticket and must be safe to click


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class BugUser(_Strict):
    email: EmailStr
    name: str = Field("", max_length=200)
    username: str = Field("", max_length=200)


class BugOrganization(_Strict):
    name: str = Field("", max_length=200)
    external_id: str = Field("", max_length=100)


class BugContext(_Strict):
    admin_url: Url | None = None
    session_recording_url: Url | None = None
    current_url: Url | None = None
    app_version: str = Field("", max_length=100)


class BugReportIn(_Strict):
    id: str | None = Field(None, max_length=200, description="client id; a retry sends it again")
    user: BugUser
    organization: BugOrganization | None = None
    message: str = Field(min_length=1, max_length=50_000)
    subject: str = Field("", max_length=300)
    context: BugContext = Field(default_factory=BugContext)

    def context_links(self) -> dict[str, Any]:
        """The context as stored in ticket.metadata["context"] (only what was sent)."""
        return {k: str(v) for k, v in self.context.model_dump().items() if v not in (None, "")}
