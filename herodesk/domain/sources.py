"""Where a ticket came from, as the source panel and the API show it (pure).

`describe(channel, subject, external_url, metadata)` reads what the intake
adapters stored in `ticket.metadata` and returns a JSON-ready dict:

    {"channel", "label", "url", "title", "link_label", "facts": [[name, value], …], …}

plus channel-specific keys (GitHub `repository`, `number`, `labels`, `state`;
Sentry `level`, `events`, `users`, `first_seen`, `last_seen`, `release`;
bug report `page_url`, `app_version`, `recording_url`; Slack `thread_ts`;
Zendesk `zendesk_id`). Only URLs with an http(s) scheme are returned.
"""

from __future__ import annotations

import re
from typing import Any

LABELS = {
    "email": "Email",
    "bug_report": "In-app bug report",
    "slack": "Slack thread",
    "cs_escalation": "CS escalation (Slack)",
    "sentry": "Sentry alert",
    "github": "GitHub issue",
    "community": "Community question",
    "zendesk": "Zendesk ticket",
    "api": "API",
    "web": "Desk (web)",
}
LINK_LABELS = {
    "slack": "Open the Slack thread",
    "cs_escalation": "Open the Slack thread",
    "sentry": "Open in Sentry",
    "github": "Open on GitHub",
    "community": "Open the question",
    "zendesk": "Open in Zendesk",
}
_ZENDESK_API = re.compile(r"^(https://[^/]+)/api/v2/tickets/(\d+)(?:\.json)?$")


def safe(url: Any) -> str:
    text = str(url or "").strip()
    return text if text.startswith(("https://", "http://")) else ""


def _part(metadata: Any, key: str) -> dict[str, Any]:
    value = metadata.get(key) if isinstance(metadata, dict) else None
    return value if isinstance(value, dict) else {}


def _facts(out: dict[str, Any], names: list[tuple[str, str]]) -> None:
    out["facts"] += [
        [label, str(out[key])] for key, label in names if out.get(key) not in (None, "")
    ]


def _github(out: dict[str, Any], meta: dict[str, Any]) -> None:
    gh = _part(meta, "github")
    out.update(
        repository=gh.get("repository") or "",
        number=gh.get("number"),
        labels=[str(x) for x in gh.get("labels") or [] if x],
        state=gh.get("state") or "open",
        kind="pull request" if gh.get("pull_request") else "issue",
    )
    out["url"] = out["url"] or safe(gh.get("url"))
    if out["repository"] and out["number"]:
        out["title"] = f"{out['repository']}#{out['number']}"
    _facts(out, [("kind", "Kind"), ("state", "State")])
    if out["labels"]:
        out["facts"].append(["Labels", ", ".join(out["labels"])])


def _sentry(out: dict[str, Any], meta: dict[str, Any]) -> None:
    s = _part(meta, "sentry")
    out.update(
        issue=s.get("short_id") or s.get("issue") or "",
        project=s.get("project") or "",
        level=s.get("level") or "",
        events=s.get("count"),
        users=s.get("user_count"),
        first_seen=s.get("first_seen") or "",
        last_seen=s.get("last_seen") or "",
        release=s.get("release") or "",
        rule=s.get("rule") or "",
    )
    names = [("issue", "Issue"), ("project", "Project"), ("level", "Level"), ("events", "Events")]
    names += [("users", "Users affected"), ("first_seen", "First seen")]
    names += [("last_seen", "Last seen"), ("release", "Latest release"), ("rule", "Alert rule")]
    _facts(out, names)


def _bug_report(out: dict[str, Any], meta: dict[str, Any]) -> None:
    ctx = _part(meta, "context")
    out.update(
        page_url=safe(ctx.get("current_url")),
        app_version=str(ctx.get("app_version") or ""),
        recording_url=safe(ctx.get("session_recording_url")),
        admin_url=safe(ctx.get("admin_url")),
    )
    out["url"] = out["url"] or out["page_url"]
    _facts(out, [("app_version", "App version")])


def _slack(out: dict[str, Any], meta: dict[str, Any]) -> None:
    s = _part(meta, "slack")
    out.update(slack_channel=s.get("channel") or "", thread_ts=s.get("thread_ts") or "")


def _zendesk(out: dict[str, Any], meta: dict[str, Any]) -> None:
    z = _part(meta, "zendesk")
    out["zendesk_id"] = str(z.get("id") or "")
    found = _ZENDESK_API.match(out["url"])
    if found:  # the API's URL of the ticket → the agent's page
        out["url"] = f"{found.group(1)}/agent/tickets/{found.group(2)}"
    _facts(out, [("zendesk_id", "Zendesk ticket")])


def _community(out: dict[str, Any], meta: dict[str, Any]) -> None:
    c = _part(meta, "community")
    out["url"] = out["url"] or safe(c.get("url"))
    out["page_url"] = safe(c.get("page_url"))
    out["title"] = str(c.get("title") or out["title"])


_BY_CHANNEL = {
    "github": _github,
    "sentry": _sentry,
    "bug_report": _bug_report,
    "slack": _slack,
    "cs_escalation": _slack,
    "zendesk": _zendesk,
    "community": _community,
}


def describe(channel: str, subject: str, external_url: str, metadata: Any) -> dict[str, Any]:
    """The source of a ticket (see the module docstring)."""
    out: dict[str, Any] = {
        "channel": channel,
        "label": LABELS.get(channel, channel.replace("_", " ").capitalize()),
        "url": safe(external_url),
        "title": subject,
        "link_label": LINK_LABELS.get(channel, "Open the source"),
        "facts": [],
    }
    fill = _BY_CHANNEL.get(channel)
    if fill is not None:
        fill(out, metadata if isinstance(metadata, dict) else {})
    return out
