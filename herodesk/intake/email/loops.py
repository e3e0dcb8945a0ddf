"""Mail written by machines: auto-replies, bounces, DSNs, lists, our own mail.

Such mail never opens a ticket and never gets an answer, so two robots can
never keep each other busy. RFC 3834 (Auto-Submitted), RFC 3464 (DSNs in
multipart/report), the de-facto Precedence and X-Autoreply headers, and the
null envelope sender of bounces all count.
"""

from __future__ import annotations

from email.utils import parseaddr

from herodesk.intake.email.parse import ParsedEmail

AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOREPLY_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder", "x-failed-recipients")
MAILER_LOCAL_PARTS = {"mailer-daemon", "postmaster", "mail-daemon"}


def own_addresses(*values: str) -> set[str]:
    """Lowercased addresses out of settings values like "Name <a@b>"."""
    return {parseaddr(v)[1].lower() for v in values if v and "@" in v}


def automatic_reason(mail: ParsedEmail, *, own: set[str], envelope_from: str | None = None) -> str:
    """Why this mail was written by a machine, or "" when a person wrote it."""
    auto = mail.header("auto-submitted").split(";")[0].strip().lower()
    if auto and auto != "no":
        return f"automatic mail (Auto-Submitted: {auto})"
    precedence = mail.header("precedence").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return f"automatic mail (Precedence: {precedence})"
    for name in AUTOREPLY_HEADERS:
        if mail.header(name):
            return f"automatic mail ({name} header present)"
    if mail.content_type == "multipart/report":
        return "delivery or read report (multipart/report)"
    if envelope_from == "" or mail.header("return-path").strip() == "<>":
        return "bounce (empty envelope sender)"
    local = mail.from_email.rpartition("@")[0]
    if local in MAILER_LOCAL_PARTS:
        return f"bounce (sent by {mail.from_email})"
    if mail.from_email and mail.from_email in own:
        return f"sent by this desk's own address ({mail.from_email}): mail loop"
    loop = mail.header("x-loop").lower()
    if loop and any(addr in loop for addr in own):
        return "mail loop (X-Loop names this desk)"
    return ""
