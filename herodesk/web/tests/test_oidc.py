"""Single sign-on against a real OpenID Connect provider on loopback (pyop):
codes, RS256 ID tokens, PKCE, client secrets and userinfo all go over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import make_user
from herodesk.lib.oidc import OidcConfig
from herodesk.web import oidc
from herodesk.web.tests.oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    LocalProvider,
    query_of,
    serve_tls,
)

CALLBACK = "http://testserver/oidc/callback/"


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory: Any) -> Any:
    yield from serve_tls(tmp_path_factory.mktemp("oidc-tls"))


@pytest.fixture
def op(oidc_server: Any, settings: Any) -> LocalProvider:
    provider = LocalProvider(*oidc_server, [CALLBACK])
    settings.HERODESK_OIDC = OidcConfig(
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        allowed_domains=("acme.example",),
    )
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "herodesk.web.oidc.PersonBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_VERIFY_SSL = str(provider.ca)  # requests' `verify`: trust the test CA
    oidc._cache.clear()
    return provider


def sign_in(op: LocalProvider, email: str) -> tuple[Client, Any]:
    client = Client()
    start = client.get("/oidc/sign-in/")
    assert start.status_code == 302, start
    sent = query_of(start["Location"])
    assert sent["client_id"] == CLIENT_ID and sent["code_challenge_method"] == "S256"
    back = op.sign_in(start["Location"], email)
    assert back.startswith(CALLBACK)
    return client, client.get(back.removeprefix("http://testserver"), follow=True)


def signed_in_as(client: Client) -> Any:
    pk = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=pk) if pk else None


def page_text(answer: Any) -> str:
    return answer.content.decode()


def test_an_existing_person_signs_in_by_their_verified_email(op: LocalProvider, team: Any) -> None:
    ana = make_user("ana", team=team)
    op.add_user("ANA@example.com", "Ana Souza")
    client, answer = sign_in(op, "ANA@example.com")
    assert signed_in_as(client) == ana
    assert answer.status_code == 200 and answer.redirect_chain[-1][0].startswith("/queue")


def test_an_address_of_an_allowed_domain_gets_a_person(op: LocalProvider, db: Any) -> None:
    op.add_user("new.hire@acme.example", "New Hire")
    client, _ = sign_in(op, "new.hire@acme.example")
    user = signed_in_as(client)
    assert (user.username, user.get_full_name(), user.person.kind) == (
        "new.hire",
        "New Hire",
        "engineer",
    )
    assert not user.has_usable_password()


def test_an_uninvited_address_elsewhere_is_refused_with_the_reason(
    op: LocalProvider, db: Any
) -> None:
    op.add_user("mallory@evil.example", "Mallory")
    client, answer = sign_in(op, "mallory@evil.example")
    assert signed_in_as(client) is None
    assert "evil.example is not a domain that may join by itself" in page_text(answer)
    assert not get_user_model().objects.filter(email="mallory@evil.example").exists()


def test_an_unverified_address_is_refused(op: LocalProvider, team: Any) -> None:
    make_user("ana", team=team)
    op.add_user("ana@example.com", "Ana", verified=False)
    client, answer = sign_in(op, "ana@example.com")
    assert signed_in_as(client) is None
    assert "ana@example.com is not verified at the identity provider" in page_text(answer)


def test_a_deactivated_person_is_refused(op: LocalProvider, team: Any) -> None:
    ana = make_user("ana", team=team)
    ana.is_active = False
    ana.save()
    op.add_user("ana@example.com", "Ana")
    client, answer = sign_in(op, "ana@example.com")
    assert signed_in_as(client) is None
    assert "is deactivated" in page_text(answer)


def test_a_provider_that_is_down_gives_a_message_not_an_error(
    op: LocalProvider, settings: Any, db: Any
) -> None:
    settings.HERODESK_OIDC = OidcConfig(
        issuer="https://127.0.0.1:9", client_id="x", client_secret="y"
    )
    answer = Client().get("/oidc/sign-in/", follow=True)
    assert answer.status_code == 200
    assert "Single sign-on is unavailable right now" in page_text(answer)


def test_password_login_does_not_wait_for_the_provider(op: LocalProvider, team: Any) -> None:
    make_user("ana", team=team)
    op.server.clear()  # the provider vanishes
    client = Client()
    answer = client.post("/login/", {"username": "ana", "password": "pw-ana"})
    assert answer.status_code == 302 and signed_in_as(client).username == "ana"


def test_password_login_can_be_turned_off(op: LocalProvider, settings: Any, team: Any) -> None:
    make_user("ana", team=team)
    settings.HERODESK_OIDC = OidcConfig(
        issuer=op.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, password_login=False
    )
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "herodesk.web.oidc.PersonBackend",
    ]
    client = Client()
    page = page_text(client.get("/login/"))
    assert "Sign in with single sign-on" in page and 'name="password"' not in page
    answer = client.post("/login/", {"username": "ana", "password": "pw-ana"}, follow=True)
    assert "Password sign-in is off here" in page_text(answer)
    assert signed_in_as(client) is None


def test_an_invited_person_signing_in_by_sso_uses_up_the_invitation(
    op: LocalProvider, admin: Any
) -> None:
    from herodesk.teams.actions import person_invite

    person, invitation = person_invite(email="zoe@example.com", name="Zoe", actor=admin)
    op.add_user("zoe@example.com", "Zoe")
    client, _ = sign_in(op, "zoe@example.com")
    assert signed_in_as(client) == person.user
    invitation.refresh_from_db()
    assert invitation.used_at is not None
