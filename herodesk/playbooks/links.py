"""Admin links as configured templates (`HERODESK_LINK_*`). Pure: no Django.

Each kind of link has one template per Cloud region (`HERODESK_LINK_2FA_EU`,
`HERODESK_LINK_2FA_US`) or one for both (`HERODESK_LINK_BILLING`). A template
is an http(s) URL with placeholders `{user_email}`, `{user_id}` and `{org_id}`;
values are URL-encoded when the link is built. A bad template stops start-up.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

PLACEHOLDERS = frozenset({"user_email", "user_id", "org_id"})
REGIONS = ("EU", "US")


@dataclass(frozen=True)
class LinkKind:
    key: str
    env: str  # HERODESK_LINK_<env>[_<REGION>]
    label: str


KINDS = {
    kind.key: kind
    for kind in (
        LinkKind("login-as", "LOGIN_AS", "Log in as this user"),
        LinkKind("billing", "BILLING", "Billing customer"),
        LinkKind("2fa", "2FA", "Remove the 2FA device"),
        LinkKind("org", "ORG", "Organization admin"),
        LinkKind("apps", "APPS", "Browse Apps"),
    )
}


class LinkError(ValueError):
    """A template we refuse (bad URL or placeholder), or a link we cannot build."""


def env_names(kind: str) -> list[str]:
    base = f"HERODESK_LINK_{KINDS[kind].env}"
    return [f"{base}_{region}" for region in REGIONS] + [base]


def read_templates(environ: Mapping[str, str]) -> dict[str, str]:
    """Every configured template by variable name; raises LinkError naming a bad one."""
    found = {}
    for kind in KINDS:
        for name in env_names(kind):
            value = environ.get(name, "").strip()
            if value:
                check_template(name, value)
                found[name] = value
    return found


def check_template(name: str, template: str) -> None:
    parts = urlsplit(template.replace("{", "").replace("}", ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LinkError(f"{name} must be an http(s) URL, got {template!r}")
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise LinkError(f"{name} is not a valid template: {exc}") from None
    unknown = fields - PLACEHOLDERS
    if unknown:
        allowed = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
        raise LinkError(f"{name} uses {{{sorted(unknown)[0]}}}; allowed: {allowed}")


def template_for(templates: Mapping[str, str], kind: str, region: str) -> str | None:
    """The template for a kind in a region (the regional one first), or None."""
    base = f"HERODESK_LINK_{KINDS[kind].env}"
    return templates.get(f"{base}_{region}") or templates.get(base) or None


def build(template: str, values: Mapping[str, str]) -> str:
    """The URL, values encoded; LinkError when the template needs a value we lack."""
    needed = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    missing = sorted(n for n in needed if not values.get(n))
    if missing:
        raise LinkError(f"this link needs {{{missing[0]}}}, which is not known for this customer")
    return template.format(**{k: quote(str(v), safe="@") for k, v in values.items()})
