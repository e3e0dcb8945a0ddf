"""The search page's rows, rendered in Python, write what its template wrote.

REFERENCE is the row loop the search template had before the rows moved to
`web/rows.py` (fifty rows through the template engine cost about a third of the
page); both are rendered for tickets with and without a requester, an
organization, a team and a snippet, with text that needs escaping: the
template from the tickets, the Python rows from the tickets' `values()` rows
(`SearchRow.of`, what the page loads).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from herodesk.customers.models import Organization, Requester
from herodesk.teams.models import Team
from herodesk.tickets.models import Ticket
from herodesk.web import rows
from herodesk.web.tests.conftest import make_ticket

REFERENCE = """{% load desk %}{% for t, found in rows %}<tr data-href="{% url 'ticket' t.pk %}">
      <td><span class="tier t{{ t.tier }}">T{{ t.tier }}</span></td>
      <td class="subj"><svg class="icon ch" role="img" aria-label="{{ t.get_channel_display }}"><use href="#i-{{ t.channel|channel_icon }}"/></svg><a href="{% url 'ticket' t.pk %}" class="open">{{ t.subject }}</a> <span class="id">#{{ t.pk }}</span> <span class="status s-{{ t.status }}">{{ t.get_status_display }}</span>{% if found %}<small class="snippet">{% for text, marked in found %}{% if marked %}<mark>{{ text }}</mark>{% else %}{{ text }}{% endif %}{% endfor %}</small>{% endif %}</td>
      <td class="col-req">{{ t.requester|default:"—" }}{% if t.requester.organization %}<small>{{ t.requester.organization.name }}</small>{% endif %}</td>
      <td>{{ t.team.name|default:"Unrouted" }}</td>
      <td><time datetime="{{ t.created_at|date:'c' }}">{{ t.created_at|date:"j M Y" }}</time></td>
    </tr>{% endfor %}"""  # noqa: E501


def tickets() -> list[tuple[Ticket, Any]]:
    org = Organization(name="Acme & <Sons>")
    with_org = Requester(name='Ana "A" Lovelace', email="ana@acme.com", organization=org)
    bare = Requester(email="bob@example.com")
    team = Team(slug="pipeline", name="Pipeline <team>")
    at = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    return [
        (
            Ticket(pk=7, tier=1, channel="email", status="open", subject="Export <b>broken</b>",
                   requester=with_org, team=team, created_at=at),
            [("…", False), ("the ", False), ("export", True), (" of <x> & y", False)],
        ),
        (
            Ticket(pk=12345, tier=5, channel="slack", status="solved", subject="a & b",
                   requester=bare, team=None, created_at=at),
            None,
        ),
        (
            Ticket(pk=3, tier=0, channel="github", status="closed", subject="",
                   requester=None, team=team, created_at=datetime(2025, 3, 1, tzinfo=UTC)),
            [],
        ),
    ]  # fmt: skip


def values(t: Ticket) -> dict[str, Any]:
    """`t` as `values(*SEARCH_ROW_FIELDS)` reads it (ids stand in for the unsaved relations)."""
    r, team = t.requester, t.team
    org = r.organization if r else None
    return {
        "id": t.pk, "tier": t.tier, "channel": t.channel, "subject": t.subject,
        "status": t.status, "created_at": t.created_at,
        "team": 1 if team else None, "team__name": team.name if team else None,
        "requester": 2 if r else None, "requester__name": r.name if r else None,
        "requester__email": r.email if r else None,
        "requester__github_login": r.github_login if r else None,
        "requester__organization": 3 if org else None,
        "requester__organization__name": org.name if org else None,
    }  # fmt: skip


def as_rows(found: list[tuple[Ticket, Any]]) -> list[tuple[rows.SearchRow, Any]]:
    return [(rows.SearchRow.of(values(t)), snippet) for t, snippet in found]


def test_search_rows_write_the_markup_of_the_template_they_replace() -> None:
    found = tickets()
    html = str(rows.search_rows(as_rows(found)))
    assert html == Template(REFERENCE).render(Context({"rows": found}))


def test_search_rows_show_dates_in_the_current_time_zone() -> None:
    found = tickets()
    with timezone.override("Pacific/Auckland"):  # 31 Jan 23:30 UTC is 1 Feb there
        html = str(rows.search_rows(as_rows(found)))
        assert html == Template(REFERENCE).render(Context({"rows": found}))
    assert '<time datetime="2026-02-01T12:30:00+13:00">1 Feb 2026</time>' in html


@pytest.mark.parametrize("language", ["en", "de"])
def test_search_rows_write_every_month_and_year_as_the_date_filter(language: str) -> None:
    """The day is written from a month table made once a page, not by
    `dateformat` per row: the same text for each month (translated), day
    numbers without a leading zero, years before 1000 with four digits."""
    dates = [(2026, m, 1 + 2 * m) for m in range(1, 13)] + [(987, 7, 4), (2025, 12, 31)]
    days = [datetime(y, m, d, 12, tzinfo=UTC) for y, m, d in dates]
    found = [
        (Ticket(pk=i + 1, tier=3, channel="email", status="open", subject="s", created_at=at), None)
        for i, at in enumerate(days)
    ]
    with translation.override(language):
        html = str(rows.search_rows(as_rows(found)))
        assert html == Template(REFERENCE).render(Context({"rows": found}))
    assert ">4 Jul 0987</time>" in html or language != "en"


@pytest.mark.django_db
def test_search_row_names_the_requester_as_str_does() -> None:
    people = [
        Requester.objects.create(name="Ana", email="ana@x.example", github_login="ana"),
        Requester.objects.create(email="bob@x.example", github_login="bob"),
        Requester.objects.create(github_login="octo"),
        Requester.objects.create(),
    ]
    for r in people:
        v = Requester.objects.filter(pk=r.pk).values("id", "name", "email", "github_login").get()
        row = values(Ticket(pk=1, tier=3, channel="email", status="new", subject="s"))
        row.update({f"requester__{k}": v[k] for k in ("name", "email", "github_login")})
        row["requester"] = r.pk
        assert rows.SearchRow.of(row).requester == str(r)


def test_search_rows_escape_what_people_typed() -> None:
    html = str(rows.search_rows(as_rows(tickets())))
    assert "<b>" not in html and "&lt;b&gt;broken&lt;/b&gt;" in html
    assert "Acme &amp; &lt;Sons&gt;" in html and "<x>" not in html
    assert "<mark>export</mark>" in html


@pytest.mark.django_db
def test_the_search_page_costs_the_same_queries_for_2_or_12_results(
    login: Any, hero: Any, team: Any, paying_requester: Any, free_requester: Any
) -> None:
    """It loads only what the rows show (web.search.PAGE_COLUMNS), none of it per row."""
    bare = Requester.objects.create(github_login="octo")  # no name, email or organization
    make_ticket(team, paying_requester, subject="Webhook retries")
    make_ticket(None, bare, subject="Webhook for nobody")  # no team: "Unrouted"
    client = login(hero)
    with CaptureQueriesContext(connection) as small:
        res = client.get("/search/?q=webhook")
    html = res.content.decode()
    assert html.count("<tr data-href=") == 2 and "Unrouted" in html and ">octo<" in html
    for i in range(10):
        make_ticket(team, free_requester if i % 2 else bare, subject=f"Webhook {i}")
    with CaptureQueriesContext(connection) as large:
        html = client.get("/search/?q=webhook").content.decode()
    assert html.count("<tr data-href=") == 12 and "<small>Tiny</small>" in html
    assert len(large) == len(small), [q["sql"][:80] for q in large.captured_queries]
