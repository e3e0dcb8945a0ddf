"""A real OpenID Connect provider on a loopback port, for sign-in tests.

Built with pyop (the OpenID Provider library behind SATOSA): it parses and
validates authentication requests, issues codes, RS256-signed ID tokens and
access tokens, checks client secrets and PKCE, and answers userinfo. It runs
on pytest-httpserver (a Werkzeug server in a thread) over TLS with a
certificate from a throwaway CA made for the test session (providers are
https-only, and so is pyop), so the desk's client library talks real HTTPS to
it and a real browser can be sent to its sign-in page. Nothing in the desk's
client code is mocked.
"""

from __future__ import annotations

import datetime as dt
import html
import ipaddress
import json
import secrets
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from Cryptodome.PublicKey import RSA
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import BearerTokenError, InvalidAuthenticationRequest, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

CLIENT_ID = "herodesk-test"
CLIENT_SECRET = secrets.token_urlsafe(24)
_KEY = RSA.generate(2048)  # one per test session: RSA key generation is slow


def _cert(
    subject: str, key: Any, issuer: tuple[x509.Name, Any] | None, *, ca: bool
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[0] if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return builder.sign(issuer[1] if issuer else key, hashes.SHA256())


def tls_files(folder: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) for https://127.0.0.1."""
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _cert("HeroDesk test CA", ca_key, None, ca=True)
    leaf = _cert("127.0.0.1", key, (ca.subject, ca_key), ca=False)
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def serve_tls(folder: Path) -> Iterator[tuple[HTTPServer, Path]]:
    """An https server on loopback and the CA file that vouches for it (for a
    session-scoped fixture: `yield from serve_tls(tmp_path_factory.mktemp("tls"))`)."""
    ca, cert, key = tls_files(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    try:
        yield server, ca
    finally:
        server.clear()
        server.stop()


class LocalProvider:
    """An identity provider with a sign-in form that lists its users."""

    def __init__(self, server: HTTPServer, ca: Path, redirect_uris: list[str]) -> None:
        server.clear()
        self.server, self.ca = server, ca
        self.issuer = server.url_for("").rstrip("/")
        self.users: dict[str, dict[str, Any]] = {}
        self.clients = {
            CLIENT_ID: {
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_post",
            }
        }
        key = RSAKey(key=_KEY, alg="RS256", kid="test-key")
        config = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
            "code_challenge_methods_supported": ["S256"],
        }
        state = AuthorizationState(HashBasedSubjectIdentifierFactory(secrets.token_hex(8)))
        self.op = Provider(key, config, state, self.clients, Userinfo(self.users))
        self._route()

    def add_user(self, email: str, name: str = "", *, verified: bool = True) -> None:
        first, _, last = name.partition(" ")
        self.users[email] = {
            "email": email,
            "email_verified": verified,
            "name": name,
            "given_name": first,
            "family_name": last,
        }

    def add_redirect_uri(self, uri: str) -> None:
        self.clients[CLIENT_ID]["redirect_uris"].append(uri)

    # --- endpoints ------------------------------------------------------------------------

    def _route(self) -> None:
        s = self.server
        s.expect_request("/.well-known/openid-configuration").respond_with_handler(
            lambda r: _json(self.op.provider_configuration.to_dict())
        )
        s.expect_request("/jwks").respond_with_handler(lambda r: _json(self.op.jwks))
        s.expect_request("/authorize", method="GET").respond_with_handler(self._form)
        s.expect_request("/authorize", method="POST").respond_with_handler(self._authorize)
        s.expect_request("/token", method="POST").respond_with_handler(self._token)
        s.expect_request("/userinfo").respond_with_handler(self._userinfo)

    def _form(self, request: Request) -> Response:
        """The provider's own sign-in page: pick an account."""
        query = html.escape(request.query_string.decode())
        buttons = "".join(
            f'<button name="email" value="{html.escape(e)}">{html.escape(e)}</button>'
            for e in self.users
        )
        page = (
            "<!doctype html><title>Test identity provider</title><h1>Sign in</h1>"
            f'<form method="post"><input type="hidden" name="query" value="{query}">'
            f"{buttons}</form>"
        )
        return Response(page, content_type="text/html")

    def _authorize(self, request: Request) -> Response:
        try:
            authn = self.op.parse_authentication_request(request.form["query"])
        except InvalidAuthenticationRequest as exc:
            return Response(f"bad authentication request: {exc}", status=400)
        answer = self.op.authorize(authn, request.form["email"])
        return Response(status=302, headers={"Location": answer.request(authn["redirect_uri"])})

    def _token(self, request: Request) -> Response:
        try:
            answer = self.op.handle_token_request(
                request.get_data(as_text=True), dict(request.headers)
            )
        except OAuthError as exc:
            return _json({"error": exc.oauth_error, "error_description": str(exc)}, 400)
        return _json(answer.to_dict())

    def _userinfo(self, request: Request) -> Response:
        body = request.get_data(as_text=True) or request.query_string.decode()
        try:
            answer = self.op.handle_userinfo_request(body, dict(request.headers))
        except (BearerTokenError, OAuthError) as exc:
            return _json({"error": "invalid_token", "error_description": str(exc)}, 401)
        return _json(answer.to_dict())

    # --- a person at the provider (without a browser) ---------------------------------------

    def sign_in(self, authorize_url: str, email: str) -> str:
        """Choose `email` on the sign-in page; returns the redirect back to the desk."""
        parts = urlsplit(authorize_url)
        assert f"{parts.scheme}://{parts.netloc}" == self.issuer, authorize_url
        answer = requests.post(
            f"{self.issuer}/authorize",
            data={"query": parts.query, "email": email},
            allow_redirects=False,
            timeout=10,
            verify=str(self.ca),
        )
        assert answer.status_code == 302, answer.text
        return str(answer.headers["Location"])


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


__all__ = ["CLIENT_ID", "CLIENT_SECRET", "LocalProvider", "query_of", "urlencode"]
