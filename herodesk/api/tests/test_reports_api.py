"""/api/v1/reports: figures recomputed from the tickets, CSV = JSON, roles and errors."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone

from herodesk.reports import export
from herodesk.reports.tests import scenario
from herodesk.rotations import queries as rotations
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

START, END = scenario.START, scenario.START + timedelta(days=21)
NOW = scenario.START + timedelta(days=25)
Q = urlencode({"team": "pipeline", "start": START.isoformat(), "end": END.isoformat()})


@pytest.fixture
def history(team: Any, hero: Any, teammate: Any, lead: Any) -> Any:
    scenario.rotation(team, [hero, teammate], lead)
    return scenario.history(team, hero)


@pytest.fixture
def api(hero: Any, api_as: Any) -> Any:
    return api_as(hero)


def close(got: float | None, want: float | None) -> bool:
    return got == want if want is None or got is None else abs(got - want) <= 0.05 + 1e-9


@time_machine.travel(NOW, tick=False)
def test_json_equals_the_figures_recomputed_from_the_tickets(
    team: Any, history: Any, api: Any
) -> None:
    for group_by in ("week", "hero_week", "channel", "tier"):
        res = api.get(f"reports?{Q}&group_by={group_by}")
        assert res.status_code == 200, res.content
        body = res.json()
        assert (body["team"], body["group_by"], body["time_zone"]) == (
            "pipeline",
            group_by,
            "Europe/London",
        )
        want = scenario.recomputed(team, START, END, group_by, NOW)
        assert sorted(r["key"] for r in body["rows"]) == sorted(want)
        for row in body["rows"]:
            w = want[row["key"]]
            assert row["created"] == w.created and row["first_responses"] == w.first_responses
            assert row["attainment"] == {
                "great": w.attainment.great,
                "okay": w.attainment.okay,
                "slow": w.attainment.slow,
                "too_late": w.attainment.too_late,
            }
            assert (row["breaches"], row["solved"], row["backlog_end"]) == (
                w.breaches,
                w.solved,
                w.backlog_end,
            )
            assert row["next_replies"] == w.next_replies
            for name in (
                "nrt_mean",
                "nrt_calendar_mean",
                "frt_p50",
                "frt_p90",
                "frt_calendar_p50",
                "mttr_mean",
                "mttr_p50",
                "mttr_p90",
            ):
                assert close(row[name], getattr(w, name)), (group_by, row["key"], name)


@time_machine.travel(NOW, tick=False)
def test_csv_has_the_same_rows_as_json(history: Any, api: Any) -> None:
    for group_by in ("week", "hero_week", "channel"):
        rows = api.get(f"reports?{Q}&group_by={group_by}").json()["rows"]
        res = api.get(f"reports.csv?{Q}&group_by={group_by}")
        assert res.status_code == 200 and res["Content-Type"].startswith("text/csv")
        assert "attachment;" in res["Content-Disposition"]
        lines = list(csv.DictReader(io.StringIO(b"".join(res.streaming_content).decode())))
        assert [list(line) for line in lines[:1]] == [list(export.ROW_COLUMNS)]
        want = [{k: "" if v is None else str(v) for k, v in export.flat(r).items()} for r in rows]
        assert lines == want


@time_machine.travel(NOW, tick=False)
def test_tickets_csv_gives_each_tickets_own_figures_and_hero(
    team: Any, history: Any, api: Any
) -> None:
    res = api.get(f"reports/tickets.csv?{Q}")
    assert res.status_code == 200
    lines = list(csv.DictReader(io.StringIO(b"".join(res.streaming_content).decode())))
    assert len(lines) == 50
    schedule = rotations.schedule_for(team, START, END)
    for line in lines:
        t = Ticket.objects.get(pk=int(line["id"]))
        assert line["hero"] == (schedule.who(t.created_at).person or "")
        assert line["first_response_grade"] == t.first_response_grade
        if t.first_response_minutes is not None:
            assert float(line["first_response_minutes"]) == round(t.first_response_minutes, 1)
        assert (line["solved_at"] != "") == (t.solved_at is not None)
        assert int(line["next_replies"]) == t.next_replies
        if t.next_replies:
            assert float(line["next_reply_calendar_minutes"]) == round(
                t.next_reply_calendar_minutes, 1
            )
            assert t.next_reply_calendar_minutes >= t.next_reply_minutes
    assert sum(int(line["next_replies"]) for line in lines) >= 3
    assert {line["hero"] for line in lines} == {"hera", "tim", "lena"}


def test_dates_without_an_offset_are_the_teams_local_time(team: Any, api: Any) -> None:
    body = api.get("reports?team=pipeline&start=2026-07-01&end=2026-07-08&group_by=week").json()
    assert body["start"] == "2026-07-01T00:00:00+01:00"  # London summer time
    assert body["rows"][0]["key"] == "2026-06-29"


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("team=nope", 404, "team"),
        ("team=pipeline&group_by=month", 422, "group_by"),
        ("team=pipeline&start=yesterday", 422, "start"),
        ("team=pipeline&start=2026-03-02&end=2026-03-01", 422, "end"),
        ("team=pipeline&start=2020-01-01&end=2026-01-01", 422, "end"),
        ("", 422, "team"),
    ],
)
def test_bad_parameters_answer_4xx_naming_the_field(
    team: Any, api: Any, query: str, status: int, field: str
) -> None:
    for path in ("reports", "reports.csv"):
        res = api.get(f"{path}?{query}")
        assert res.status_code == status, res.content
        assert res.json()["field"] == field


def test_reports_are_for_agents_only(team: Any, outsider: Any, api_as: Any) -> None:
    assert api_as(None).get("reports?team=pipeline").status_code == 401
    assert api_as(outsider).get("reports?team=pipeline").status_code == 403
    assert api_as(outsider).get("reports/tickets.csv?team=pipeline").status_code == 403


def test_an_admin_loads_history_and_reports_on_it(
    team: Any, admin: Any, hero: Any, api_as: Any
) -> None:
    client = api_as(admin)
    body = {"subject": "Old", "body": "From the old desk", "team": "pipeline"}
    created = client.post("tickets", {**body, "created_at": "2026-03-03T09:00:00Z"}).json()
    tid = created["id"]
    for path, data in (
        (f"tickets/{tid}/notes", {"body": "looking", "created_at": "2026-03-03T09:05:00Z"}),
        (f"tickets/{tid}/replies", {"body": "Fixed?", "created_at": "2026-03-03T09:40:00Z"}),
        (f"tickets/{tid}/status", {"status": "solved", "created_at": "2026-03-04T10:00:00Z"}),
    ):
        res = client.post(path, data)
        assert res.status_code in (200, 201), res.content
    t = Ticket.objects.get(pk=tid)
    assert t.first_response_at.isoformat() == "2026-03-03T09:40:00+00:00"
    assert t.messages.get(kind="note").created_at.isoformat() == "2026-03-03T09:05:00+00:00"
    rows = client.get("reports?team=pipeline&start=2026-03-02&end=2026-03-09").json()["rows"]
    assert rows[0]["frt_p50"] == 40.0 and rows[0]["attainment"]["okay"] == 1
    assert rows[0]["mttr_p50"] == 8 * 60 + 60  # Tue 09:00 → Wed 10:00 in London working hours
    # A hero's created_at is ignored (now), bad ones from an admin are refused.
    res = api_as(hero).post(
        f"tickets/{tid}/notes", {"body": "n", "created_at": "2026-03-03T09:01:00Z"}
    )
    assert res.status_code == 201
    latest = Ticket.objects.get(pk=tid).messages.latest("id")
    assert latest.created_at > timezone.now() - timedelta(minutes=5)
    for when, detail in (
        ("2026-03-01T00:00:00Z", "before the ticket"),
        ("2150-01-01T00:00:00Z", "future"),
    ):
        res = client.post(f"tickets/{tid}/notes", {"body": "n", "created_at": when})
        assert res.status_code == 422 and detail in res.json()["detail"]
        assert res.json()["field"] == "created_at"
