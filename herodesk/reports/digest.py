"""The weekly digest (SPEC §10): at each rotation hand-off, the team channel
gets the figures of the hero-week that just ended (Slack), and the team's
address gets them by email, next to the hand-off report.

`notify.handoff` sends `notify.signals.handoff_reported` inside the hand-off's
transaction; the receiver here enqueues `digest_job` in that same transaction,
and the job computes the hero-week (one report, `queries.report`) and writes
outbox rows with idempotent keys (a second run of the job sends nothing new).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django_tasks import task

from herodesk.notify import common, notices, outbox, slack
from herodesk.notify import email as mail
from herodesk.notify.models import HandoffReport, Transport
from herodesk.reports import export, queries
from herodesk.reports.queries import ReportRow

LOOKBACK = timedelta(days=35)  # the longest hero-week a digest looks back over


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _minutes(value: float | None, kind: str = "working") -> str:
    return "—" if value is None else f"{export.minutes(value):g} {kind} min"


def finished_week(report: HandoffReport) -> ReportRow | None:
    """The outgoing hero's hero-week ending at the hand-off (None without a hero)."""
    if not report.outgoing_username:
        return None
    start = report.instant - LOOKBACK
    rows = queries.report(report.team, start, report.instant, "hero_week", now=report.instant)
    mine = [r for r in rows.rows if r.hero == report.outgoing_username and r.end == report.instant]
    return mine[-1] if mine else None


def lines(report: HandoffReport, row: ReportRow) -> list[str]:
    f = row.figures
    total = f.attainment.total
    tz = common.zone(report.team.time_zone)
    return [
        f"Hero-week of {common.name_of(report.outgoing) if report.outgoing else row.hero}: "
        f"{common.local(row.start, tz)} → {common.local(row.end, tz)}.",
        f"{f.created} arrived, {f.first_responses} got a first response, {f.solved} solved.",
        f"First response p50 {_minutes(f.frt_p50)} (p90 {_minutes(f.frt_p90)}); "
        f"{_percent(f.attainment.great, total)} great, {_percent(f.attainment.okay, total)} okay.",
        f"{f.next_replies} next repl{'y' if f.next_replies == 1 else 'ies'}"
        + (
            f", mean {_minutes(f.nrt_mean)} ({_minutes(f.nrt_calendar_mean, 'calendar')})."
            if f.next_replies
            else "."
        ),
        f"{f.breaches} breach(es); {f.backlog_end} open item(s) handed off.",
        f"MTTR p50 {_minutes(f.mttr_p50)}.",
    ]


def reports_link(report: HandoffReport, row: ReportRow) -> str:
    query = {
        "team": report.team.slug,
        "start": row.start.astimezone(common.zone(report.team.time_zone)).date().isoformat()
        if row.start
        else "",
        "group_by": "hero_week",
    }
    return common.absolute("/reports/?" + urlencode(query))


def send(report: HandoffReport) -> int:
    """Write the digest's outbox rows; how many were new."""
    row = finished_week(report)
    if row is None:
        return 0
    text = lines(report, row)
    link = reports_link(report, row)
    key = f"digest:{report.pk}"
    written = 0
    name = slack.esc(report.team.name)
    post = f":bar_chart: *Last week's numbers for {name}*\n" + "\n".join(
        f"• {slack.esc(line)}" for line in text
    )
    post += "\n" + slack.link(link, "Reports")
    written += notices.to_channel(report.team, key=key, kind="digest", text=post) is not None
    if report.team.email:
        written += (
            outbox.enqueue(
                key=f"{key}:email",
                transport=Transport.EMAIL,
                kind="digest",
                recipient=report.team.email,
                team=report.team,
                payload=_email(report, text, link),
            )
            is not None
        )
    return written


def _email(report: HandoffReport, text: list[str], link: str) -> dict[str, Any]:
    context = {
        "first_name": f"{report.team.name} team",
        "lines": text,
        "link": link,
        "link_label": "Reports",
        "site": mail.sender()[0],
    }
    subject = f"{report.team.name}: last week's support numbers ({report.outgoing_username})"
    return {
        "to": [report.team.email],
        "from": settings.DEFAULT_FROM_EMAIL,
        "subject": subject,
        "text": render_to_string("notify/email/notice.txt", context),
        "html": render_to_string("notify/email/notice.html", context),
        "headers": {
            "Message-ID": mail.new_message_id(),
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    }


@task()
def digest_job(report_id: int) -> dict[str, Any]:
    report = HandoffReport.objects.select_related("team", "outgoing").filter(pk=report_id).first()
    if report is None:
        return {"written": 0, "reason": "no such hand-off report"}
    return {"written": send(report)}
