"""Single sign-on with OpenID Connect, through mozilla-django-oidc.

Configured by `HERODESK_OIDC_*` (see `OidcConfig` and README). The provider's
endpoints come from its discovery document (`{issuer}/.well-known/openid-configuration`),
fetched when a sign-in first needs them and kept for an hour, so the desk
starts even while the provider is unreachable and password sign-in (when on)
never waits for it.

Who may sign in: the verified email address of the provider's account is
matched (case-insensitively) with a person's email. A match signs that person
in (an open invitation counts as accepted). No match: if the address's domain
is allowed and `HERODESK_OIDC_CREATE_PEOPLE` is on, a person is created;
otherwise the sign-in is refused with a message saying why. Deactivated
people are refused.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from herodesk.lib.errors import ActionError
from herodesk.lib.oidc import current
from herodesk.teams import actions as team_actions

ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_TTL = 3600.0
ERROR_KEY = "herodesk_oidc_error"


class Unavailable(Exception):
    """The provider's discovery document could not be read."""


_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


def discovery(issuer: str) -> dict[str, Any]:
    with _lock:
        hit = _cache.get(issuer)
        if hit and time.monotonic() - hit[0] < DISCOVERY_TTL:
            return hit[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        answer = requests.get(
            url,
            timeout=import_from_settings("OIDC_TIMEOUT", 10),
            verify=import_from_settings("OIDC_VERIFY_SSL", True),
        )
        answer.raise_for_status()
        doc = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise Unavailable(f"cannot read {url}: {exc}") from None
    if str(doc.get("issuer", "")).rstrip("/") != issuer:
        raise Unavailable(f"{url} names another issuer ({doc.get('issuer')!r})")
    missing = [v for v in ENDPOINTS.values() if not doc.get(v)]
    if missing:
        raise Unavailable(f"{url} lacks {', '.join(missing)}")
    with _lock:
        _cache[issuer] = (time.monotonic(), doc)
    return doc


def oidc_setting(attr: str, *args: Any) -> Any:
    """mozilla-django-oidc's settings, with the endpoints from discovery."""
    if attr in ENDPOINTS:
        return discovery(current().issuer)[ENDPOINTS[attr]]
    return import_from_settings(attr, *args)


class Refused(SuspiciousOperation):
    """A sign-in the desk turns down; the message is shown on the sign-in page."""


class PersonBackend(OIDCAuthenticationBackend):
    """Signs in the person whose email the provider vouches for."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Endpoints are looked up when a sign-in needs them (see `discovery`),
        # not on every password login that passes through this backend.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = current().client_id
        self.OIDC_RP_CLIENT_SECRET = current().client_secret
        self.OIDC_RP_SIGN_ALGO = import_from_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return str(oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return str(oidc_setting("OIDC_OP_USER_ENDPOINT"))

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return str(oidc_setting("OIDC_OP_JWKS_ENDPOINT"))

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if request is None or "code" not in request.GET:
            return None  # a password login: not ours
        return super().authenticate(request, **kwargs)

    def _refuse(self, message: str) -> None:
        self.request.session[ERROR_KEY] = message
        raise Refused(message)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("email"):
            self._refuse("The identity provider sent no email address (is the email scope on?).")
        if claims.get("email_verified") is False:
            self._refuse(f"{claims['email']} is not verified at the identity provider.")
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        users = list(self.UserModel.objects.filter(email__iexact=claims["email"].strip()))
        if users and not any(u.is_active for u in users):
            self._refuse(f"The account for {claims['email']} is deactivated; ask an admin.")
        return [u for u in users if u.is_active]

    def create_user(self, claims: dict[str, Any]) -> Any:
        email = claims["email"].strip()
        domain = email.rpartition("@")[2].lower()
        config = current()
        if not (config.create_people and domain in config.allowed_domains):
            self._refuse(
                f"{email} has no account here and {domain} is not a domain that may join "
                "by itself; ask an admin or a team lead to invite you."
            )
        name = claims.get("name") or " ".join(
            p for p in (claims.get("given_name"), claims.get("family_name")) if p
        )
        try:
            person = team_actions.person_create(
                username=team_actions.free_username(email), email=email, name=name, actor="oidc"
            )
        except ActionError as exc:
            self._refuse(f"Cannot make an account for {email}: {exc.message}")
        return person.user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        # They proved they own the address: an open invitation counts as accepted.
        team_actions.invitations_settle(user, how="oidc")
        return user


class SignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (`/oidc/sign-in/`)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.OIDC_RP_CLIENT_ID = current().client_id

    @property
    def OIDC_OP_AUTH_ENDPOINT(self) -> str:
        return str(oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT"))

    def get(self, request: HttpRequest) -> HttpResponse:
        if not current().enabled:
            return redirect("login")
        try:
            return super().get(request)
        except Unavailable as exc:
            messages.error(request, f"Single sign-on is unavailable right now ({exc}).")
            return redirect("login")


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back (`/oidc/callback/`)."""

    get_settings = staticmethod(oidc_setting)

    def login_failure(self) -> HttpResponse:
        reason = self.request.session.pop(ERROR_KEY, None)
        messages.error(self.request, reason or "Single sign-on did not complete; try again.")
        return redirect("login")

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except Unavailable as exc:
            messages.error(request, f"Single sign-on is unavailable right now ({exc}).")
            return redirect("login")
