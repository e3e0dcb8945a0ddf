"""/reports/: team picker, range, group-by, charts with tables, hero-weeks; a hero's
own weeks on the schedule page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from herodesk.reports.tests import scenario

pytestmark = pytest.mark.django_db
NOW = scenario.START + timedelta(days=25)
RANGE = "team=pipeline&start=2026-03-02&end=2026-03-22"


@pytest.fixture
def history(team: Any, hero: Any, teammate: Any, lead: Any) -> Any:
    scenario.rotation(team, [hero, teammate], lead)
    return scenario.history(team, hero)


@time_machine.travel(NOW, tick=False)
def test_the_page_draws_four_charts_each_with_its_table(
    login: Any, hero: Any, history: Any
) -> None:
    res = login(hero).get(f"/reports/?{RANGE}&group_by=channel")
    assert res.status_code == 200
    html = res.content.decode()
    assert html.count('role="img"') == 4
    assert html.count("<details>") == 4
    for title in (
        "First response time per week",
        "First responses by grade",
        "Arrivals by channel",
    ):
        assert title in html
    assert "Hera · 2 Mar – 9 Mar 2026" in html and "Lena · 4 Mar – 5 Mar 2026" in html
    assert "By channel" in html and ">GitHub<" in html
    # Next replies next to the first-response figures, in both tables.
    assert html.count(">Next replies</th>") == 2
    from herodesk.reports import queries

    days = scenario.z(2026, 3, 2), scenario.z(2026, 3, 23)  # the form's dates (GMT)
    report = queries.report(history[0].team, *days, "channel", now=NOW)
    github = next(r.figures for r in report.rows if r.key == "github")
    assert github.next_replies and github.nrt_mean is not None
    assert github.nrt_calendar_mean is not None
    row = html.rsplit(">GitHub</th>", 1)[1].split("</tr>", 1)[0]  # the last table's
    assert (
        f"<td>{github.next_replies}</td><td>{github.nrt_mean:.1f}</td>"
        f"<td>{github.nrt_calendar_mean:.1f}</td>"
    ) in row
    assert "/api/v1/reports.csv?team=pipeline" in html and "group_by=channel" in html
    assert "Europe/London" in html
    assert 'style="' not in html.split("<main", 1)[1]  # CSP: no inline styles


@time_machine.travel(NOW, tick=False)
def test_a_team_without_tickets_says_what_to_do(login: Any, hero: Any, other_team: Any) -> None:
    html = login(hero).get("/reports/?team=monitoring").content.decode()
    assert "No tickets arrived for Monitoring" in html
    assert "No data in this range" in html
    assert "Set one up under Team settings" in html


def test_bad_input_is_a_400_with_the_reason(login: Any, hero: Any, team: Any) -> None:
    client = login(hero)
    res = client.get("/reports/?team=pipeline&start=March")
    assert res.status_code == 400 and "dates must look like 2026-03-02" in res.content.decode()
    res = client.get("/reports/?team=nope")
    assert res.status_code == 400 and "there is no team" in res.content.decode()
    res = client.get("/reports/?team=pipeline&group_by=month")
    assert res.status_code == 400 and "group_by must be one of" in res.content.decode()


def test_outsiders_get_the_403_page(login: Any, outsider: Any, team: Any) -> None:
    assert login(outsider).get("/reports/").status_code == 403


@time_machine.travel(scenario.START + timedelta(days=9), tick=False)
def test_a_hero_sees_their_own_weeks_on_the_schedule_page(
    login: Any, hero: Any, history: Any
) -> None:
    html = login(hero).get("/schedule/").content.decode()
    section = html.split('id="myweeks-title"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">", section)
    assert len(rows) == 1  # hera's first turn; the override was lena's
    assert "Pipeline" in section and "Mon 2 Mar" in section
