"""Reply checks before sending (SPEC §5): warnings, never blocks. Pure Python.

The handbook asks the hero to
- start with a greeting to the requester by name ("Hey Ana, …"),
- not be terse (not everyone is an engineer),
- keep internal links (Slack threads, the desk itself, admin pages) out of
  public replies; they belong in internal notes.

`check_reply` takes plain values and returns the warnings in that order.
The internal host patterns are globs on the host (`*.slack.com`), optionally
with a path prefix (`app.example.com/admin`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

# Used when the operator configures nothing (HERODESK_INTERNAL_HOSTS).
DEFAULT_INTERNAL_HOSTS: tuple[str, ...] = (
    "*.slack.com",
    "slack.com",
    "localhost",
    "127.0.0.1",
    "*.internal",
    "*.local",
    "*.corp",
)
# A reply with fewer words than this reads as terse.
MIN_WORDS = 20
GREETINGS = (
    "hey",
    "hi",
    "hello",
    "hallo",
    "hiya",
    "dear",
    "good morning",
    "good afternoon",
    "good evening",
    "greetings",
    "howdy",
    "morning",
    "thanks",
    "thank you",
    "hola",
    "bonjour",
    "ciao",
    "olá",
    "ola",
    "hej",
)

_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"')\]]+""", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


@dataclass(frozen=True)
class ReplyWarning:
    code: str  # "greeting" | "terse" | "internal_link"
    message: str


def _fold(text: str) -> str:
    """Lower case without accents, so 'Lucía' matches 'lucia'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _first_line(body: str) -> str:
    for line in body.splitlines():
        if line.strip():
            return line.strip()
    return ""


def greets_by_name(body: str, first_name: str) -> bool:
    """Does the reply open with a greeting (and the name, when we know it)?"""
    opening = _fold(_first_line(body))[:80]
    greeting = next((g for g in GREETINGS if re.match(rf"{re.escape(g)}\b", opening)), None)
    if greeting is None:
        return False
    name = _fold(first_name.strip())
    if not name:
        return True
    return re.search(rf"\b{re.escape(name)}\b", opening[len(greeting) :]) is not None


def word_count(body: str) -> int:
    return len(_WORD.findall(body))


def _host_and_path(url: str) -> tuple[str, str]:
    if url.lower().startswith("www."):
        url = "http://" + url
    parts = urlsplit(url)
    return (parts.hostname or "").lower().rstrip("."), parts.path or "/"


def _matches(host: str, path: str, pattern: str) -> bool:
    pattern = pattern.strip().lower()
    if not pattern:
        return False
    host_glob, _, prefix = pattern.partition("/")
    if not fnmatchcase(host, host_glob):
        return False
    return not prefix or path.lstrip("/").startswith(prefix.rstrip("/"))


def internal_links(body: str, patterns: Iterable[str]) -> list[str]:
    """The URLs in `body` whose host (and path prefix) match an internal pattern."""
    pats = [p for p in patterns if p.strip()]
    found = []
    for match in _URL.finditer(body):
        url = match.group(0).rstrip(".,;:!?")
        host, path = _host_and_path(url)
        if host and any(_matches(host, path, p) for p in pats) and url not in found:
            found.append(url)
    return found


def check_reply(
    body: str,
    *,
    first_name: str = "",
    public: bool = True,
    internal_hosts: Sequence[str] = DEFAULT_INTERNAL_HOSTS,
    min_words: int = MIN_WORDS,
) -> list[ReplyWarning]:
    """Warnings for a draft. Internal notes are never checked."""
    if not public or not body.strip():
        return []
    warnings: list[ReplyWarning] = []
    if not greets_by_name(body, first_name):
        example = f"Hey {first_name.strip()}, …" if first_name.strip() else "Hey there, …"
        who = "the requester by name" if first_name.strip() else "the requester"
        warnings.append(ReplyWarning("greeting", f"Start with a greeting to {who}: “{example}”"))
    words = word_count(body)
    if words < min_words:
        warnings.append(
            ReplyWarning(
                "terse",
                f"This reads terse ({words} words). Not everyone is an engineer: add "
                "a line of context and a friendly close.",
            )
        )
    for url in internal_links(body, internal_hosts):
        warnings.append(
            ReplyWarning(
                "internal_link",
                f"Internal link in a public reply: {url} — put it in an internal note instead.",
            )
        )
    return warnings
