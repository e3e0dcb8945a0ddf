"""Single sign-on settings from `HERODESK_OIDC_*` (read by settings.py; the
sign-in itself is herodesk.web.oidc)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from herodesk.lib.env import env_bool, env_list, env_str

LOOPBACK = re.compile(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)")


@dataclass(frozen=True)
class OidcConfig:
    issuer: str = ""
    client_id: str = ""
    client_secret: str = ""
    allowed_domains: tuple[str, ...] = ()
    create_people: bool = True
    password_login: bool = True
    label: str = "single sign-on"

    @property
    def enabled(self) -> bool:
        return bool(self.issuer)


def oidc_config(environ: Mapping[str, str]) -> OidcConfig:
    """The sign-in settings; ImproperlyConfigured naming the variable when wrong."""
    issuer = env_str("HERODESK_OIDC_ISSUER", "", environ).strip().rstrip("/")
    config = OidcConfig(
        issuer=issuer,
        client_id=env_str("HERODESK_OIDC_CLIENT_ID", "", environ).strip(),
        client_secret=env_str("HERODESK_OIDC_CLIENT_SECRET", "", environ).strip(),
        allowed_domains=tuple(
            d.lower().lstrip("@") for d in env_list("HERODESK_OIDC_ALLOWED_DOMAINS", "", environ)
        ),
        create_people=env_bool("HERODESK_OIDC_CREATE_PEOPLE", True, environ),
        password_login=env_bool("HERODESK_OIDC_PASSWORD_LOGIN", True, environ),
        label=env_str("HERODESK_OIDC_LABEL", "single sign-on", environ).strip(),
    )
    if issuer and not (issuer.startswith("https://") or LOOPBACK.match(issuer)):
        raise ImproperlyConfigured("HERODESK_OIDC_ISSUER must be an https:// URL")
    if issuer and not (config.client_id and config.client_secret):
        raise ImproperlyConfigured(
            "HERODESK_OIDC_CLIENT_ID and HERODESK_OIDC_CLIENT_SECRET must be set "
            "with HERODESK_OIDC_ISSUER"
        )
    if not config.password_login and not issuer:
        raise ImproperlyConfigured(
            "HERODESK_OIDC_PASSWORD_LOGIN=false needs HERODESK_OIDC_ISSUER (else nobody "
            "could sign in)"
        )
    return config


def current() -> OidcConfig:
    """The desk's single sign-on settings (HERODESK_OIDC), or the default (off)."""
    return getattr(settings, "HERODESK_OIDC", None) or OidcConfig()
