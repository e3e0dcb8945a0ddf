"""What each demo ticket looks like at its source, so the demo teaches the
right thing: Sentry alerts read as alerts (no customer prose), GitHub issues
as issues in a repository, community questions with their page, CS
escalations from Slack, and customers' emails and in-app bug reports with
varied subjects per team.

`story(rng, channel, team_slug, i, requester)` returns the fields for
`ticket_create` (subject, body, requester, metadata, external ref and URL).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from herodesk.tickets.models import Channel

CUSTOMER_SUBJECTS = {
    "product-analytics": [
        "Funnel conversion doesn't match our own numbers",
        "Trends insight times out for a 90-day range",
        "Cohort export is missing last week",
        "Breakdown by person property shows '(none)' for everyone",
        "Retention table counts the same user twice",
        "Dashboard filters reset when I share the link",
        "SQL insight returns a different total than the trends chart",
        "Paths insight is empty since we renamed an event",
        "Can we change the week start to Monday for our project?",
        "Lifecycle chart labels are cut off in the PDF export",
    ],
    "feature-success": [
        "Feature flag not evaluated on the first page load",
        "Experiment results stuck at 'gathering data'",
        "Survey popup shows twice on mobile Safari",
        "Multivariate flag payload comes back empty",
        "Flag rollout to 10% hit everyone for a minute",
        "Holdout group missing from the experiment summary",
        "Early access feature toggle doesn't stick",
        "Survey responses not counted in the results tab",
    ],
    "monitoring": [
        "Session recordings are blank for Safari users",
        "Error tracking groups unrelated exceptions together",
        "Heatmap is missing clicks on our pricing page",
        "Console logs not captured in recordings",
        "Recording playback skips the first 30 seconds",
        "Network tab in recordings shows no requests",
        "Alert fired but the dashboard shows nothing unusual",
    ],
    "pipeline": [
        "Events delayed by two hours",
        "Webhook destination returns 429 and events are dropped",
        "S3 batch export failed with AccessDenied",
        "Duplicate events after the SDK retried",
        "BigQuery export stuck on 'running' since yesterday",
        "Person properties not merged after identify",
        "Historical import rejected: timestamp out of range",
        "Transformation drops the $set properties",
    ],
    "infrastructure": [
        "EU instance slow this morning",
        "Self-hosted upgrade fails on migration 0312",
        "API rate limited below the documented limit",
        "Ingestion endpoint returns 503 from Singapore",
        "Reverse proxy setup: events blocked by CORS",
        "Query API returns 504 for large date ranges",
        "SSO login loops back to the sign-in page",
    ],
}
ALERTS = {
    "product-analytics": [
        ("insights", "TypeError: Cannot read properties of undefined (reading 'series')"),
        ("insights", "QueryTimeoutError: trends query exceeded 60 s"),
        ("insights", "KeyError: 'breakdown_value'"),
        ("insights", "MemoryError in the funnel correlation worker"),
    ],
    "feature-success": [
        ("flags", "FlagEvaluationError: cohort 4412 has a circular reference"),
        ("flags", "RedisTimeoutError: flag definitions cache"),
        ("surveys", "ValidationError: survey 88 has no questions"),
        ("flags", "Decide endpoint 5xx rate above 1%"),
    ],
    "monitoring": [
        ("replay", "RecordingIngestionError: snapshot payload over 20 MB"),
        ("replay", "Blob storage 403 while reading recording chunks"),
        ("errors", "FingerprintError: stack frame without filename"),
        ("replay", "Console log ingestion lagging 15 minutes"),
    ],
    "pipeline": [
        ("plugin-server", "KafkaJSNumberOfRetriesExceeded: Broker not available"),
        ("plugin-server", "Webhook delivery failing for 5% of events"),
        ("batch-exports", "S3 upload failed: SlowDown"),
        ("batch-exports", "BigQuery quota exceeded for project herodesk-prod"),
    ],
    "infrastructure": [
        ("web", "OperationalError: could not connect to server: Connection refused"),
        ("web", "p95 latency over 2 s on /decide"),
        ("clickhouse", "Too many parts (300) in table events"),
        ("web", "Celery queue backlog over 10k tasks"),
    ],
}
REPOS = {
    "product-analytics": ("herodesk/posthog-js", "insights"),
    "feature-success": ("herodesk/feature-flags-sdk", "flags"),
    "monitoring": ("herodesk/rrweb-fork", "replay"),
    "pipeline": ("herodesk/plugin-server", "pipeline"),
    "infrastructure": ("herodesk/charts", "self-hosted"),
}
ISSUES = [
    "`capture()` drops events while the browser is offline",
    "TypeScript types missing for `getFeatureFlagPayload`",
    "Docs example for the Next.js app router is outdated",
    "Memory leak when the SDK is initialised twice",
    "Helm chart: ingress annotations are ignored",
    "Support `sendBeacon` for page-leave events",
]
QUESTIONS = [
    ("How do I filter a funnel by a cohort?", "/docs/product-analytics/funnels"),
    ("Can I use feature flags in a Cloudflare worker?", "/docs/feature-flags/installation"),
    ("Why are my session recordings so short?", "/docs/session-replay/troubleshooting"),
    ("Is there a way to backfill events from a CSV?", "/docs/data/importing-historical-data"),
    ("What does 'ingestion warning: skipped' mean?", "/docs/data/ingestion-warnings"),
]
ESCALATIONS = [
    "dashboards not loading for their exec review tomorrow",
    "invoice shows double the event volume they expect",
    "SSO enforcement locked out half their team",
    "export needed today for a board meeting",
]


@dataclass
class Story:
    subject: str
    body: str
    requester: Any = None
    metadata: dict[str, Any] = field(default_factory=dict)
    external_ref: str = ""
    external_url: str = ""
    escalated: bool = False


_USED: dict[str, int] = {}


def _next(key: str) -> int:
    """0, 1, 2, … per key: each subject of a pool once before any repeats."""
    n = _USED[key] = _USED.get(key, -1) + 1
    return n + len(key)


def _customer(rng: random.Random, team: str, i: int, requester: Any) -> Story:
    pool = CUSTOMER_SUBJECTS[team]
    subject = pool[_next(team) % len(pool)]
    when = rng.choice(["today", "since Monday", "after your last release", "since we upgraded"])
    first = requester.first_name if requester is not None else "there"
    body = (
        f"Hi team,\n\n{subject}. We noticed it {when} and it affects about "
        f"{rng.randint(2, 400)} of our users.\n\nThanks,\n{first}"
    )
    return Story(subject, body, requester)


def _bug_report(rng: random.Random, team: str, i: int, requester: Any) -> Story:
    story = _customer(rng, team, i, requester)
    story.body = f"{story.subject}.\n\nSteps: open the page, wait a few seconds, nothing loads."
    story.metadata["context"] = {
        "current_url": f"https://app.example.com/project/1/{team}/{1000 + i}",
        "app_version": f"1.{rng.randint(80, 99)}.{rng.randint(0, 9)}",
        "session_recording_url": f"https://app.example.com/replay/{rng.getrandbits(40):x}",
    }
    return story


def _sentry(rng: random.Random, team: str, i: int, requester: Any) -> Story:
    project, title = ALERTS[team][_next(f"{team}:sentry") % len(ALERTS[team])]
    issue = 4_100_000 + i
    count, users = rng.randint(40, 9000), rng.randint(3, 800)
    url = f"https://sentry.io/organizations/herodesk/issues/{issue}/"
    body = "\n".join(
        [
            f"error in {project}: {title.split(':')[0]}",
            f"Seen {count} times by {users} users (first seen 2 days ago, status unresolved)",
            url,
        ]
    )
    meta = {
        "sentry": {
            "issue": str(issue),
            "short_id": f"{project.upper()}-{100 + i}",
            "project": project,
            "level": rng.choice(["error", "error", "fatal", "warning"]),
            "count": count,
            "user_count": users,
            "first_seen": "2 days ago",
            "last_seen": "a few minutes ago",
            "release": f"{project}@2026.11.{rng.randint(1, 28)}",
        }
    }
    return Story(title, body, None, meta, f"issue:{issue}", url)


def _github(rng: random.Random, team: str, i: int, requester: Any) -> Story:
    repo, label = REPOS[team]
    number = 300 + i
    title = ISSUES[_next(f"{team}:github") % len(ISSUES)]
    url = f"https://github.com/{repo}/issues/{number}"
    meta = {
        "github": {
            "repository": repo,
            "number": number,
            "url": url,
            "labels": ["bug", label] if "Docs" not in title else ["docs", label],
        }
    }
    body = f"**Describe the bug**\n{title}.\n\n**Version**\n1.{rng.randint(80, 99)}.0"
    return Story(title, body, requester, meta, f"{repo}#{number}", url)


def _community(rng: random.Random, team: str, i: int, requester: Any) -> Story:
    title, page = QUESTIONS[_next(f"{team}:community") % len(QUESTIONS)]
    url = f"https://herodesk.example/questions/{500 + i}"
    meta = {
        "community": {"url": url, "page_url": f"https://herodesk.example{page}", "title": title}
    }
    body = f"{title}\n\nAsked on {page}."
    return Story(title, body, requester, meta, f"question:{500 + i}", url)


def _escalation(rng: random.Random, team: str, i: int, requester: Any) -> Story:
    org = (
        requester.organization.name
        if requester is not None and requester.organization
        else "A customer"
    )
    what = ESCALATIONS[i % len(ESCALATIONS)]
    ts = f"1764{i:06d}.000{i % 900:03d}"
    meta = {"slack": {"channel": "C0CSESCAL", "thread_ts": ts}}
    url = f"https://slack.com/archives/C0CSESCAL/p{ts.replace('.', '')}"
    body = f"{org}: {what}. Can someone from support take this? Happy to join a call."
    return Story(f"{org}: {what}", body, requester, meta, f"C0CSESCAL:{ts}", url, True)


def _zendesk(rng: random.Random, team: str, i: int, requester: Any) -> Story:
    story = _customer(rng, team, i, requester)
    ident = 88_000 + i
    story.metadata["zendesk"] = {"id": str(ident)}
    story.external_ref = f"zendesk:{ident}"
    story.external_url = f"https://herodesk.zendesk.com/agent/tickets/{ident}"
    return story


BUILDERS = {
    Channel.EMAIL: _customer,
    Channel.BUG_REPORT: _bug_report,
    Channel.SENTRY: _sentry,
    Channel.GITHUB: _github,
    Channel.COMMUNITY: _community,
    Channel.CS_ESCALATION: _escalation,
    Channel.ZENDESK: _zendesk,
}


def story(rng: random.Random, channel: str, team: str, i: int, requester: Any) -> Story:
    return BUILDERS.get(channel, _customer)(rng, team, i, requester)
