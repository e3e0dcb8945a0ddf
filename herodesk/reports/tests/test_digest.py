"""The weekly digest: a rotation hand-off enqueues it; it posts the finished
hero-week's figures to the team channel and the team's address, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from herodesk.notify import handoff
from herodesk.notify.models import Delivery
from herodesk.reports import digest, queries
from herodesk.reports.tests import scenario

pytestmark = pytest.mark.django_db
HANDOFF = scenario.START + timedelta(days=7)  # hera → tim


@pytest.fixture
def handed_off(settings: Any, team: Any, hero: Any, teammate: Any, lead: Any) -> Any:
    settings.HERODESK_SLACK_BOT_TOKEN = "xoxb-test"
    team.slack_channel = "C0SUPPORT"
    team.email = "pipeline-team@example.com"
    team.save()
    scenario.rotation(team, [hero, teammate], lead)
    scenario.history(team, hero)
    report = handoff.make_report(team, HANDOFF, "hera", "tim", HANDOFF + timedelta(minutes=1))
    assert report is not None
    return report


def test_a_handoff_enqueues_the_digest_job(handed_off: Any) -> None:
    jobs = DBTaskResult.objects.filter(task_path="herodesk.reports.digest.digest_job")
    assert [j.args_kwargs["args"] for j in jobs] == [[handed_off.pk]]


def test_the_digest_posts_the_finished_hero_weeks_figures_once(team: Any, handed_off: Any) -> None:
    assert digest.digest_job.call(handed_off.pk) == {"written": 2}
    week = queries.report(team, scenario.START, HANDOFF, "hero_week", now=HANDOFF)
    hera = next(r for r in week.rows if r.hero == "hera").figures
    post = Delivery.objects.get(kind="digest", transport="slack")
    assert post.recipient == "C0SUPPORT"
    text = post.payload["text"]
    assert "Last week's numbers for Pipeline" in text and "Hera" in text
    assert f"{hera.created} arrived" in text
    assert hera.next_replies and hera.nrt_mean is not None  # the scenario has some
    assert hera.nrt_calendar_mean is not None
    nrt = (
        f"{hera.next_replies} next replies, mean {round(hera.nrt_mean, 1):g} working min"
        f" ({round(hera.nrt_calendar_mean, 1):g} calendar min)."
    )
    assert nrt in text
    assert f"{hera.breaches} breach(es); {hera.backlog_end} open item(s) handed off" in text
    assert "Mon 2 Mar" in text and "/reports/?team=pipeline" in text
    mail = Delivery.objects.get(kind="digest", transport="email")
    assert mail.recipient == "pipeline-team@example.com"
    assert f"{hera.created} arrived" in mail.payload["text"]
    assert "last week's support numbers (hera)" in mail.payload["subject"]
    assert digest.digest_job.call(handed_off.pk) == {"written": 0}  # idempotent
    assert Delivery.objects.filter(kind="digest").count() == 2


def test_no_digest_without_an_outgoing_hero(team: Any, hero: Any) -> None:
    report = handoff.make_report(team, HANDOFF, None, "hera", HANDOFF)
    assert report is not None
    assert not DBTaskResult.objects.filter(task_path="herodesk.reports.digest.digest_job").exists()
    assert digest.digest_job.call(report.pk) == {"written": 0}
