"""The bug report payload, validated with pydantic (422 names the bad field)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

Url = HttpUrl  # http(s) only: the links are shown on the ticket and must be safe to click


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class BugUser(_Strict):
    email: EmailStr
    name: Annotated[str, Field(max_length=200)] = ""
    username: Annotated[str, Field(max_length=200)] = ""


class BugOrganization(_Strict):
    name: Annotated[str, Field(max_length=200)] = ""
    external_id: Annotated[str, Field(max_length=100)] = ""


class BugContext(_Strict):
    admin_url: Url | None = None
    session_recording_url: Url | None = None
    current_url: Url | None = None
    app_version: Annotated[str, Field(max_length=100)] = ""


class BugReportIn(_Strict):
    id: str | None = Field(None, max_length=200, description="client id; a retry sends it again")
    user: BugUser
    organization: BugOrganization | None = None
    message: str = Field(min_length=1, max_length=50_000)
    subject: Annotated[str, Field(max_length=300)] = ""
    context: BugContext = BugContext()

    def context_links(self) -> dict[str, Any]:
        """The context as stored in ticket.metadata["context"] (only what was sent)."""
        return {k: str(v) for k, v in self.context.model_dump().items() if v not in (None, "")}


def openapi_schema() -> dict[str, Any]:
    """BugReportIn's JSON schema with its $defs inlined (for the OpenAPI document)."""
    schema = BugReportIn.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return resolve(defs[ref.rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    return resolve(schema)
