"""Schemas of the playbook and app-review endpoints (names are a contract: issue 12)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from herodesk.api.types import In


class StepSummary(Schema):
    key: str
    kind: str = Field(
        description="check, auto-check, email, wait-for-reply, decision, guarded-action"
    )
    title: str


class InputOut(Schema):
    key: str
    label: str
    kind: str
    required: bool


class PlaybookOut(Schema):
    slug: str
    name: str
    description: str
    inputs: list[InputOut]
    steps: list[StepSummary]


class StartIn(In):
    playbook: str
    inputs: dict[str, str] = Field(default_factory=dict)


class StepOut(Schema):
    key: str
    kind: str
    title: str
    help: str
    state: str = Field(description="locked, ready, done or skipped")
    reason: str | None = Field(None, description="why it is locked or skipped")
    done_by: str | None
    done_at: datetime | None
    note: str | None
    choice: str | None
    choices: list[dict[str, str]]
    detail: dict[str, Any]
    observation: dict[str, Any] | None = Field(
        None, description="the latest thing seen that did not open it (a reply from someone else)"
    )


class RunOut(Schema):
    id: int
    playbook: str
    name: str
    ticket: int
    state: str = Field(description="active, finished or cancelled")
    inputs: dict[str, Any]
    started_at: datetime
    started_by: str | None
    cancel_reason: str | None
    steps: list[StepOut]


class PerformIn(In):
    note: str = ""
    choice: str = ""


class CancelIn(In):
    reason: str


class FindingOut(Schema):
    code: str
    severity: str
    file: str
    line: int
    message: str


class ReviewOut(Schema):
    id: int
    passed: bool
    findings: list[FindingOut]
    diff: dict[str, Any] | None = None
    ticket: int | None
    run: int | None
    archive: str
    files: int
    sources: int
    created_at: datetime
