"""Deactivating a person: history kept, out of future turns, the report says who
takes each shift they leave (or that nobody does)."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.lib.errors import Conflict
from herodesk.rotations import actions, queries
from herodesk.rotations.actions.departures import person_deactivate, person_reactivate, preview
from herodesk.rotations.models import RotationVersion, SwapRequest
from herodesk.rotations.tests.conftest import utc
from herodesk.teams.models import Person

NOW = utc("2025-03-05 12:00")  # a Wednesday; weekly turns hand off on Mondays 09:00


@pytest.fixture
def weekly(team: Any, crew: list[str], admin: Any) -> Any:
    """hera → tim → lena, weekly from Monday 3 March 09:00 London (hera now)."""
    return actions.rotation_set(
        team, members=crew, start=utc("2025-03-03 09:00"), actor=admin, now=utc("2025-03-01 00:00")
    )


def person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def test_the_hero_on_call_leaves_and_the_report_names_who_takes_each_shift(
    weekly: Any, team: Any, admin: Any
) -> None:
    report = person_deactivate(person("hera"), actor=admin, now=NOW)
    assert person("hera").user.is_active is False
    assert queries.oncall(team, NOW).person in {"tim", "lena"}
    assert report[0].start == utc("2025-03-03 09:00") and report[0].now_on in {"tim", "lena"}
    assert all(not r.uncovered for r in report) and len(report) >= 4  # ~90 days of turns
    # the past is kept: last Monday's hand-off still names hera
    assert queries.oncall(team, utc("2025-03-04 09:00")).person == "hera"
    v = RotationVersion.objects.filter(team=team).order_by("id")
    assert [x.usernames() for x in v] == [["hera", "tim", "lena"], ["tim", "lena"]]
    assert v[0].effective_until == NOW


def test_the_last_member_of_a_rotation_leaves_a_gap_and_the_report_says_so(
    team: Any, hero: Any, admin: Any
) -> None:
    actions.rotation_set(team, members=["hera"], start=utc("2025-03-03 09:00"), actor=admin)
    report = person_deactivate(person("hera"), actor=admin, now=NOW)
    assert report and all(r.uncovered for r in report)
    assert queries.oncall(team, NOW).person is None


def test_future_overrides_go_and_a_running_one_ends_now(weekly: Any, team: Any, admin: Any) -> None:
    actions.override_create(
        team,
        person="tim",
        start=utc("2025-03-05 10:00"),
        end=utc("2025-03-05 14:00"),
        actor=admin,
        now=utc("2025-03-01 00:00"),
    )
    actions.override_create(
        team,
        person="tim",
        start=utc("2025-03-20 10:00"),
        end=utc("2025-03-20 14:00"),
        actor=admin,
        now=utc("2025-03-01 00:00"),
    )
    person_deactivate(person("tim"), actor=admin, now=NOW)
    assert [(o.start, o.end) for o in team.overrides.order_by("start")] == [
        (utc("2025-03-05 10:00"), NOW)
    ]


def test_pending_swaps_are_cancelled(weekly: Any, team: Any, admin: Any) -> None:
    actions.swap_request(
        person("tim"),
        team=team,
        counterpart="lena",
        shift=utc("2025-03-11 12:00"),
        counterpart_shift=utc("2025-03-18 12:00"),
        actor="tim",
        now=utc("2025-03-01 00:00"),
    )
    person_deactivate(person("lena"), actor=admin, now=NOW)
    assert list(SwapRequest.objects.values_list("status", flat=True)) == ["cancelled"]


def test_preview_reports_the_same_and_changes_nothing(weekly: Any, admin: Any) -> None:
    shown = preview(lambda: person_deactivate(person("hera"), actor=admin, now=NOW))
    assert person("hera").user.is_active is True
    assert RotationVersion.objects.count() == 1
    done = person_deactivate(person("hera"), actor=admin, now=NOW)
    assert [(r.start, r.now_on) for r in shown] == [(r.start, r.now_on) for r in done]


def test_nobody_deactivates_themselves_or_twice(weekly: Any, admin: Any) -> None:
    with pytest.raises(Conflict, match="yourself"):
        person_deactivate(person("hera"), actor=person("hera").user, now=NOW)
    person_deactivate(person("hera"), actor=admin, now=NOW)
    with pytest.raises(Conflict, match="already deactivated"):
        person_deactivate(person("hera"), actor=admin, now=NOW)
    person_reactivate(person("hera"), actor=admin)
    assert person("hera").user.is_active
