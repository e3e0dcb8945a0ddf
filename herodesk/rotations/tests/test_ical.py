"""iCalendar feeds: parsed with `icalendar` and checked against the API;
stable UIDs, local TZIDs across DST, secret URLs that rotate."""

from __future__ import annotations

from datetime import UTC
from typing import Any
from urllib.parse import urlparse

import icalendar
import pytest
from django.test import Client

from herodesk.audit.models import Event
from herodesk.rotations.models import FeedToken

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to("2025-04-01T12:00:00Z", tick=False)


@pytest.fixture
def rotation(crew, set_rotation, api_as, lead):
    set_rotation("pipeline", crew, "2025-01-06T09:00:00Z", handoff_time="09:00")
    res = api_as(lead).post(
        "teams/pipeline/overrides",
        {"person": "hera", "start": "2025-04-16T08:00:00Z", "end": "2025-04-17T08:00:00Z"},
    )
    assert res.status_code == 201


def fetch(url):
    res = Client().get(urlparse(url).path)
    return res


def events(body: bytes) -> list[Any]:
    cal: Any = icalendar.Calendar.from_ical(body)
    return [c for c in cal.walk("VEVENT")]


def test_team_feed_matches_the_api_schedule(rotation, api_as, lead, hero):
    url = api_as(lead).post("teams/pipeline/calendar-feed").json()["url"]
    assert api_as(hero).get("teams/pipeline/calendar-feed").json()["url"] == url
    res = fetch(url)
    assert res.status_code == 200
    assert res["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in res["Cache-Control"]
    evs = events(res.content)
    first, last = evs[0]["DTSTART"].dt, evs[-1]["DTEND"].dt
    # The feed covers the past 30 days and the next 180, with whole shifts at the edges.
    assert first.astimezone(UTC).isoformat() <= "2025-03-02T12:00:00+00:00"
    assert last.astimezone(UTC).isoformat() >= "2025-09-28T12:00:00+00:00"
    api = api_as(hero).get(
        f"teams/pipeline/schedule?start={first.astimezone(UTC).isoformat()}"
        f"&end={last.astimezone(UTC).isoformat()}".replace("+", "%2B")
    )
    shifts = api.json()["shifts"]
    assert len(evs) == len(shifts)
    for ev, shift in zip(evs, shifts, strict=True):
        assert ev["DTSTART"].dt.astimezone(UTC).isoformat() == shift["start"]
        assert ev["DTEND"].dt.astimezone(UTC).isoformat() == shift["end"]
        assert str(ev["SUMMARY"]) == f"Support Hero: {shift['name']}"
        assert ev["CATEGORIES"].cats == [shift["source"]]
    assert len({str(ev["UID"]) for ev in evs}) == len(evs)


def test_feed_times_are_local_wall_clock_with_a_vtimezone(rotation, api_as, lead):
    url = api_as(lead).post("teams/pipeline/calendar-feed").json()["url"]
    body = fetch(url).content
    cal: Any = icalendar.Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    starts = {ev["DTSTART"].dt.date().isoformat(): ev["DTSTART"] for ev in cal.walk("VEVENT")}
    winter, summer = starts["2025-03-24"], starts["2025-03-31"]
    assert (winter.dt.hour, summer.dt.hour) == (9, 9)
    assert winter.params["TZID"] == summer.params["TZID"] == "Europe/London"
    assert b"DTSTART;TZID=Europe/London:20250331T090000" in body


def test_uids_are_stable_across_fetches_and_an_override_is_its_own_event(
    rotation, api_as, lead, time_machine
):
    url = api_as(lead).post("teams/pipeline/calendar-feed").json()["url"]
    before = {str(ev["UID"]): ev for ev in events(fetch(url).content)}
    time_machine.move_to("2025-04-02T12:00:00Z", tick=False)
    after = {str(ev["UID"]): ev for ev in events(fetch(url).content)}
    common = set(before) & set(after)
    assert len(common) >= len(before) - 1
    overrides = [ev for ev in after.values() if ev["CATEGORIES"].cats == ["override"]]
    assert [str(ev["SUMMARY"]) for ev in overrides] == ["Support Hero: Hera"]


def test_person_feed_lists_only_their_shifts(rotation, api_as, hero):
    url = api_as(hero).post("people/hera/calendar-feed").json()["url"]
    evs = events(fetch(url).content)
    assert evs and all(str(ev["SUMMARY"]) == "Support Hero — Pipeline" for ev in evs)
    api = (
        api_as(hero)
        .get("people/hera/shifts?start=2025-03-02T12:00:00Z&end=2025-09-28T12:00:00Z")
        .json()
    )
    assert [ev["DTSTART"].dt.astimezone(UTC).isoformat() for ev in evs] == [s["start"] for s in api]


def test_rotating_a_token_kills_the_old_url_and_is_audited_without_the_secret(
    rotation, api_as, lead
):
    old = api_as(lead).post("teams/pipeline/calendar-feed").json()["url"]
    new = api_as(lead).post("teams/pipeline/calendar-feed").json()["url"]
    assert old != new
    assert fetch(old).status_code == 404 and fetch(new).status_code == 200
    events_ = Event.objects.filter(action="feed_token.rotated")
    assert events_.count() == 2
    secret = urlparse(new).path.rsplit("/", 1)[1].split(".")[1]
    assert all(secret not in str(e.before) + str(e.after) for e in Event.objects.all())


def test_feed_access_rules(rotation, api_as, hero, lead, teammate, other_hero, outsider):
    # Any member may make the team's first URL; only leads replace it.
    assert api_as(hero).post("teams/pipeline/calendar-feed").status_code == 200
    assert api_as(hero).post("teams/pipeline/calendar-feed").status_code == 403
    assert api_as(lead).post("teams/pipeline/calendar-feed").status_code == 200
    assert api_as(other_hero).get("teams/pipeline/calendar-feed").status_code == 403
    assert api_as(outsider).get("teams/pipeline/calendar-feed").status_code == 403
    assert api_as(teammate).get("people/hera/calendar-feed").status_code == 403
    assert api_as(hero).get("people/hera/calendar-feed").json()["url"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/calendars/1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
        "/calendars/999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
        "/calendars/nope.ics",
    ],
)
def test_unknown_tokens_are_not_found(rotation, api_as, lead, path):
    api_as(lead).post("teams/pipeline/calendar-feed")
    assert FeedToken.objects.count() == 1
    assert Client().get(path).status_code == 404


def test_feed_refuses_writes(rotation, api_as, lead):
    url = api_as(lead).post("teams/pipeline/calendar-feed").json()["url"]
    assert Client().post(urlparse(url).path).status_code == 405
