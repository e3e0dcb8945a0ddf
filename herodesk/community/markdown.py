"""Markdown from community members → safe HTML.

markdown-it-py (CommonMark, raw HTML off, tables and strikethrough on) renders;
nh3 then keeps only a short list of tags and attributes, forces
`rel="nofollow ugc noopener noreferrer"` on links and drops any URL scheme but
http, https and mailto. Fenced code blocks keep their language as a
`language-…` class (letters, digits, `+`, `-`, `#` only).
"""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "a",
    "ul", "ol", "li", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "code": {"class"}, "ol": {"start"}, "th": {"align"}}
LANGUAGE_CLASS = re.compile(r"^language-[A-Za-z0-9+#-]{1,30}$")
# Headings from a question body sit below the page's own h1/h2.
HEADING = re.compile(r"<(/?)h([12])>")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # lazy: markdown-it loads with the first body rendered, not at every start-up.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "code" and attribute == "class":
        return value if LANGUAGE_CLASS.match(value) else None
    return value


def render(text: str) -> str:
    """Sanitized HTML for a Markdown body (empty string for empty input)."""
    if not text or not text.strip():
        return ""
    html = _parser().render(text)
    html = HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", html)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    ).strip()


LINK = re.compile(r"(https?://|www\.|\]\(|<a\s)", re.IGNORECASE)


def has_links(text: str) -> bool:
    """Whether a body carries links (a new account's first such post is held)."""
    return bool(LINK.search(text or ""))


def plain(text: str, limit: int = 200) -> str:
    """A one-line plain-text excerpt of a Markdown body (for lists and Slack)."""
    flat = htmllib.unescape(nh3.clean(render(text), tags=set()))
    flat = " ".join(flat.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
