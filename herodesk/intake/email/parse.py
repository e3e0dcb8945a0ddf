"""Raw MIME bytes → a ParsedEmail, whatever the charset or the damage.

The standard library's compat32 parser never gives up on bad input (it
records defects instead), so we use it for structure and decode every header
and text part ourselves with a forgiving charset ladder: the declared charset
(with the aliases mail clients really use), then UTF-8, then Windows-1252.
Anything that still makes the message unusable (no sender, not a message at
all) raises MalformedEmail with a reason the operator can read.
"""

from __future__ import annotations

import codecs
import email.charset
import email.header
import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser
from typing import TypeVar

from herodesk.intake.email.clean import html_to_text, sanitize_html

MAX_DEPTH = 20  # MIME nesting deeper than this is ignored (nesting bombs)
MAX_PARTS = 200  # leaf parts looked at per message
MAX_IDS = 50  # References kept (the most recent ones)
MAX_ID_LENGTH = 250  # Message-IDs longer than this are not usable as keys

# Declared charsets that lie in practice → what to decode with instead.
CHARSET_FIXES = {
    "": "utf-8",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "unknown-8bit": "utf-8",
    "x-unknown": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "iso_8859-1": "cp1252",
    "gb2312": "gbk",
    "ks_c_5601-1987": "cp949",
}
T = TypeVar("T")
ID_RE = re.compile(r"<([^<>\s]+)>")
SURROGATE_RE = re.compile("[\ud800-\udfff]")


class MalformedEmail(Exception):
    """The bytes are not a usable email; the message says why."""


@dataclass(frozen=True)
class RawAttachment:
    filename: str
    content_type: str
    payload: bytes
    content_id: str = ""
    inline: bool = False


@dataclass
class ParsedEmail:
    message_id: str = ""  # "<id@host>", or "" when missing or unusable
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_name: str = ""
    from_email: str = ""
    reply_to: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    content_type: str = "text/plain"
    text: str = ""  # the full plain text (from text/plain, else from the HTML)
    html: str = ""  # sanitized HTML, "" when the mail had none
    attachments: list[RawAttachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # first value of each, decoded
    defects: list[str] = field(default_factory=list)

    @property
    def thread_ids(self) -> list[str]:
        """Ids this mail answers, nearest first: In-Reply-To, then References backwards."""
        seen: list[str] = []
        for mid in [*self.in_reply_to, *reversed(self.references)]:
            if mid not in seen:
                seen.append(mid)
        return seen

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def clean_text(value: str) -> str:
    """Text any database accepts: no NUL, no lone surrogates.

    Raw 8-bit bytes in headers arrive as surrogate escapes; they are decoded
    as UTF-8 (else Windows-1252) instead of being thrown away.
    """
    if SURROGATE_RE.search(value):
        try:
            value = decode_bytes(value.encode("utf-8", "surrogateescape"), "utf-8")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    return value.replace("\x00", "")


def _codec(charset: str | None) -> str:
    name = (charset or "").strip().strip('"').lower()
    name = CHARSET_FIXES.get(name, email.charset.ALIASES.get(name, name))
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return "utf-8"


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset → text; never raises."""
    codec = _codec(charset)
    for candidate in dict.fromkeys((codec, "utf-8")):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252" if codec == "utf-8" else codec, errors="replace")


def decode_header_value(raw: str) -> str:
    """An RFC 2047 (or raw 8-bit) header value → one line of text."""
    raw = clean_text(raw)
    try:
        parts = email.header.decode_header(raw)
    except Exception:  # a broken encoded-word keeps its raw text
        parts = [(raw, None)]
    text = "".join(
        chunk if isinstance(chunk, str) else decode_bytes(chunk, cs) for chunk, cs in parts
    )
    return clean_text(" ".join(text.split()))


def _addresses(raw: str) -> list[tuple[str, str]]:
    """(display name, lowercased address) pairs; garbage entries dropped."""
    try:
        parsed = [
            (a.display_name, a.addr_spec)
            for a in policy.default.header_factory("to", raw).addresses
        ]
    except Exception:  # fall back to the older, simpler parser
        parsed = email.utils.getaddresses([raw])
    out = []
    for name, addr in parsed:
        addr = clean_text(addr).strip().lower()
        if _plausible_address(addr):
            out.append((decode_header_value(name), addr))
    return out


def _plausible_address(addr: str) -> bool:
    local, _, domain = addr.rpartition("@")
    return (
        bool(local and domain)
        and len(addr) <= 254
        and not any(c.isspace() for c in addr)
        and "<" not in addr
        and ">" not in addr
    )


def message_ids(raw: str) -> list[str]:
    """Every usable "<id>" in a Message-ID / In-Reply-To / References value."""
    raw = clean_text(raw)
    found = ID_RE.findall(raw) or [tok.strip("<>") for tok in raw.split() if "@" in tok]
    return [f"<{mid}>" for mid in found if 0 < len(mid) <= MAX_ID_LENGTH - 2]


def _first_headers(msg: Message) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in msg.raw_items():
        key = clean_text(str(name)).strip().lower()
        if key and key not in out:
            out[key] = str(value)
    return out


class _Collector:
    """Walks the MIME tree once, gathering text, HTML and attachments."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.attachments: list[RawAttachment] = []
        self.defects: list[str] = []
        self.leaves = 0

    def walk(self, part: Message, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            self.defects.append(f"MIME nesting deeper than {MAX_DEPTH} levels ignored")
            return
        ctype = part.get_content_type()
        if part.get_content_maintype() == "message" and part.is_multipart():
            self._attach_message(part)
        elif ctype == "multipart/alternative" and part.is_multipart():
            self._alternative(part, depth)
        elif part.is_multipart():
            for child in _children(part):
                self.walk(child, depth + 1)
        elif part.get_content_maintype() == "multipart":  # no usable boundary: show the text
            self.defects.append("a multipart part without boundaries is shown as plain text")
            self._leaf(part, "text/plain")
        else:
            self._leaf(part, ctype)

    def _alternative(self, part: Message, depth: int) -> None:
        texts, htmls = len(self.texts), len(self.htmls)
        for child in _children(part):
            self.walk(child, depth + 1)
        # Alternatives say the same thing: keep the first of each kind.
        del self.texts[texts + 1 :]
        del self.htmls[htmls + 1 :]

    def _leaf(self, part: Message, ctype: str) -> None:
        self.leaves += 1
        if self.leaves > MAX_PARTS:
            if self.leaves == MAX_PARTS + 1:
                self.defects.append(f"parts after the first {MAX_PARTS} ignored")
            return
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = _filename(part)
        disposition = _safe(part.get_content_disposition) or ""
        if ctype in ("text/plain", "text/html") and not filename and disposition != "attachment":
            text = clean_text(decode_bytes(data, _safe(part.get_content_charset)))
            (self.texts if ctype == "text/plain" else self.htmls).append(text)
            return
        if not data and not filename:
            return
        cid = " ".join(message_ids(str(part.get("content-id", ""))))
        self.attachments.append(
            RawAttachment(
                filename=filename or _default_name(ctype, len(self.attachments) + 1),
                content_type=ctype,
                payload=data,
                content_id=cid.strip("<>"),
                inline=disposition == "inline",
            )
        )

    def _attach_message(self, part: Message) -> None:
        inner = _children(part)
        try:
            data = inner[0].as_bytes() if inner else b""
        except Exception:  # an unprintable forwarded mail is skipped, noted
            self.defects.append("a forwarded message could not be re-serialized; skipped")
            return
        name = _filename(part) or "forwarded-message.eml"
        self.attachments.append(
            RawAttachment(filename=name, content_type="message/rfc822", payload=data)
        )


def _children(part: Message) -> list[Message]:
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _safe(getter: Callable[[], T]) -> T | None:
    try:
        return getter()
    except Exception:  # RFC 2231 parameters can be arbitrarily broken
        return None


def _filename(part: Message) -> str:
    raw = _safe(part.get_filename) or _safe(lambda: part.get_param("name"))
    if isinstance(raw, tuple):  # undecoded RFC 2231 triple
        raw = email.utils.collapse_rfc2231_value(raw)
    if not isinstance(raw, str):
        return ""
    name = decode_header_value(raw).replace("/", "_").replace("\\", "_").strip(" .")
    return name[:200]


def _default_name(ctype: str, n: int) -> str:
    ext = {
        "text/plain": "txt",
        "text/html": "html",
        "image/png": "png",
        "image/jpeg": "jpg",
        "image/gif": "gif",
        "application/pdf": "pdf",
    }.get(ctype, "bin")
    return f"attachment-{n}.{ext}"


def _fill_headers(out: ParsedEmail, raw_headers: dict[str, str]) -> None:
    out.headers = {name: decode_header_value(value) for name, value in raw_headers.items()}
    mids = message_ids(raw_headers.get("message-id", ""))
    out.message_id = mids[0] if mids else ""
    out.in_reply_to = message_ids(raw_headers.get("in-reply-to", ""))[:5]
    out.references = message_ids(raw_headers.get("references", ""))[-MAX_IDS:]
    out.subject = out.headers.get("subject", "")
    senders = (
        _addresses(raw_headers.get("from", ""))
        or _addresses(raw_headers.get("sender", ""))
        or _addresses(raw_headers.get("return-path", ""))
    )
    if senders:
        out.from_name, out.from_email = senders[0]
    reply_to = _addresses(raw_headers.get("reply-to", ""))
    out.reply_to = reply_to[0][1] if reply_to else out.from_email
    out.to = [addr for _, addr in _addresses(raw_headers.get("to", ""))]
    out.cc = [addr for _, addr in _addresses(raw_headers.get("cc", ""))]


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse raw MIME. Raises MalformedEmail when it is not a usable email."""
    if not raw.strip():
        raise MalformedEmail("the message is empty")
    try:
        msg = BytesParser(policy=policy.compat32).parsebytes(raw)
    except Exception as exc:  # compat32 almost never raises; if it does, say so
        raise MalformedEmail(f"the MIME structure cannot be parsed ({type(exc).__name__})") from exc
    raw_headers = _first_headers(msg)
    if not raw_headers:
        raise MalformedEmail("no headers: this is not an email message")
    out = ParsedEmail(defects=[type(d).__name__ for d in msg.defects][:20])
    _fill_headers(out, raw_headers)
    out.content_type = _safe(msg.get_content_type) or "text/plain"
    collector = _Collector()
    try:
        collector.walk(msg)
    except RecursionError as exc:
        raise MalformedEmail("the MIME structure is nested too deeply") from exc
    except Exception as exc:  # the stdlib on input nobody foresaw: a record, not a crash
        raise MalformedEmail(f"a MIME part cannot be read ({type(exc).__name__}: {exc})") from exc
    out.defects += collector.defects
    out.attachments = collector.attachments
    html = "\n".join(h for h in collector.htmls if h.strip())
    out.html = sanitize_html(html) if html else ""
    text = "\n\n".join(t.strip("\n") for t in collector.texts if t.strip())
    out.text = text or (html_to_text(html) if html else "")
    return out
