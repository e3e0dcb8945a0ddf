"""docs/permissions.md is the permission model; this test reads its table and
sends every request listed there as each role, and checks that every API
operation and every desk page is listed.

yes: the answer is neither 401/403 nor the sign-in page (a 404, 409 or 422
about the request itself is still "allowed"); no: 401/403 or the sign-in page.
Each request runs in a savepoint that is rolled back, so one role's write
does not change what the next role sees.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

pytestmark = pytest.mark.django_db
DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"
ROLES = ("anonymous", "outsider", "member", "lead", "admin")
REQUEST = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) ([^`\s]+)(?: \[([a-z-]+)\])?`")
# Served to machines, checked by signature or secret token (the doc says so).
NOT_ROLES = ("admin/", "hooks/", "calendars/", "static/", "community/", "metrics")


COMMUNITY_HEADING = "## Community API"
COMMUNITY_ROLES = ("anonymous", "member", "asker", "moderator", "staff")


def table(text: str | None = None, roles: tuple[str, ...] = ROLES) -> list[dict[str, Any]]:
    rows = []
    if text is None:  # the desk's table: everything before the community section
        text = DOC.read_text().split(COMMUNITY_HEADING)[0]
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 + len(roles) or not REQUEST.search(cells[1]):
            continue
        for value in cells[2:]:
            assert value in ("yes", "no"), f"{cells[0]}: {value!r} is not yes/no"
        rows.append(
            {
                "action": cells[0],
                "requests": REQUEST.findall(cells[1]),
                "allowed": dict(zip(roles, (v == "yes" for v in cells[2:]), strict=True)),
            }
        )
    return rows


SITE_HEADING = "## Community site"
ROWS = table()
COMMUNITY_ROWS = table(
    DOC.read_text().split(COMMUNITY_HEADING)[1].split(SITE_HEADING)[0], COMMUNITY_ROLES
)
SITE_ROWS = table(DOC.read_text().split(SITE_HEADING)[1], COMMUNITY_ROLES)


@pytest.fixture
def world(team, other_team, admin, lead, hero, teammate, other_hero, outsider, paying_requester,
          settings, tmp_path) -> dict[str, Any]:  # fmt: skip
    from herodesk.intake import actions as rules
    from herodesk.intake.models import Attachment
    from herodesk.notify.models import HandoffReport
    from herodesk.playbooks.models import AppReview, PlaybookRun
    from herodesk.rotations.models import Override, SwapRequest, TimeOff
    from herodesk.security.models import SignInSession
    from herodesk.teams.actions import token_issue
    from herodesk.tickets import actions

    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()

    def ticket(t: Any) -> Any:
        return actions.ticket_create(
            subject="Export fails", body="It fails.", actor="t", team=t, requester=paying_requester
        )

    mine, unrouted, other = ticket(team), ticket(None), ticket(other_team)

    def run(t: Any) -> int:
        return int(PlaybookRun.objects.create(ticket=t, playbook="2fa-removal", started_at=now).pk)

    attachment = Attachment(
        message=other.messages.get(),
        filename="log.txt",
        content_type="text/plain",
        size=2,
        sha256="x" * 64,
        created_at=now,
    )
    attachment.file.save("log.txt", ContentFile(b"ok"), save=True)
    users = {"outsider": outsider, "member": hero, "lead": lead, "admin": admin}
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    week = (now + timedelta(days=30), now + timedelta(days=31))

    def swap(requester: Any, counterpart: Any) -> int:
        return int(
            SwapRequest.objects.create(
                team=team,
                requester=requester,
                counterpart=counterpart,
                give_start=week[0],
                give_end=week[1],
                take_start=week[0] + timedelta(days=7),
                take_end=week[1] + timedelta(days=7),
                plan=[
                    {
                        "person": counterpart.user.username,
                        "start": week[0].isoformat(),
                        "end": week[1].isoformat(),
                    }
                ],
                created_at=now,
            ).pk
        )

    own: dict[str, dict[str, Any]] = {}
    for role, user in users.items():
        person = getattr(user, "person", None)
        own[role] = {
            "session": SignInSession.objects.filter(user=user).first().pk,
            "token": token_issue(user)[1],
            "token-id": token_issue(user, "second")[0].pk,
            "time-off": TimeOff.objects.create(
                person=person or hero.person, start=week[0], end=week[1], created_at=now
            ).pk,
            "swap": swap(person or hero.person, teammate.person),
            "asked": swap(teammate.person, person or hero.person),
        }
    own["anonymous"] = own["member"]
    return {
        "clients": clients,
        "own": own,
        "users": users,
        "team": team.slug,
        "other-team": other_team.slug,
        "ticket": mine.pk,
        "unrouted": unrouted.pk,
        "other-ticket": other.pk,
        "attachment": attachment.pk,
        "teammate": teammate.username,
        "stranger": other_hero.username,
        "macro": actions.macro_create(team=team, name="Hi", body="Hello", actor="t").pk,
        "rule": rules.routing_rule_save(team=team, actor="t", channel="github").pk,
        "repo": rules.routing_rule_save(
            team=team,
            actor="t",
            repository=rules.github_repository_save(full_name="acme/widgets", actor="t").full_name,
        ).repository,
        "other-rule": rules.routing_rule_save(team=other_team, actor="t", channel="slack").pk,
        "override": Override.objects.create(
            team=team, person=teammate.person, start=week[0], end=week[1], created_at=now
        ).pk,
        "run": run(mine),
        "other-run": run(other),
        "review": AppReview.objects.create(
            created_at=now,
            archive_name="app.zip",
            archive_sha256="0" * 64,
            archive_size=1,
            passed=True,
        ).pk,
        "report": HandoffReport.objects.create(
            team=other_team, instant=now, created_at=now, items=[]
        ).pk,
    }


def concrete(path: str, world: dict[str, Any], role: str) -> str:
    user = world["users"].get(role)
    values = {**world, **world["own"][role], "self": user.username if user else "hera"}
    return re.sub(r"\{([a-z-]+)\}", lambda m: str(values[m[1]]), path)


def body(method: str, path: str, variant: str, world: dict[str, Any], role: str) -> Any:
    """What to send: enough to pass validation, so the role check is what answers."""
    later = (timezone.now() + timedelta(days=40)).isoformat()
    end = (timezone.now() + timedelta(days=41)).isoformat()
    user = world["users"].get(role)
    person = {"self": user.username if user else "hera"}.get(variant, variant)
    person = {"teammate": world["teammate"], "stranger": world["stranger"]}.get(person, person)
    api: dict[str, Any] = {
        "/tickets": {
            "subject": "New",
            "body": "Hello",
            **({"team": world[variant]} if variant in ("team", "other-team") else {}),
        },
        "/replies": {"body": "Hello"},
        "/notes": {"body": "Note"},
        "/status": {"status": "pending"},
        "/assign": {"assignee": None},
        "/tier": {"tier": 2},
        "/merge": {"into": world["unrouted"]},
        "/playbooks": {"playbook": "2fa-removal", "inputs": {}},
        "/remove-device": {"note": "done"},
        "/cancel": {"reason": "not needed"},
        "/time-off": {"start": later, "end": end},
        "/working-hours": {"time_zone": "Europe/London"},
        "/swaps": {"team": world["team"], "counterpart": world["teammate"]},
        "/overrides": {"person": person, "start": later, "end": end},
        "/rotation": {"members": ["hera", "tim"], "start": later},
        "/routing-rules": {"team": world.get(variant, world["team"]), "channel": "github"},
        "/routing-rules/": {"name": "renamed"},
    }
    if not path.startswith("/api/"):
        return {
            "body": "Hello",
            "kind": "note",
            "status": "pending",
            "assignee": "-",
            "tier": "2",
            "playbook": "2fa-removal",
            "reason": "checking",
        }
    if "/swaps/" in path and path.endswith("/cancel"):
        return None
    if path.endswith(("/accept", "/decline", "/calendar-feed")) or method == "DELETE":
        return None
    if "/teams/" in path and method == "PATCH":
        return {"name": "Renamed"}
    if "/members/" in path and method == "PUT":
        return {"role": "member"}
    team = {"team": world[variant]} if variant in ("team", "other-team") else {}
    setup = {
        "/api/v1/people": {"email": "new.person@example.com", **team},
        "/api/v1/github-repositories": {"full_name": "acme/new", **team},
        "/api/v1/tokens": {"name": "script"},
        "/api/v1/teams": {"slug": "new-team", "name": "New team"},
    }
    if path in setup:
        return setup[path]
    for suffix in sorted(api, key=len, reverse=True):
        if path.endswith(suffix) or (suffix == "/routing-rules/" and "/routing-rules/" in path):
            return api[suffix]
    return {}


EMAIL = (
    b"From: Ana <ana@acme.example>\r\nTo: support@herodesk.localhost\r\n"
    b"Subject: Help\r\nMessage-ID: <perm.1@acme.example>\r\n\r\nHelp\r\n"
)
REPORT = Path(__file__).resolve().parents[2] / "intake" / "bugreport" / "fixtures"


def send(world: dict[str, Any], role: str, method: str, raw: str, variant: str) -> Any:
    path = concrete(raw, world, role)
    data = body(method, raw, variant, world, role)
    if path.startswith("/api/"):
        client = Client()
        token = world["own"][role]["token"] if role != "anonymous" else None
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        if path == "/api/v1/email":
            return client.post(path, EMAIL, content_type="message/rfc822", **headers)
        if path == "/api/v1/app-reviews":
            from django.core.files.uploadedfile import SimpleUploadedFile

            archive = SimpleUploadedFile("app.zip", b"not a zip", "application/zip")
            form = {"archive": archive, "ticket": world[variant]}
            return client.post(path, form, **headers)
        if path == "/api/v1/bug-reports":
            report = (REPORT / "bug_button.json").read_bytes()
            return client.post(path, report, content_type="application/json", **headers)
        payload = json.dumps(data) if data is not None and method != "GET" else None
        kwargs = {"data": payload, "content_type": "application/json"} if payload else {}
        return getattr(client, method.lower())(path, **kwargs, **headers)
    client = world["clients"][role]
    if method == "GET":
        return client.get(path)
    return client.post(path, data)


def allowed(response: Any) -> bool:
    """Neither refused (401/403) nor sent to sign in first (signing out does go
    to the sign-in page, without a ?next=)."""
    if response.status_code in (401, 403, 429):
        return False
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return not (location.startswith(("/login/", "/admin/login/")) and "next=" in location)


@pytest.mark.parametrize("row", ROWS, ids=[r["action"] for r in ROWS])
def test_each_role_gets_what_the_table_says(world: dict[str, Any], row: dict[str, Any]) -> None:
    wrong = []
    for method, raw, variant in row["requests"]:
        for role in ROLES:
            with transaction.atomic():
                response = send(world, role, method, raw, variant)
                transaction.set_rollback(True)
            if allowed(response) != row["allowed"][role]:
                expected = "yes" if row["allowed"][role] else "no"
                wrong.append(f"{method} {raw} [{variant}] as {role}: {response.status_code}, "
                             f"table says {expected}")  # fmt: skip
    assert not wrong, "\n".join(wrong)


def _route(path: str) -> str:
    try:
        return resolve(path.split("?")[0]).route
    except Resolver404:
        raise AssertionError(f"{path} in docs/permissions.md is no URL of the desk") from None


def test_every_endpoint_and_page_is_in_the_table() -> None:
    from django.urls import get_resolver

    from herodesk.api.main import api

    listed: set[tuple[str, str]] = set()
    pages: set[str] = set()
    for row in ROWS:
        for method, raw, _variant in row["requests"]:
            path = re.sub(r"\{[a-z-]+\}", "1", raw)
            route = _route(path)
            listed.add((method, route))
            pages.add(route)
    missing = []
    for path, item in api.get_openapi_schema()["paths"].items():
        for method in item:
            route = _route(re.sub(r"\{[^}]+\}", "1", path))
            if (method.upper(), route) not in listed:
                missing.append(f"{method.upper()} {path}")

    def walk(patterns: Any, prefix: str = "") -> None:
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, prefix + str(p.pattern))
                continue
            route = prefix + str(p.pattern)
            if route.startswith(("api/", *NOT_ROLES)) or route.startswith("^"):
                continue
            if route not in pages:
                missing.append(f"page /{route}")

    walk(get_resolver().url_patterns)
    assert not missing, "not in docs/permissions.md:\n" + "\n".join(missing)


# The community API ---------------------------------------------------------------------


@pytest.fixture
def community(hero: Any) -> dict[str, Any]:
    from django.core.cache import cache

    from herodesk.community import actions, mail
    from herodesk.community.authors import Author
    from herodesk.community.models import Topic
    from herodesk.community.tests.conftest import make_account
    from herodesk.teams.actions import token_issue

    cache.clear()  # rate-limit counts of earlier tests in this process
    accounts = {
        "member": make_account("mia@example.org"),
        "asker": make_account("ash@example.org"),
        "moderator": make_account("moe@example.org", role="moderator"),
    }
    topic = Topic.objects.create(slug="pipelines", name="Pipelines")
    question = actions.question_ask(
        Author(account=accounts["asker"]), page="/docs/x", title="How?", body="Tell me.",
        topic="pipelines",
    )  # fmt: skip
    answer = actions.answer_post(question, Author(account=accounts["member"]), body="Like so.")
    tokens = {role: actions.account_token_create(a) for role, a in accounts.items()}
    tokens["staff"] = token_issue(hero)[1]
    clients = {"anonymous": Client(), "staff": Client()}
    clients["staff"].force_login(hero)
    for role, account in accounts.items():
        clients[role] = Client()
        r = clients[role].post(
            "/community/login/", {"email": account.email, "password": "pw-" + account.email}
        )
        assert r.status_code == 302, r.content
    yield {
        "question": question.pk,
        "answer": answer.pk,
        "topic": topic.slug,
        "unsubscribe": mail.unsubscribe_token(question.pk),
        "tokens": tokens,
        "accounts": accounts,
        "clients": clients,
    }
    cache.clear()


def community_body(method: str, path: str, role: str, world: dict[str, Any]) -> Any:
    if path.endswith("/accounts"):
        return {"email": f"new-{role}@example.org", "name": "New", "password": "pw-long-enough-1"}
    if path.endswith("/tokens"):
        return {"email": "mia@example.org", "password": "pw-mia@example.org"}
    if path.endswith("/questions"):
        return {"page": "/docs/x", "title": f"Asked by {role}", "body": "Why?"}
    if path.endswith("/answers"):
        return {"body": "Like this."}
    if method == "PATCH":
        return {"title": "How, exactly?"}
    return None


@pytest.mark.parametrize("row", COMMUNITY_ROWS, ids=[r["action"] for r in COMMUNITY_ROWS])
def test_each_community_role_gets_what_the_table_says(
    community: dict[str, Any], row: dict[str, Any]
) -> None:
    wrong = []
    for method, raw, _variant in row["requests"]:
        path = raw.replace("{question}", str(community["question"]))
        for role in COMMUNITY_ROLES:
            token = community["tokens"].get(role)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
            data = community_body(method, raw, role, community)
            if data is None and method != "GET":
                data = {}
            kwargs = (
                {"data": json.dumps(data), "content_type": "application/json"}
                if data is not None
                else {}
            )
            with transaction.atomic():
                response = getattr(Client(), method.lower())(path, **kwargs, **headers)
                transaction.set_rollback(True)
            assert response.status_code < 500, (raw, role, response.content)
            if allowed(response) != row["allowed"][role]:
                expected = "yes" if row["allowed"][role] else "no"
                wrong.append(f"{method} {raw} as {role}: {response.status_code} "
                             f"{response.content[:120]!r}, table says {expected}")  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_every_community_endpoint_is_in_its_table() -> None:
    from herodesk.api.community import community_api

    listed = {
        (method, re.sub(r"\{[a-z-]+\}", "{}", raw.split("?")[0]))
        for row in COMMUNITY_ROWS
        for method, raw, _variant in row["requests"]
    }
    missing = [
        f"{method.upper()} /community/api{path}"
        for path, item in community_api.get_openapi_schema()["paths"].items()
        for method in item
        if (method.upper(), re.sub(r"\{[^}]+\}", "{}", path)) not in listed
    ]
    assert not missing, "not in docs/permissions.md (Community API):\n" + "\n".join(missing)


def refused_by_the_site(response: Any) -> bool:
    """403, or sent to the community sign-in page to come back (?next=)."""
    if response.status_code in (401, 403):
        return True
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return location.startswith("/community/login/") and "next=" in location


SITE_FORMS = {
    "/community/ask/": {"page": "/docs/x", "title": "Asked on the page", "body": "Why?"},
    "/community/q/{question}/": {"body": "An answer from the page."},
    "/community/q/{question}/edit/": {"title": "How, exactly?", "body": "Tell me.", "topic": ""},
    "/community/a/{answer}/edit/": {"body": "Like so, really."},
    "/community/verify/again/": {"email": "nobody@example.org"},
}


@pytest.mark.parametrize("row", SITE_ROWS, ids=[r["action"] for r in SITE_ROWS])
def test_each_role_on_the_community_site_gets_what_the_table_says(
    community: dict[str, Any], row: dict[str, Any]
) -> None:
    wrong = []
    for method, raw, variant in row["requests"]:
        path = re.sub(r"\{([a-z-]+)\}", lambda m: str(community[m[1]]), raw)
        for role in COMMUNITY_ROLES:
            client = community["clients"][role]
            with transaction.atomic():
                if method == "GET":
                    response = client.get(path)
                else:
                    data = {"action": variant} if variant else SITE_FORMS.get(raw, {})
                    response = client.post(path, data)
                transaction.set_rollback(True)
            assert response.status_code < 500, (raw, role, response.content[:300])
            if refused_by_the_site(response) == row["allowed"][role]:
                expected = "yes" if row["allowed"][role] else "no"
                wrong.append(f"{method} {raw} [{variant}] as {role}: {response.status_code} "
                             f"{response.get('Location', '')}, table says {expected}")  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_every_community_page_is_in_its_table() -> None:
    from herodesk.web.community.urls import urlpatterns

    listed = {
        _route(re.sub(r"\{[a-z-]+\}", "1", raw))
        for row in SITE_ROWS
        for _m, raw, _v in row["requests"]
    }
    missing = [
        f"/community/{p.pattern}" for p in urlpatterns if f"community/{p.pattern}" not in listed
    ]
    assert not missing, "not in docs/permissions.md (Community site):\n" + "\n".join(missing)
