"""Slack mrkdwn → readable text, mentions, and "is this a question?"."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
CHANNEL = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>")
GROUP = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>")
SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
SUBJECT_LENGTH = 120
QUESTION_WORDS = (
    "how",
    "why",
    "what",
    "when",
    "where",
    "which",
    "who",
    "is",
    "are",
    "can",
    "could",
    "does",
    "do",
    "did",
    "should",
    "would",
    "will",
    "has",
    "have",
    "any",
    "anyone",
)
HELP_WORDS = re.compile(
    r"\b(help|not working|doesn'?t work|broken|error|issue|problem|bug|stuck|fails?|failing)\b",
    re.IGNORECASE,
)


def mentions(text: str) -> list[str]:
    """User ids @-mentioned, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in USER.finditer(text or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """Readable text: <@U1> → @Name, <url|label> → label (url), entities decoded."""
    names = names or {}
    out = USER.sub(lambda m: "@" + (names.get(m.group(1)) or m.group(2) or m.group(1)), text or "")
    out = CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), out)
    out = GROUP.sub(lambda m: m.group(2) or "@group", out)
    out = SPECIAL.sub(lambda m: "@" + m.group(1), out)
    out = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), out)
    return html.unescape(out)


def subject_from(text: str, fallback: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) > SUBJECT_LENGTH:
        first = first[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return first or fallback


def looks_like_question(text: str) -> bool:
    """A question or a cry for help (not "good morning" or a link share)."""
    stripped = text.strip()
    if "?" in stripped or HELP_WORDS.search(stripped):
        return True
    words = stripped.lower().split()
    return bool(words) and words[0].strip(",.!:") in QUESTION_WORDS and len(words) >= 4
