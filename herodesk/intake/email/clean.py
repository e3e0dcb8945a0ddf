"""Make mail displayable: sanitize HTML (nh3), HTML → text, strip quotes/signatures.

Quoted history and signatures are found by `mail-parser-reply` (a maintained
port of GitHub's email_reply_parser with Outlook/Apple/Gmail headers in many
languages). It normalizes whitespace while it works, so we map its answer back
onto the original lines to keep indentation (stack traces, code).
"""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser

import nh3
from mailparser_reply import EmailReplyParser

# Images are dropped: remote ones leak that a hero opened the mail (tracking
# pixels) and inline ones arrive as attachments anyway.
ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "map", "area"}
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "head",
    "title",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
}
URL_SCHEMES = {"http", "https", "mailto"}
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs"]
STRIP_LIMIT = 100_000  # characters given to the stripper; longer mail shows in full
BLOCK_TAGS = {
    "p",
    "div",
    "tr",
    "table",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "dl",
    "dt",
    "dd",
}
PARAGRAPH_TAGS = {"p", "blockquote", "pre", "table", "ul", "ol", "h1", "h2", "h3"}
SKIPPED_TAGS = {"script", "style", "head", "title", "noscript", "template"}

_reply_parser = EmailReplyParser(languages=REPLY_LANGUAGES)


def sanitize_html(html: str) -> str:
    """Only harmless markup survives: no scripts, handlers, styles, frames or images."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={
            tag: attrs for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag in ALLOWED_TAGS
        },
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.quote = 0
        self.pre = 0

    def _break(self, blank: bool = False) -> None:
        tail = "".join(self.out[-2:])
        if self.out and not tail.endswith("\n"):
            self.out.append("\n")
        if blank and self.out and not tail.endswith("\n\n"):
            self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skip += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in BLOCK_TAGS:
            self._break()
        self.quote += tag == "blockquote"
        self.pre += tag == "pre"
        if tag == "li":
            self.out.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skip = max(0, self.skip - 1)
        self.quote = max(0, self.quote - (tag == "blockquote"))
        self.pre = max(0, self.pre - (tag == "pre"))
        if tag in BLOCK_TAGS:
            self._break(blank=tag in PARAGRAPH_TAGS)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        at_line_start = not self.out or self.out[-1].endswith("\n")
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if at_line_start:
                data = data.lstrip()
        if not data:
            return
        if self.quote:
            prefix = "> " * self.quote
            data = data.replace("\n", "\n" + prefix)
            if at_line_start:
                data = prefix + data
        self.out.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text from HTML (blockquotes become "> " lines)."""
    parser = _TextExtractor()
    with contextlib.suppress(Exception):  # HTMLParser is lenient; keep what it produced
        parser.feed(html)
        parser.close()
    lines = [line.rstrip() for line in "".join(parser.out).replace("\xa0", " ").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _align(original: str, kept: str) -> str:
    """Map the stripper's (whitespace-normalized) answer back onto the original lines."""
    source = original.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    i = 0
    for line in kept.split("\n"):
        target = line.strip()
        j = i
        while j < len(source) and source[j].strip() != target:
            j += 1
        if j < len(source):
            out.append(source[j].rstrip())
            i = j + 1
        else:  # a line the stripper rewrote (a disclaimer cut mid-line): keep its version
            out.append(line)
    return "\n".join(out)


def _drop_trailing_quotes(text: str) -> str:
    lines = text.rstrip().split("\n")
    while lines and (lines[-1].lstrip().startswith(">") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines)


def strip_reply(text: str) -> str:
    """The new part of a reply: no quoted history, no signature. Never returns ""
    for a non-blank input (a mail that is all quote keeps its text)."""
    if not text.strip() or len(text) > STRIP_LIMIT:
        return text.strip()
    try:
        replies = _reply_parser.read(text).replies
        latest = replies[0].body if replies else text
    except Exception:  # the regexes can choke on odd input; show it whole
        latest = text
    stripped = _drop_trailing_quotes(_align(text, latest)).strip("\n")
    return stripped if stripped.strip() else text.strip()
