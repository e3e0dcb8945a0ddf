"""Settings fail loudly; the CLI issues tokens; the demo loads once."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from herodesk.lib.env import env_bool, env_int, env_str
from herodesk.teams.models import ApiToken, Team, hash_token
from herodesk.tickets.models import Ticket

ROOT = Path(__file__).resolve().parents[3]


def test_env_helpers_name_the_bad_variable():
    with pytest.raises(ImproperlyConfigured, match="HERODESK_X must be a boolean"):
        env_bool("HERODESK_X", environ={"HERODESK_X": "maybe"})
    with pytest.raises(ImproperlyConfigured, match="HERODESK_N must be an integer"):
        env_int("HERODESK_N", 1, environ={"HERODESK_N": "ten"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("HERODESK_N", 1, minimum=1, environ={"HERODESK_N": "0"})
    with pytest.raises(ImproperlyConfigured, match="NEEDED must be set"):
        env_str("NEEDED", environ={})
    assert env_bool("B", environ={"B": "Yes"}) is True


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"HERODESK_DEBUG": "sometimes"}, "HERODESK_DEBUG"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"HERODESK_REQUIRE_SECRET_KEY": "true"}, "SECRET_KEY must be set"),
        ({"HERODESK_AUTO_CLOSE_DAYS": "0"}, "HERODESK_AUTO_CLOSE_DAYS"),
    ],
)
def test_bad_settings_stop_start_up_with_a_message(tmp_path, env, message):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    clean.update({"HERODESK_VAR_DIR": str(tmp_path), **env})
    res = subprocess.run(
        [sys.executable, "-m", "herodesk", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode != 0
    assert message in res.stderr


@pytest.mark.django_db
def test_token_command_prints_a_working_token(hero, client):
    out = io.StringIO()
    call_command("token", "hera", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("hd_")
    assert ApiToken.objects.get(user=hero).digest == hash_token(raw)
    res = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert res.status_code == 200 and res.json()["username"] == "hera"


@pytest.mark.django_db
def test_token_command_names_unknown_user():
    with pytest.raises(CommandError, match="username"):
        call_command("token", "nobody")


@pytest.mark.django_db
def test_demo_loads_once():
    call_command("demo", tickets=40, stdout=io.StringIO())
    counts = (Team.objects.count(), Ticket.objects.count())
    assert counts[0] == 5 and counts[1] >= 40
    call_command("demo", tickets=40, stdout=io.StringIO())
    assert (Team.objects.count(), Ticket.objects.count()) == counts
    tiers = set(Ticket.objects.values_list("tier", flat=True))
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {0, 2, 3, 4, 5} <= tiers and {"new", "open", "pending", "solved"} <= statuses


@pytest.mark.parametrize(("flag", "prepared"), [(None, True), ("false", False)])
def test_postgres_prepares_statements_unless_turned_off(tmp_path, flag, prepared):
    env = {k: v for k, v in os.environ.items() if k != "HERODESK_PG_PREPARED"}
    env.update(
        HERODESK_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://u@db.example:5432/hd?sslmode=require",
        DJANGO_SETTINGS_MODULE="herodesk.settings",
    )
    if flag is not None:
        env["HERODESK_PG_PREPARED"] = flag
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    res = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    assert "'sslmode': 'require'" in res.stdout
    assert ("'server_side_binding': True" in res.stdout) is prepared
