"""The setup file's format: values in normal form, and problems that name the
file, the line and the key (pure; no database)."""

from __future__ import annotations

from herodesk.domain.config import Facts, read
from herodesk.domain.config.refs import check_references

ISSUE_EXAMPLE = """\
[[person]]
username = "ana"
name = "Ana Souza"
email = "ana@example.com"
time_zone = "America/Sao_Paulo"

[[team]]
slug = "pipeline"
name = "Pipeline"
time_zone = "Europe/London"
holidays = "GB-ENG"                     # country, optional subdivision
hours = { mon = ["09:00-17:00"], tue = ["09:00-17:00"] }
members = ["ana", "james"]
leads = ["ana"]
rotation = { members = ["ana", "james"], start = "2027-01-04T09:00", turn_days = 7, \
handoff_time = "09:00" }

[[github_repository]]
full_name = "acme/widgets"

[[routing_rule]]
team = "pipeline"
channel = "github"
repository = "acme/widgets"
"""


def problems_of(text: str, facts: Facts | None = None) -> list[str]:
    return [str(p) for p in read(text, "setup.toml", facts)[2]]


def test_the_issue_example_reads_into_plain_data_in_normal_form() -> None:
    _, desired, problems = read(ISSUE_EXAMPLE, "setup.toml")
    assert problems == [] and desired is not None
    assert desired.sections["person"]["ana"] == {
        "name": "Ana Souza",
        "email": "ana@example.com",
        "time_zone": "America/Sao_Paulo",
    }
    team = desired.sections["team"]["pipeline"]
    assert team["holidays"] == "GB-ENG"
    assert team["hours"] == {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"]}
    assert team["members"] == {"ana": "lead", "james": "member"}
    assert team["rotation"] == {
        "members": ["ana", "james"],
        "start": "2027-01-04T09:00",
        "turn_days": 7,
        "handoff_time": "09:00",
        "handoff_day": "",
        "time_zone": "",  # the team's
        "restrictions": [],
    }
    rule = desired.sections["routing_rule"][
        'pipeline:{"channel": "github", "repository": "acme/widgets"}'
    ]
    assert rule["position"] == 10  # place in the file × 10 when not given
    assert desired.managed == {"person", "team", "github_repository", "routing_rule"}


def test_an_error_names_file_line_and_key_of_the_entry_it_is_in() -> None:
    text = (
        ISSUE_EXAMPLE + '\n[[team]]\nslug = "infra"\nname = "Infra"\ntime_zone = "Mars/Olympus"\n'
    )
    assert problems_of(text) == [
        "setup.toml:28: team infra: time_zone: unknown time zone 'Mars/Olympus'"
    ]


def test_errors_inside_inline_tables_and_arrays_point_at_their_line() -> None:
    text = ISSUE_EXAMPLE.replace("turn_days = 7", "turn_days = 0").replace(
        'tue = ["09:00-17:00"]', 'tue = ["17:00-09:00"]'
    )
    found = problems_of(text)
    assert found[0].startswith("setup.toml:12: team pipeline: hours: tue")
    assert (
        found[1]
        == "setup.toml:15: team pipeline: rotation.turn_days: must be a whole number from 1 to 366"
    )


def test_a_multiline_macro_body_does_not_confuse_the_line_finder() -> None:
    text = (
        '[[macro]]\nname = "Hi"\nbody = """\nHey,\nteam = "fake"\nposition = -1\n"""\n'
        'position = -3\nteam = "Not A Slug"\n'
    )
    assert problems_of(text) == [
        "setup.toml:8: macro #1: position: must be a whole number from 0 to 32767",
        'setup.toml:9: macro #1: team: must be a team slug such as "pipeline" '
        "(a-z, 0-9 and -), not 'Not A Slug'",
    ]


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = (
        '[[person]]\nusername = "bad name"\nemail = "nope"\nshoe_size = 42\n[[team]]\nslug = "x"\n'
    )
    assert problems_of(text) == [
        "setup.toml:2: person bad name: username: must be a username "
        "(letters, digits and @ . + - _), not 'bad name'",
        "setup.toml:3: person bad name: email: is not an email address: "
        "An email address must have an @-sign.",
        "setup.toml:4: person bad name: shoe_size: unknown key 'shoe_size' (known: username, "
        "name, email, kind, time_zone, hours, holidays, slack_user, admin, active)",
        "setup.toml:5: team x: name is required",
    ]


def test_passwords_and_tokens_are_refused_with_the_reason() -> None:
    found = problems_of('[[person]]\nusername = "ana"\npassword = "hunter2"\n')
    assert found == [
        "setup.toml:3: person ana: password: passwords and tokens never go in the file "
        "(people set their own password through their invitation; tokens are made in the desk)"
    ]


def test_a_toml_syntax_error_names_its_line() -> None:
    assert problems_of('[[team]]\nslug = "x"\nname = \n') == ["setup.toml:3: TOML: Invalid value"]


def test_sections_must_be_known_arrays_of_tables() -> None:
    assert problems_of('[team]\nslug = "x"\n[[people]]\nx = 1\n') == [
        "setup.toml:1: team: must be an array of tables: write [[team]]",
        "setup.toml:3: people: unknown section (known: person, team, slack_channel, "
        "github_repository, routing_rule, macro)",
    ]


def test_an_entry_described_twice_is_an_error_on_the_second() -> None:
    text = (
        '[[github_repository]]\nfull_name = "Acme/W"\n[[github_repository]]\nfull_name = "acme/w"\n'
    )
    assert problems_of(text) == [
        "setup.toml:3: github_repository acme/w: described twice (first as entry 1)"
    ]


def test_leads_and_rotation_members_must_be_members() -> None:
    text = ISSUE_EXAMPLE.replace('leads = ["ana"]', 'leads = ["zoe"]').replace(
        'members = ["ana", "james"], start', 'members = ["ana", "kim"], start'
    )
    assert problems_of(text) == [
        "setup.toml:14: team pipeline: leads: 'zoe' is not in members",
        "setup.toml:15: team pipeline: rotation.members: 'kim' is not in members",
    ]


def test_a_routing_rule_needs_a_condition_and_a_known_channel() -> None:
    text = '[[routing_rule]]\nteam = "x"\n[[routing_rule]]\nteam = "x"\nchannel = "fax"\n'
    found = problems_of(text, Facts(channels=("email", "github")))
    assert found == [
        "setup.toml:1: routing_rule #1: set at least one condition: channel, repository, "
        "slack_channel, sentry_project, page, topic, keywords, organization",
        "setup.toml:5: routing_rule #2: channel: must be one of 'email', 'github', not 'fax'",
    ]


def test_sla_targets_by_tier_name_in_minutes() -> None:
    ok = '[[team]]\nslug = "x"\nname = "X"\nsla = { high = { great = 15, late = 480 } }\n'
    _, desired, problems = read(ok, "s.toml")
    assert problems == [] and desired is not None
    assert desired.sections["team"]["x"]["sla"] == {"high": {"great": 15, "late": 480}}
    bad = ok.replace("late = 480", "late = 5").replace("high", "urgent")
    assert problems_of(bad) == [
        "setup.toml:4: team x: sla: unknown tier 'urgent' (use alert, cs_escalation, high, "
        "normal, community, low)"
    ]


def test_macro_bodies_are_checked_by_the_desk_rule() -> None:
    facts = Facts(macro_body=lambda body: "unknown placeholder" if "{{ x }}" in body else None)
    found = problems_of('[[macro]]\nname = "A"\nbody = "Hi {{ x }}"\n', facts)
    assert found == ["setup.toml:3: macro #1: body: unknown placeholder"]


def test_names_must_exist_in_the_file_or_in_the_desk() -> None:
    text = ISSUE_EXAMPLE + (
        '\n[[macro]]\nname = "Hi"\nteam = "ghosts"\nbody = "Hi"\n'
        '\n[[routing_rule]]\nteam = "pipeline"\norganization = "Nobody Inc"\n'
    )
    source, desired, problems = read(text, "setup.toml")
    assert problems == [] and source is not None and desired is not None
    current = {
        "person": {"james": {"active": False}},
        "team": {},
        "organizations": ["Acme"],
    }
    found = [str(p) for p in check_references(desired, current, "setup.toml", source.line_of)]
    assert found == [
        "setup.toml:15: team pipeline: rotation.members: 'james' is deactivated and cannot "
        "take turns",
        "setup.toml:27: macro #1: team: no team 'ghosts'",
        "setup.toml:32: routing_rule #2: organization: no organization 'Nobody Inc'",
    ]
    current["person"] = {}
    found = [str(p) for p in check_references(desired, current, "setup.toml", source.line_of)]
    assert found[0] == "setup.toml:13: team pipeline: members: no person 'james'"
