"""What a bounce says: which of our messages failed, for whom, and why.

`loops.automatic_reason` decides that a mail is a bounce or a report (and the
intake then ignores it); `parse_bounce` reads it so that a watcher (the
ownership-transfer playbook) can tell that a mail it sent did not arrive.

Reads RFC 3464 delivery-status reports (`multipart/report` with a
`message/delivery-status` part and the original as `message/rfc822` or
`text/rfc822-headers`) and, for MTAs that send plain-text bounces, the
`X-Failed-Recipients` header plus the `Message-ID:` line of the quoted original.
Only permanent failures count: a "delayed" report is not a bounce.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.utils import getaddresses

_MESSAGE_ID_LINE = re.compile(r"^message-id:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
_ANGLED = re.compile(r"<[^<>\s]+>")
MAX_RECIPIENTS = 50


@dataclass(frozen=True)
class FailedRecipient:
    address: str
    status: str  # "5.1.1", or "" when the bounce gives none
    diagnostic: str


@dataclass(frozen=True)
class Bounce:
    original_ids: tuple[str, ...]  # Message-IDs of the mail that bounced (nearest first)
    recipients: tuple[FailedRecipient, ...]

    @property
    def reason(self) -> str:
        first = self.recipients[0] if self.recipients else None
        if first is None:
            return "the message bounced"
        detail = first.diagnostic or (f"status {first.status}" if first.status else "")
        return f"{first.address}: {detail}" if detail else f"{first.address} bounced"


def parse_bounce(raw: bytes) -> Bounce | None:
    """The permanent failure a bounce reports, or None (not a bounce, or only delayed)."""
    try:
        message = email.message_from_bytes(raw, policy=policy.compat32)
    except Exception:  # a mail we cannot parse is not a bounce we can use
        return None
    recipients: list[FailedRecipient] = []
    originals: list[str] = []
    reported = False
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            reported = True
            recipients += _status_blocks(part)
        elif kind in ("message/rfc822", "message/global") and part.is_multipart():
            inner = part.get_payload(0)
            if isinstance(inner, Message):
                originals += _ids(str(inner.get("message-id", "")))
        elif kind in ("text/rfc822-headers", "text/plain") or not part.is_multipart():
            body = _text(part)
            originals += _MESSAGE_ID_LINE.findall(body)
            if kind != "message/delivery-status" and "final-recipient:" in body.lower():
                reported = True  # a report whose MIME structure is broken: read it as text
                recipients += _status_blocks_in_text(body)
    if not reported:
        failed = ", ".join(str(v) for v in message.get_all("x-failed-recipients") or [])
        recipients = [FailedRecipient(a, "", "") for _n, a in getaddresses([failed]) if a]
    originals += _ids(str(message.get("in-reply-to", "")))
    originals += reversed(_ids(str(message.get("references", ""))))
    own_id = set(_ids(str(message.get("message-id", ""))))
    ids = tuple(dict.fromkeys(i for i in originals if i not in own_id))
    if not recipients or not ids:
        return None
    return Bounce(ids, tuple(recipients[:MAX_RECIPIENTS]))


def _status_blocks(part: Message) -> list[FailedRecipient]:
    """The failed recipients of a message/delivery-status part."""
    failed = []
    blocks = part.get_payload()
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, Message):
            continue
        action = str(block.get("action", "")).strip().lower()
        status = str(block.get("status", "")).strip().split(" ")[0]
        if action != "failed" and not status.startswith("5."):
            continue
        recipient = str(block.get("final-recipient") or block.get("original-recipient") or "")
        address = recipient.split(";", 1)[-1].strip().strip("<>")
        diagnostic = " ".join(str(block.get("diagnostic-code", "")).split(";", 1)[-1].split())
        if address:
            failed.append(FailedRecipient(address.lower(), status, diagnostic[:300]))
    return failed


def _status_blocks_in_text(body: str) -> list[FailedRecipient]:
    fake = Message()
    fake.set_payload(
        [
            email.message_from_string(block.strip() + "\n", policy=policy.compat32)
            for block in re.split(r"\n\s*\n", body)
            if "final-recipient:" in block.lower()
        ]
    )
    return _status_blocks(fake)


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload.decode(part.get_content_charset() or "utf-8", "replace")
    return str(part.get_payload())


def _ids(value: str) -> list[str]:
    return _ANGLED.findall(value)
