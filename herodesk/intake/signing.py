"""Helpers for webhook verification: HMACs over raw bytes, constant-time compare,
timestamp windows, and reading a JSON envelope."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from herodesk.intake.base import Malformed, Unauthorized


def hmac_sha256(secret: str, *parts: bytes) -> bytes:
    mac = hmac.new(secret.encode("utf-8"), digestmod=hashlib.sha256)
    for part in parts:
        mac.update(part)
    return mac.digest()


def same(expected: str, given: str) -> bool:
    """Constant-time comparison of two ASCII strings (False for non-ASCII input)."""
    try:
        return hmac.compare_digest(expected.encode("ascii"), given.encode("ascii"))
    except UnicodeEncodeError:
        return False


def header(headers: Mapping[str, str], name: str) -> str:
    """A required header for verification (401 when missing)."""
    value = (headers.get(name) or "").strip()
    if not value:
        raise Unauthorized(f"missing {name} header")
    return value


def check_timestamp(value: str, now: datetime, window_seconds: int, name: str) -> int:
    """Seconds since the epoch from a header, refused outside ±window (401)."""
    try:
        stamp = int(value)
    except ValueError:
        raise Unauthorized(f"{name} is not a Unix timestamp") from None
    skew = now.timestamp() - stamp
    if abs(skew) > window_seconds:
        when = "old" if skew > 0 else "far in the future"
        raise Unauthorized(
            f"stale request: {name} is {abs(int(skew))} s {when} "
            f"(allowed: {window_seconds} s either way)"
        )
    return stamp


def json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object (400 when it is not one)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed(f"the body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise Malformed("the body must be a JSON object")
    return data
