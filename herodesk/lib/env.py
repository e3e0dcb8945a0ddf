"""Environment helpers for settings: every bad value stops start-up loudly."""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    value = environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: str = "", environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name, default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def proxy_ssl_header(raw: str, name: str = "HERODESK_PROXY_SSL_HEADER") -> tuple[str, str] | None:
    """`X-Forwarded-Proto` (or `X-Forwarded-Proto: https`) → Django's
    SECURE_PROXY_SSL_HEADER tuple; "" → None (no proxy in front)."""
    text = raw.strip()
    if not text:
        return None
    header, _, value = text.partition(":")
    header, value = header.strip(), (value.strip() or "https")
    if not header or not all(c.isalnum() or c == "-" for c in header) or " " in value:
        raise ImproperlyConfigured(
            f"{name} must be a header name such as X-Forwarded-Proto "
            f"(optionally 'Name: value'), got {raw!r}"
        )
    return "HTTP_" + header.upper().replace("-", "_"), value
