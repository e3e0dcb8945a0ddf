"""Reports as plain data: the API's JSON rows, the same rows as CSV, and one
CSV line per ticket with its own figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from herodesk.domain import reports as d
from herodesk.reports import queries
from herodesk.reports.queries import Report, ReportRow
from herodesk.teams.models import Team

ROW_COLUMNS = (
    "key",
    "label",
    "start",
    "end",
    "hero",
    "created",
    "first_responses",
    "frt_p50",
    "frt_p90",
    "frt_calendar_p50",
    "attainment_great",
    "attainment_okay",
    "attainment_slow",
    "attainment_too_late",
    "breaches",
    "solved",
    "mttr_mean",
    "mttr_p50",
    "mttr_p90",
    "backlog_end",
    "next_replies",
    "nrt_mean",
    "nrt_calendar_mean",
)
TICKET_COLUMNS = (
    "id",
    "created_at",
    "channel",
    "tier",
    "status",
    "hero",
    "hero_week",
    "first_response_at",
    "first_response_minutes",
    "first_response_calendar_minutes",
    "first_response_grade",
    "breached",
    "solved_at",
    "resolution_minutes",
    "resolution_hours",
    "next_replies",
    "next_reply_minutes",
    "next_reply_calendar_minutes",
)


def minutes(value: float | None) -> float | None:
    """Figures in minutes are shown to a tenth of a minute."""
    return None if value is None else round(value, 1)


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def row_dict(row: ReportRow) -> dict[str, Any]:
    f = row.figures
    return {
        "key": row.key,
        "label": row.label,
        "start": iso(row.start),
        "end": iso(row.end),
        "hero": row.hero,
        "created": f.created,
        "first_responses": f.first_responses,
        "frt_p50": minutes(f.frt_p50),
        "frt_p90": minutes(f.frt_p90),
        "frt_calendar_p50": minutes(f.frt_calendar_p50),
        "attainment": {g: getattr(f.attainment, g) for g in d.GRADES},
        "breaches": f.breaches,
        "solved": f.solved,
        "mttr_mean": minutes(f.mttr_mean),
        "mttr_p50": minutes(f.mttr_p50),
        "mttr_p90": minutes(f.mttr_p90),
        "backlog_end": f.backlog_end,
        "next_replies": f.next_replies,
        "nrt_mean": minutes(f.nrt_mean),
        "nrt_calendar_mean": minutes(f.nrt_calendar_mean),
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "team": report.team.slug,
        "start": iso(report.start),
        "end": iso(report.end),
        "group_by": report.group_by,
        "time_zone": report.team.time_zone,
        "generated_at": iso(report.now),
        "rows": [row_dict(r) for r in report.rows],
    }


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """A JSON row as one CSV record (attainment spread over four columns)."""
    out = {k: v for k, v in row.items() if k != "attainment"}
    out.update({f"attainment_{g}": n for g, n in row["attainment"].items()})
    return out


def _csv(header: tuple[str, ...], records: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def report_csv(report: Report) -> Iterator[str]:
    return _csv(ROW_COLUMNS, (flat(row_dict(r)) for r in report.rows))


def ticket_lines(team: Team, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
    """One record per ticket of the range, oldest first, streamed from the database."""
    part = queries.periods(team, start, end, "hero_week")
    fields = (
        "pk",
        "created_at",
        "channel",
        "tier",
        "status",
        "first_response_at",
        "first_response_minutes",
        "first_response_grade",
        "breached",
        "solved_at",
        "resolution_minutes",
        "next_replies",
        "next_reply_minutes",
        "next_reply_calendar_minutes",
    )
    rows = queries.cohort(team, start, end).order_by("created_at", "pk").values_list(*fields)
    for (
        pk,
        created,
        channel,
        tier,
        status,
        fr_at,
        fr_min,
        grade,
        breached,
        solved,
        res,
        replies,
        reply_minutes,
        reply_calendar_minutes,
    ) in rows.iterator(chunk_size=2000):
        period = part.period_at(created)
        yield {
            "id": pk,
            "created_at": created.isoformat(),
            "channel": channel,
            "tier": tier,
            "status": status,
            "hero": period.person if period else None,
            "hero_week": period.key if period else None,
            "first_response_at": iso(fr_at),
            "first_response_minutes": minutes(fr_min),
            "first_response_calendar_minutes": minutes(
                d.calendar_minutes(created, fr_at) if fr_at else None
            ),
            "first_response_grade": grade or None,
            "breached": breached,
            "solved_at": iso(solved),
            "resolution_minutes": minutes(res) if solved else None,
            "resolution_hours": round(d.calendar_hours(created, solved), 2) if solved else None,
            "next_replies": replies,
            "next_reply_minutes": minutes(reply_minutes) if replies else None,
            "next_reply_calendar_minutes": minutes(reply_calendar_minutes) if replies else None,
        }


def tickets_csv(team: Team, start: datetime, end: datetime) -> Iterator[str]:
    return _csv(TICKET_COLUMNS, ticket_lines(team, start, end))
