"""`herodesk apply` and `herodesk export` against a real database: whole-file
checks, one transaction, audited, idempotent, round-trips."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import make_user
from herodesk.audit.models import Event
from herodesk.domain.tests.test_config_file import ISSUE_EXAMPLE
from herodesk.intake.models import GitHubRepository, RoutingRule
from herodesk.rotations.models import RotationVersion
from herodesk.teams.models import Membership, Team

pytestmark = pytest.mark.django_db


def run(*args: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def james(db: Any) -> Any:
    return make_user("james")


@pytest.fixture
def setup_file(tmp_path: Path) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(ISSUE_EXAMPLE)
    return path


def counts() -> tuple[int, ...]:
    return (
        get_user_model().objects.count(),
        Team.objects.count(),
        Membership.objects.count(),
        RotationVersion.objects.count(),
        GitHubRepository.objects.count(),
        RoutingRule.objects.count(),
    )


def test_apply_writes_everything_and_says_what_changed(setup_file: Path, james: Any) -> None:
    out, _ = run("apply", str(setup_file), "--by", make_user("root", superuser=True).username)
    assert out.splitlines() == [
        "+ person ana",
        "+ team pipeline",
        "+ member ana (lead) of team pipeline",
        "+ member james of team pipeline",
        "+ rotation of team pipeline: ana, james, 7-day turns from 2027-01-04T09:00, "
        "handoff at 09:00 Europe/London",
        "+ github repository acme/widgets",
        "+ routing rule channel=github repository=acme/widgets of team pipeline",
    ]
    team = Team.objects.get(slug="pipeline")
    assert (team.time_zone, team.holiday_country, team.holiday_subdiv) == (
        "Europe/London",
        "GB",
        "ENG",
    )
    roles = dict(team.memberships.values_list("person__user__username", "role"))
    assert roles == {"ana": "lead", "james": "member"}
    (version,) = RotationVersion.objects.filter(team=team)
    assert version.usernames() == ["ana", "james"]
    assert version.start.isoformat() == "2027-01-04T09:00:00+00:00"
    rule = RoutingRule.objects.get()
    assert (rule.team, rule.channel, rule.repository) == (team, "github", "acme/widgets")
    summary = Event.objects.get(action="setup.applied")
    assert summary.after["summary"] == f"applied from {setup_file} by root"
    assert Event.objects.filter(actor_label=f"applied from {setup_file} by root").count() > 5


def test_applying_the_same_file_again_is_no_changes(setup_file: Path, james: Any) -> None:
    run("apply", str(setup_file))
    assert run("apply", str(setup_file))[0] == "no changes\n"


def test_a_bad_file_names_file_line_and_key_and_changes_nothing(
    setup_file: Path, james: Any
) -> None:
    setup_file.write_text(ISSUE_EXAMPLE.replace("Europe/London", "Europe/Londn"))
    before = counts()
    with pytest.raises(CommandError, match="nothing was changed"):
        run("apply", str(setup_file))
    assert counts() == before


def test_problems_go_to_stderr_one_per_line(setup_file: Path, james: Any, capsys: Any) -> None:
    setup_file.write_text(ISSUE_EXAMPLE.replace("Europe/London", "Europe/Londn") + "x = 1\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("apply", str(setup_file), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"{setup_file}:10: team pipeline: time_zone: unknown time zone 'Europe/Londn'",
        f"{setup_file}:24: routing_rule #1: x: unknown key 'x' (known: team, name, position, "
        "enabled, channel, repository, slack_channel, sentry_project, page, topic, keywords, "
        "organization)",
    ]


def test_a_refusal_half_way_rolls_everything_back(setup_file: Path, james: Any) -> None:
    james.is_active = False  # the desk refuses to put a deactivated person on a team
    james.save()
    setup_file.write_text(ISSUE_EXAMPLE.replace(', "james"], start', "], start"))
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("apply", str(setup_file), stdout=StringIO(), stderr=err)
    assert "james is deactivated" in err.getvalue()
    assert f"{setup_file}:13:" in err.getvalue()  # the line of `members`
    assert counts() == before


def test_dry_run_prints_the_changes_and_writes_nothing(setup_file: Path, james: Any) -> None:
    before = counts()
    out, _ = run("apply", str(setup_file), "--dry-run")
    assert out.splitlines()[0] == "+ person ana"
    assert out.splitlines()[-1] == "dry run: 7 changes, nothing written"
    assert counts() == before


def test_export_then_apply_round_trips(setup_file: Path, james: Any, tmp_path: Path) -> None:
    run("apply", str(setup_file))
    exported = tmp_path / "export.toml"
    exported.write_text(run("export")[0])
    text = exported.read_text()
    assert "password" not in text and "hd_" not in text
    assert run("apply", str(exported), "--prune")[0] == "no changes\n"


def test_prune_removes_only_what_the_file_does_not_describe(
    setup_file: Path, james: Any, tmp_path: Path
) -> None:
    run("apply", str(setup_file))
    GitHubRepository.objects.create(full_name="acme/old")
    smaller = tmp_path / "small.toml"
    smaller.write_text("github_repository = []\n")
    assert run("apply", str(smaller))[0] == "no changes\n"
    out, _ = run("apply", str(smaller), "--prune")
    assert out.splitlines() == [
        "- github repository acme/old",
        "- github repository acme/widgets",
    ]
    assert Team.objects.filter(slug="pipeline", archived_at=None).exists()


def test_the_cli_refuses_an_unknown_or_non_admin_by(setup_file: Path, james: Any) -> None:
    with pytest.raises(CommandError, match="no active admin"):
        run("apply", str(setup_file), "--by", "james")


def test_if_new_applies_to_a_new_desk_only_and_keeps_later_changes(
    setup_file: Path, james: Any
) -> None:
    out, _ = run("apply", "--if-new", str(setup_file))
    assert "+ team pipeline" in out.splitlines()
    team = Team.objects.get(slug="pipeline")
    applied = team.name
    Team.objects.filter(pk=team.pk).update(name="Pipeline (renamed in the UI)")
    before = counts()
    out, _ = run("apply", "--if-new", str(setup_file))
    assert out == f"{setup_file}: not applied, this desk already has teams (--if-new)\n"
    assert Team.objects.get(pk=team.pk).name == "Pipeline (renamed in the UI)"
    assert counts() == before
    out, _ = run("apply", str(setup_file))  # without the flag the file wins again
    assert Team.objects.get(pk=team.pk).name == applied
