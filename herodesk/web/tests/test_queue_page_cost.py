"""The queue page's fixed cost: which statements a page makes (each table read
once), rows as tuples that say what the models say, prepared first pages equal
to the ORM's, and the prepared per-request reads (session, person, memberships)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from herodesk.customers.models import Organization, Requester
from herodesk.teams import access
from herodesk.tickets import actions, queries
from herodesk.tickets.models import Ticket
from herodesk.web import rows
from herodesk.web.present import initials
from herodesk.web.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db

TABLES = re.compile(r'FROM "(\w+)"')


def _tables(ctx: CaptureQueriesContext) -> list[str]:
    """The table each statement reads first (the counts are raw SQL: `counts`)."""
    out = []
    for q in ctx.captured_queries:
        sql = q["sql"]
        if "COUNT(*)" in sql and "FILTER" in sql:
            out.append("counts")
            continue
        found = TABLES.search(sql)
        out.append(found.group(1) if found else sql[:40])
    return out


@pytest.fixture
def variety(team: Any, hero: Any, teammate: Any) -> list[Any]:
    """Tickets whose rows take every branch: no requester, a requester with only
    an e-mail or only a GitHub login, organizations with and without
    self-hosting, assignees with and without a full name, each status."""
    teammate.first_name, teammate.last_name = "", ""
    teammate.save()
    hosted = Organization.objects.create(name="Self <& Co>", plan="enterprise", self_hosted=True)
    plain = Organization.objects.create(name="Plain", plan="free")
    requesters = [
        None,
        Requester.objects.create(email="only@mail.example"),
        Requester.objects.create(email="", github_login="octo<cat>"),
        Requester.objects.create(email="x@hosted.example", name='Ann "A"', organization=hosted),
        Requester.objects.create(email="y@plain.example", name="Bo", organization=plain),
    ]
    made = []
    for i in range(10):
        ticket = make_ticket(
            team, requesters[i % 5], subject=f"Row <{i}> & more", tier=i % 6,
            channel=["email", "slack", "github"][i % 3], assignee=[None, hero, teammate][i % 3],
        )  # fmt: skip
        made.append(ticket)
    actions.ticket_set_status(made[1], "pending", actor=hero)
    actions.ticket_set_status(made[2], "open", actor=hero)
    return made


def test_tuple_rows_show_what_the_models_show(variety: Any, team: Any, hero: Any) -> None:
    """Each row, built from plain columns, shows the model's own values: the
    requester's str(), the organization's plan label, the assignee's full name
    or username and initials, the status label, the tier label."""
    page, _ = queries.queue(view="team", team=team, user=hero, columns=rows.QUEUE_COLUMNS)
    html = str(rows.queue_rows(page, timezone.now()))
    by_id = {t.pk: t for t in Ticket.objects.filter(pk__in=[r[3] for r in page])}
    assert len(by_id) == len(variety) - 1  # the pending one is not on the team view
    for chunk in html.split("</tr>")[:-1]:
        t = by_id[int(re.search(r'data-id="(\d+)"', chunk).group(1))]  # type: ignore[union-attr]
        assert f'class="tname">{escape(t.tier_label)}</span>' in chunk
        assert f">{escape(t.subject)}</a>" in chunk
        assert ('class="is-new"' in chunk) == (t.status == "new")
        if t.status not in ("open",):
            assert f'<span class="status s-{t.status}">{t.get_status_display()}</span>' in chunk
        r = t.requester
        assert f'<td class="col-req">{escape(str(r)) if r else "—"}' in chunk
        if r is not None and r.organization is not None:
            org = r.organization
            extra = f"{escape(org.name)} · {org.get_plan_display()}"
            extra += " · self-hosted" if org.self_hosted else ""
            assert f"<small>{extra}</small>" in chunk
        a = t.assignee
        if a is None:
            assert "Unassigned" in chunk
        else:
            name = a.get_full_name() or a.get_username()
            assert f'aria-hidden="true">{escape(initials(a))}</span> {escape(name)}' in chunk
    assert "octo&lt;cat&gt;" in html and "self-hosted" in html and "Unassigned" in html


@pytest.mark.parametrize("view", ["team", "mine", "unassigned", "pending"])
@pytest.mark.parametrize("scope", ["team", "unrouted", "all"])
def test_prepared_first_pages_equal_the_orms(
    variety: Any, team: Any, hero: Any, view: str, scope: str
) -> None:
    """A first page without filters goes through prepared queries; `where=Q()`
    (no filter) takes the ORM's path: the same rows, the same next cursor."""
    if scope == "all" and view != "mine":
        return
    for t in variety[:4]:  # some unrouted ones too
        make_ticket(None, t.requester, subject=f"unrouted {t.pk}", assignee=t.assignee)
    kwargs: dict[str, Any] = {"view": view, "user": hero, "columns": rows.QUEUE_COLUMNS}
    if scope == "team":
        kwargs["team"] = team
    kwargs["unrouted"] = scope == "unrouted"
    for limit in (2, 50):
        prepared = queries.queue(limit=limit, **kwargs)
        orm = queries.queue(limit=limit, where=Q(), **kwargs)
        assert prepared == orm, (view, scope, limit)
        tickets, cursor = queries.queue(limit=limit, **{**kwargs, "columns": ()})
        assert [r[3] for r in prepared[0]] == [t.pk for t in tickets]
        assert prepared[1] == cursor


def test_the_queue_page_reads_each_table_once(login: Any, hero: Any, variety: Any) -> None:
    """Session, user, person, teams, the page's rows, the counts, the members to
    assign to, the memberships: one statement each (the person is not read twice;
    "Mine" on SQLite walks each status: three row statements)."""
    client = login(hero)
    client.get("/queue/pipeline/")  # the session's first visit notes its activity
    expected = [
        "django_session", "auth_user", "teams_person", "teams_team", "tickets_ticket",
        "counts", "teams_person", "teams_membership",
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/queue/pipeline/").status_code == 200
    assert _tables(ctx) == expected, [q["sql"][:90] for q in ctx.captured_queries]
    with CaptureQueriesContext(connection) as mine:
        assert client.get("/queue/pipeline/?view=mine").status_code == 200
    walks = 1 if connection.features.supports_slicing_ordering_in_compound else 3
    rows_at = expected.index("tickets_ticket")
    want = [*expected[:rows_at], *["tickets_ticket"] * walks, *expected[rows_at + 1 :]]
    assert _tables(mine) == want, [q["sql"][:90] for q in mine.captured_queries]
    # the second teams_person is the bulk-assign list (members of the team)
    assert "auth_user" in ctx.captured_queries[6]["sql"]


def test_the_fixed_reads_of_a_desk_page(login: Any, hero: Any, outsider: Any) -> None:
    """What any signed-in desk page reads before its own work: the session, the
    user, the person (once, also when there is none), the memberships (once)."""
    client = login(hero)
    client.get("/queue/unrouted/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/queue/unrouted/").status_code == 200
    tables = _tables(ctx)
    for table in ("django_session", "auth_user", "teams_person", "teams_membership"):
        assert tables.count(table) == 1, tables
    stranger = login(outsider)
    with CaptureQueriesContext(connection) as ctx:
        assert stranger.get("/queue/unrouted/").status_code == 403
    assert _tables(ctx) == ["django_session", "auth_user", "teams_person"]


def test_is_agent_caches_the_person_or_its_absence(hero: Any, outsider: Any) -> None:
    from django.contrib.auth import get_user_model

    hero, outsider = (get_user_model().objects.get(pk=u.pk) for u in (hero, outsider))
    for user, agent in ((hero, True), (outsider, False)):
        with CaptureQueriesContext(connection) as ctx:
            assert access.is_agent(user) is agent
            assert access.is_agent(user) is agent
            assert hasattr(user, "person") is agent
        assert len(ctx) == 1
    assert hero.person.user is hero
    assert hero.person.time_zone == "Europe/London"
    # request.user is lazy: the person is cached on the user it wraps
    from django.utils.functional import SimpleLazyObject

    real = get_user_model().objects.get(pk=hero.pk)
    lazy = SimpleLazyObject(lambda: real)
    with CaptureQueriesContext(connection) as ctx:
        assert access.is_agent(lazy) and real.person.user is real and lazy.person is real.person
    assert len(ctx) == 1


def test_an_expired_session_is_no_session(login: Any, hero: Any) -> None:
    """The prepared session read keeps Django's expiry test (`expire_date > now`)."""
    from importlib import import_module

    assert settings.SESSION_ENGINE == "herodesk.security.sessions"
    client = login(hero)
    assert client.get("/queue/pipeline/").status_code == 200
    key = client.session.session_key
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    assert store.load()["_auth_user_id"] == str(hero.pk)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    assert store.load() == {} and store.session_key is None
    res = client.get("/queue/pipeline/")
    assert res.status_code == 302 and "/login/" in res["Location"]
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key="no-such-key-at-all")
    assert store.load() == {} and store.session_key is None
