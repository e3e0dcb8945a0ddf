"""Triage (SPEC §3): which team, which tier, and what to suggest.

- `route(channel=…, text=…, requester=…, organization=…, **routing values)
  -> Team | None` (values named by the channels' routing fields): the first enabled
  RoutingRule (by position) whose every set condition matches; None means the
  "unrouted" queue.
- `tier_for(channel, requester, escalated=False) -> Tier`: the tier
  ticket_create will derive (channel + organization plan + flags).
- `self_hosted_reason(text, organization) -> str` and
  `suggestions(text, requester) -> list`: self-hosted detection and the
  policy reply suggested for it. `on_ticket_created` (connected in
  IntakeConfig.ready) stores that suggestion in ticket.metadata["suggestions"]
  for every ticket that came in through an intake channel, whichever adapter
  made it.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings

from herodesk.domain.tiers import Tier, derive_tier
from herodesk.intake.models import RoutingRule, SlackChannel
from herodesk.lib import channels
from herodesk.lib.prepared import Prepared
from herodesk.tickets.models import Macro

# Phrases that mean "we run it ourselves" (case-insensitive, whole words).
SELF_HOSTED_KEYWORDS: tuple[str, ...] = (
    "self-hosted",
    "self hosted",
    "selfhosted",
    "self-host",
    "on-prem",
    "on-premise",
    "on-premises",
    "docker compose",
    "docker-compose",
    "helm chart",
    "hobby deploy",
)
SELF_HOSTED_MACRO = "Self-hosted redirect"
SELF_HOSTED_REPLY = (
    "Hey {{ requester.first_name }},\n\n"
    "thanks for reaching out! It looks like you are running a self-hosted instance. "
    "We don't provide support for self-hosted deployments, but our docs cover "
    "self-serve open-source setup and troubleshooting.\n\n"
    "If you believe something is broken in the docs or in the deployment setup, please "
    "file a GitHub issue so we and the community can look at it.\n\n"
    "Thanks for understanding!"
)
# Channels whose tickets get the self-hosted check (alerts are ours, not a customer's).
SUGGESTION_CHANNELS = frozenset(
    {"email", "bug_report", "slack", "github", "zendesk", "community", "api", "web"}
)


@lru_cache(maxsize=512)
def _word_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(phrase.casefold()) + r"(?!\w)")


def find_keyword(text: str, keywords: Iterable[str]) -> str:
    """The first keyword found in text as a whole word (case-insensitive), else ''."""
    folded = text.casefold()
    for keyword in keywords:
        keyword = keyword.strip()
        if keyword and _word_pattern(keyword).search(folded):
            return keyword
    return ""


def _slack_names(channel_id: str) -> set[str]:
    """The ways a rule may name this Slack channel: its id and its configured name."""
    if not channel_id:
        return set()
    names = {channel_id.lower()}
    name = SlackChannel.objects.filter(channel_id=channel_id).values_list("name", flat=True)
    names.update(n.lower().lstrip("#") for n in name if n)
    return names


def _condition_holds(cond: dict[str, Any], values: dict[str, set[str]]) -> bool:
    spec = channels.routing_fields().get(str(cond.get("field", "")))
    if spec is None:  # a field no registered channel offers: the rule cannot match
        return False
    wanted = str(cond.get("value", "")).strip().lower()
    have = values.get(spec.attr, set())
    if cond.get("op") == "glob":  # "/docs/x/*" also takes the page "/docs/x" itself
        parent = wanted[:-2] if wanted.endswith("/*") else None
        return any(v == parent or fnmatch.fnmatchcase(v, wanted) for v in have)
    return wanted.lstrip("#") in have if spec.attr == "slack_channel" else wanted in have


def _matches(rule: RoutingRule, item: dict[str, Any]) -> bool:
    if rule.channel and rule.channel != item["channel"]:
        return False
    if any(not _condition_holds(c, item["values"]) for c in rule.conditions or []):
        return False
    if rule.organization_id and rule.organization_id != item["organization_id"]:
        return False
    return not rule.keywords or bool(find_keyword(item["text"], rule.keywords))


# Read for every new item: compiled once (lib/prepared.py).
_RULES = Prepared(
    RoutingRule, lambda: RoutingRule.objects.filter(enabled=True).select_related("team")
)


def route(
    *,
    channel: str,
    text: str = "",
    requester: Any = None,
    organization: Any = None,
    **attrs: str,
) -> Any:
    """The team of the first matching routing rule, or None (unrouted).

    `attrs` are the item's values for the routing fields channels declare
    (repository="acme/app", slack_channel="C012", page="/docs/x", …).
    """
    if organization is None and requester is not None and requester.organization_id:
        organization = requester.organization
    values = {k: {v.strip().lower()} for k, v in attrs.items() if v and v.strip()}
    if attrs.get("slack_channel"):
        values["slack_channel"] = _slack_names(attrs["slack_channel"])
    item = {
        "channel": channel,
        "text": text or "",
        "values": values,
        "organization_id": organization.pk if organization is not None else None,
    }
    for rule in _RULES.all():
        # An archived team's rules route nothing (its items go on to the next rule).
        if rule.team.archived_at is None and _matches(rule, item):
            return rule.team
    return None


def tier_for(channel: str, requester: Any = None, *, escalated: bool = False) -> Tier:
    plan = requester.organization.plan if requester and requester.organization_id else None
    return derive_tier(channels.fixed_tier(channel), plan, escalated=escalated)


def self_hosted_reason(text: str, organization: Any = None) -> str:
    """Why this looks like a self-hosted user ('' when it does not)."""
    if organization is not None and organization.self_hosted:
        return f"{organization.name} is marked self-hosted"
    keywords = getattr(settings, "HERODESK_SELF_HOSTED_KEYWORDS", None) or SELF_HOSTED_KEYWORDS
    found = find_keyword(text, keywords)
    return f"mentions “{found}”" if found else ""


def _policy_reply() -> tuple[str, int | None]:
    macro = Macro.objects.filter(team__isnull=True, name__iexact=SELF_HOSTED_MACRO).first()
    return (macro.body, macro.pk) if macro else (SELF_HOSTED_REPLY, None)


def suggestions(text: str, requester: Any = None) -> list[dict[str, Any]]:
    """Replies to suggest for a new item: today the self-hosted policy reply."""
    org = requester.organization if requester is not None and requester.organization_id else None
    reason = self_hosted_reason(text, org)
    if not reason:
        return []
    body, macro_id = _policy_reply()
    return [
        {
            "kind": "self_hosted",
            "title": "Self-hosted policy reply",
            "reason": reason,
            "macro": macro_id,
            "body": body,
        }
    ]


def on_ticket_created(sender: Any, ticket: Any, message: Any = None, **kwargs: Any) -> None:
    """Attach suggestions to a ticket that just came in (same transaction)."""
    if ticket.channel not in SUGGESTION_CHANNELS or "suggestions" in ticket.metadata:
        return
    text = f"{ticket.subject}\n{message.body if message is not None else ''}"
    found = suggestions(text, ticket.requester)
    if not found:
        return
    # lazy: the ticket actions load on first use, not at every start-up (`herodesk who`).
    from herodesk.tickets.actions import ticket_set_metadata

    ticket_set_metadata(ticket, "suggestions", found, actor="triage")
