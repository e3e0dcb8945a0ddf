"""Sentry deliveries → T0 alert items, one per Sentry issue (or metric incident).

- issue.created / event_alert.triggered: open the issue's item (or note the
  new alert on it, reopening it when it was solved);
- issue.resolved: solve it; issue.unresolved: reopen it;
- metric_alert.critical / .warning: open or update the incident's item;
  metric_alert.resolved: solve it.
The event's `user.username` (or email) links the alert to a requester.
"""

from __future__ import annotations

import json
import re
from typing import Any

from herodesk.intake import items
from herodesk.intake.base import Failed, Ignored, Item, mapping
from herodesk.intake.models import Delivery
from herodesk.lib.errors import Conflict
from herodesk.tickets import actions
from herodesk.tickets.models import Status, Ticket

CHANNEL = "sentry"
ACTOR = "sentry"
PROJECT_IN_URL = re.compile(r"/projects/[^/]+/([^/]+)/")


def data_of(delivery: Delivery, part: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(payload["data"], payload["data"][part]) of a stored delivery."""
    try:
        payload = json.loads(bytes(delivery.body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise Failed(f"the stored body is not JSON: {exc}") from exc
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get(part), dict):
        raise Failed(f"the payload has no data.{part} object")
    return data, data[part]


def _status(ticket: Ticket, status: str) -> Ticket:
    if ticket.status == status:
        return ticket
    try:
        return actions.ticket_set_status(ticket, status, actor=ACTOR, force=True)
    except Conflict as exc:
        raise Ignored(str(exc)) from exc


def _again(ticket: Ticket, delivery: Delivery, text: str) -> Ticket:
    """A new alert on an existing item: note it once, reopen the item if it was solved."""
    external_id = f"delivery:{delivery.pk}"
    if items.seen(ticket, external_id):
        return ticket
    if ticket.status == Status.CLOSED:
        raise Ignored(f"ticket #{ticket.pk} is closed")
    actions.ticket_note(ticket, author=None, body=text, metadata={"external_id": external_id})
    if ticket.status in (Status.SOLVED, Status.PENDING):
        return _status(ticket, Status.OPEN)
    return ticket


def _open(item: Item, delivery: Delivery, again: str) -> Ticket:
    ticket, created = items.open_item(item, ACTOR)
    return ticket if created else _again(ticket, delivery, again)


def issue_created(delivery: Delivery) -> Ticket:
    _data, issue = data_of(delivery, "issue")
    project = issue.get("project") or {}
    url = str(issue.get("web_url") or issue.get("permalink") or "")
    level, culprit = issue.get("level", "error"), issue.get("culprit") or ""
    status = issue.get("substatus") or issue.get("status")
    lines = [
        f"{level} in {project.get('slug', '?')}: {culprit}",
        f"Seen {issue.get('count', '?')} times by {issue.get('userCount', '?')} users "
        f"(first {issue.get('firstSeen', '?')}, status {status})",
    ]
    item = Item(
        channel=CHANNEL,
        subject=f"{issue.get('shortId') or issue['id']}: {issue.get('title') or 'Sentry issue'}",
        body="\n".join([*lines, url]).strip(),
        external_ref=f"issue:{issue['id']}",
        external_url=url,
        sentry_project=str(project.get("slug") or ""),
        metadata={
            "sentry": {
                "issue": issue["id"],
                "short_id": issue.get("shortId"),
                "project": project.get("slug"),
                "level": issue.get("level"),
                # What the source panel shows (domain.sources).
                "count": issue.get("count"),
                "user_count": issue.get("userCount"),
                "first_seen": issue.get("firstSeen"),
                "last_seen": issue.get("lastSeen"),
                "release": (issue.get("lastRelease") or {}).get("version")
                if isinstance(issue.get("lastRelease"), dict)
                else None,
            }
        },
    )
    return _open(item, delivery, f"Sentry issue {issue.get('shortId')} created again")


def event_alert(delivery: Delivery) -> Ticket:
    data, event = data_of(delivery, "event")
    if not event.get("issue_id"):
        raise Failed("event_alert without data.event.issue_id")
    user = mapping(event.get("user"))
    found = PROJECT_IN_URL.search(str(event.get("url") or ""))
    rule = str(data.get("triggered_rule") or "")
    web_url = str(event.get("web_url") or "")
    body = [
        f"Alert rule “{rule}” triggered.",
        f"{event.get('level', 'error')}: {event.get('title', '')} at {event.get('culprit') or '?'}",
        web_url,
    ]
    if user:
        body.insert(2, "User: " + ", ".join(f"{k}={v}" for k, v in user.items() if v))
    item = Item(
        channel=CHANNEL,
        subject=str(event.get("title") or f"Sentry alert: {rule}"),
        body="\n".join(body),
        external_ref=f"issue:{event['issue_id']}",
        external_url=web_url,
        message_external_id=f"event:{event.get('event_id', '')}",
        username=str(user.get("username") or ""),
        email=str(user.get("email") or ""),
        name=str(user.get("name") or ""),
        sentry_project=found.group(1) if found else "",
        metadata={
            "sentry": {
                "issue": event["issue_id"],
                "rule": rule,
                "project": found.group(1) if found else None,
                "level": event.get("level"),
                "last_seen": event.get("datetime"),
                "release": event.get("release"),
            }
        },
    )
    return _open(item, delivery, "\n".join(body))


def issue_status(delivery: Delivery, status: str) -> Ticket:
    _data, issue = data_of(delivery, "issue")
    ticket = items.find_item(CHANNEL, f"issue:{issue.get('id')}")
    if ticket is None:
        raise Ignored(f"Sentry issue {issue.get('shortId') or issue.get('id')} is not an item")
    return _status(ticket, status)


def metric_alert(delivery: Delivery) -> Ticket:
    data, alert = data_of(delivery, "metric_alert")
    action = delivery.event_type.rsplit(".", 1)[-1]
    ref = f"metric:{alert.get('id')}"
    title = str(data.get("description_title") or alert.get("title") or "Metric alert")
    text = f"{title}\n{data.get('description_text') or ''}\n{data.get('web_url') or ''}".strip()
    if action == "resolved":
        ticket = items.find_item(CHANNEL, ref)
        if ticket is None:
            raise Ignored(f"metric alert {alert.get('id')} is not an item")
        return _status(ticket, Status.SOLVED)
    rule = alert.get("alert_rule") or {}
    projects = alert.get("projects") or rule.get("projects") or [""]
    item = Item(
        channel=CHANNEL,
        subject=title,
        body=text,
        external_ref=ref,
        external_url=str(data.get("web_url") or ""),
        sentry_project=str(projects[0]),
        metadata={
            "sentry": {
                "metric_alert": alert.get("id"),
                "rule": rule.get("name"),
                "severity": action,
                "projects": projects,
            }
        },
    )
    return _open(item, delivery, text)


EVENT_HANDLERS = {
    "issue.created": issue_created,
    "issue.resolved": lambda d: issue_status(d, Status.SOLVED),
    "issue.unresolved": lambda d: issue_status(d, Status.OPEN),
    "event_alert.triggered": event_alert,
    "metric_alert.critical": metric_alert,
    "metric_alert.warning": metric_alert,
    "metric_alert.resolved": metric_alert,
}
