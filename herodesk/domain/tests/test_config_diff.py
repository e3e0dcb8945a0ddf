"""The differ: (current state, desired state) → ordered changes, with prune
semantics; and export → read → plan gives no change (pure; no database)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain.config import read
from herodesk.domain.config.diff import plan
from herodesk.domain.config.export import render
from herodesk.domain.tests.test_config_file import ISSUE_EXAMPLE

HOURS = {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}


def person(**over: Any) -> dict[str, Any]:
    base = {
        "name": "Ana Souza",
        "email": "ana@example.com",
        "kind": "engineer",
        "time_zone": "America/Sao_Paulo",
        "hours": HOURS,
        "holidays": "",
        "slack_user": "",
        "admin": False,
        "active": True,
    }
    return {**base, **over}


def team(**over: Any) -> dict[str, Any]:
    base = {
        "name": "Pipeline",
        "aliases": [],
        "time_zone": "Europe/Berlin",
        "hours": HOURS,
        "holidays": "GB-ENG",
        "sla": {},
        "slack_channel": "",
        "email": "",
        "auto_close_days": 0,
        "archived": False,
        "members": {},
        "rotation": None,
    }
    return {**base, **over}


def desired_of(text: str) -> Any:
    _, desired, problems = read(text, "setup.toml")
    assert problems == []
    return desired


def lines(current: dict[str, Any], text: str, prune: bool = False) -> list[str]:
    return [str(c) for c in plan(current, desired_of(text), prune=prune)]


def test_an_empty_desk_gets_everything_in_dependency_order() -> None:
    assert lines({}, ISSUE_EXAMPLE) == [
        "+ person ana",
        "+ team pipeline",
        "+ member ana (lead) of team pipeline",
        "+ member james of team pipeline",
        "+ rotation of team pipeline: ana, james, 7-day turns from 2027-01-04T09:00, "
        "handoff at 09:00 Europe/London",
        "+ github repository acme/widgets",
        "+ routing rule channel=github repository=acme/widgets of team pipeline",
    ]


def test_a_changed_key_prints_old_and_new_value() -> None:
    current = {
        "person": {"ana": person(), "james": person(name="James")},
        "team": {"pipeline": team(members={"ana": "member", "james": "member"})},
        "github_repository": {"acme/widgets": {"enabled": True}},
    }
    found = lines(current, ISSUE_EXAMPLE)
    assert found[:2] == [
        "~ team pipeline: time_zone Europe/Berlin → Europe/London; "
        "hours mon 09:00-17:00, tue 09:00-17:00, wed 09:00-17:00, thu 09:00-17:00, "
        "fri 09:00-17:00 → mon 09:00-17:00, tue 09:00-17:00",
        "~ member ana of team pipeline: role member → lead",
    ]
    assert found[2].startswith("+ rotation of team pipeline")


def test_the_same_state_again_is_no_change() -> None:
    desired = desired_of(ISSUE_EXAMPLE)
    current: dict[str, Any] = {}
    for change in plan({}, desired):  # play the changes onto an empty state
        section = current.setdefault(change.section, {})
        if change.section == "member":
            slug, _, user = change.key.partition(":")
            current["team"][slug].setdefault("members", {})[user] = change.after["role"]
        elif change.section == "rotation":
            current["team"][change.key]["rotation"] = change.after
        else:
            section[change.key] = dict(change.after)
    current["person"]["james"] = person(name="James")
    assert plan(current, desired) == []
    # james is a member but not described: only --prune deactivates him.
    assert [str(c) for c in plan(current, desired, prune=True)] == ["- person james (deactivate)"]


def test_a_key_left_out_of_the_file_is_not_managed() -> None:
    current = {"person": {"ana": person(time_zone="Asia/Tokyo", slack_user="U1")}}
    assert lines(current, '[[person]]\nusername = "ana"\nslack_user = "U1"\n') == []


def test_without_prune_nothing_absent_is_removed() -> None:
    current = {
        "person": {"ana": person(), "james": person(), "zoe": person()},
        "team": {
            "pipeline": team(members={"ana": "lead", "james": "member", "zoe": "member"}),
            "old": team(name="Old"),
        },
        "macro": {":Hi": {"name": "Hi", "body": "Hi"}},
        "github_repository": {"acme/old": {"enabled": True}},
    }
    assert not [line for line in lines(current, ISSUE_EXAMPLE) if line.startswith("-")]
    removals = [line for line in lines(current, ISSUE_EXAMPLE, prune=True) if line[0] == "-"]
    # Reverse dependency order; macros are not in the file, so they stay.
    assert removals == [
        "- github repository acme/old",
        "- member zoe of team pipeline",
        "- team old (archive)",
        "- person james (deactivate)",
        "- person zoe (deactivate)",
    ]


def test_an_empty_list_makes_a_section_managed_for_prune() -> None:
    current = {"macro": {":Hi": {"name": "Hi", "body": "Hi"}}, "person": {"ana": person()}}
    assert lines(current, "macro = []\n", prune=True) == ['- macro "Hi"']


def test_prune_skips_what_is_already_deactivated_or_archived() -> None:
    current = {
        "person": {"bob": person(active=False)},
        "team": {"old": team(archived=True)},
    }
    assert lines(current, "person = []\nteam = []\n", prune=True) == []


def test_a_rotation_change_prints_only_what_changed_but_carries_the_whole_rotation() -> None:
    rotation = {
        "members": ["ana", "james"],
        "start": "2027-01-04T09:00",
        "turn_days": 7,
        "handoff_time": "09:00",
        "handoff_day": "",
        "time_zone": "Europe/London",
        "restrictions": [],
    }
    current = {
        "person": {"ana": person(), "james": person()},
        "team": {
            "pipeline": team(time_zone="Europe/London", rotation={**rotation, "turn_days": 14})
        },
    }
    text = (
        '[[team]]\nslug = "pipeline"\nname = "Pipeline"\n'
        'rotation = { members = ["ana", "james"], start = "2027-01-04T09:00" }\n'
    )
    (change,) = plan(current, desired_of(text))
    assert str(change) == "~ rotation of team pipeline: turn_days 14 → 7"
    assert change.after == rotation


@st.composite
def states(draw: Any) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(["ana", "bo", "cy", "di"]), min_size=1, unique=True))
    zones = st.sampled_from(["Europe/London", "America/New_York", "Asia/Tokyo"])
    people = {
        u: person(
            time_zone=draw(zones),
            active=draw(st.booleans()),
            slack_user=draw(st.sampled_from(["", "U1"])),
        )
        for u in names
    }
    members = {u: draw(st.sampled_from(["lead", "member"])) for u in names}
    active = [u for u in names if people[u]["active"]]
    rotation = None
    if active and draw(st.booleans()):
        rotation = {
            "members": draw(st.permutations(active)),
            "start": "2027-01-04T09:00",
            "turn_days": draw(st.sampled_from([1, 7, 14])),
            "handoff_time": draw(st.sampled_from(["09:00", "17:30"])),
            "handoff_day": draw(st.sampled_from(["", "mon"])),
            "time_zone": draw(zones),
            "restrictions": draw(st.sampled_from([[], ["mon 09:00-17:00"]])),
        }
    body = draw(
        st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
        )
    )
    body = body.strip() or "x"
    return {
        "person": people,
        "team": {
            "t": team(
                time_zone=draw(zones),
                members=members,
                rotation=rotation,
                sla=draw(st.sampled_from([{}, {"high": {"great": 5, "late": 60}}])),
            )
        },
        "macro": {
            "t:Hello": {
                "name": "Hello",
                "team": "t",
                "kind": "public",
                "set_status": "",
                "position": 100,
                "body": body + '\n"""\\ end',
            }
        },
        "routing_rule": {
            "t:R": {
                "team": "t",
                "name": "R",
                "position": 10,
                "enabled": True,
                "channel": "",
                "repository": "acme/x",
                "slack_channel": "",
                "sentry_project": "",
                "keywords": ["a"],
                "organization": "",
            }
        },
    }


@settings(max_examples=60, deadline=None)
@given(states())
def test_export_then_apply_round_trips_with_no_changes(current: dict[str, Any]) -> None:
    before = copy.deepcopy(current)
    text = render(current, {"person": {"kind": "engineer", "admin": False}})
    assert current == before
    assert plan(current, desired_of(text), prune=True) == []
