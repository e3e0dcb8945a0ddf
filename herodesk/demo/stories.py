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
# How each customer problem was solved: the public reply a hero sends before
# solving, so the demo's "Similar solved tickets" panel offers real answers.
SOLUTIONS = {
    "Funnel conversion doesn't match our own numbers": (
        "Our funnels count unique persons within the conversion window (14 days by default)"
        " while your numbers count sessions. Set the window to 1 day and switch 'Count by' "
        "to 'Sessions' to compare like for like."
    ),
    "Trends insight times out for a 90-day range": (
        "The breakdown over 90 days scanned every event property. Sampling at 10% (top "
        "right of the insight) or a breakdown on a materialized property brings it under "
        "the timeout; we also raised the limit for your project."
    ),
    "Cohort export is missing last week": (
        "Cohorts recalculate every 24 hours; the export used the last calculation, which "
        "had failed. We re-ran it: export again and last week is there."
    ),
    "Breakdown by person property shows '(none)' for everyone": (
        "The property is set on events, not on persons. Use $set in your identify call (or "
        "the event property in the breakdown) and new data will break down correctly."
    ),
    "Retention table counts the same user twice": (
        "The user had two distinct ids before identify merged them. Call identify on login "
        "and the merge keeps them as one person; we merged the existing duplicates for you."
    ),
    "Dashboard filters reset when I share the link": (
        "Shared links keep the saved filters, not the ones you changed without saving. Save"
        " the dashboard filters first (or use 'Copy link with filters')."
    ),
    "SQL insight returns a different total than the trends chart": (
        "Trends filters out test accounts by default and the SQL query does not. Add the "
        "same filter to the SQL (or turn it off on the chart) and the totals match."
    ),
    "Paths insight is empty since we renamed an event": (
        "Paths read the event name as it was captured. Add both names under 'Include "
        "events', or create an action that matches the old and the new name."
    ),
    "Can we change the week start to Monday for our project?": (
        "Yes: Project settings, then Date and time, then 'Week starts on'. It applies to "
        "every insight from the next refresh."
    ),
    "Lifecycle chart labels are cut off in the PDF export": (
        "That is a known bug in the PDF export with long labels, fixed in today's release. "
        "Export again and the labels fit."
    ),
    "Feature flag not evaluated on the first page load": (
        "Flags load asynchronously, so the first render runs before they arrive. Bootstrap "
        "the flags on init (pass them from your server) or wait for onFeatureFlags before "
        "rendering."
    ),
    "Experiment results stuck at 'gathering data'": (
        "Results need the exposure event from both variants. Your control variant never "
        "sent $feature_flag_called; call getFeatureFlag in both branches and results appear"
        " within an hour."
    ),
    "Survey popup shows twice on mobile Safari": (
        "The SDK was initialised twice on that page, so the survey rendered twice. "
        "Initialise it once (in your layout) and the popup shows once."
    ),
    "Multivariate flag payload comes back empty": (
        "Payloads are per variant: the payload was set on 'control' only. Add it to each "
        "variant that should receive one."
    ),
    "Flag rollout to 10% hit everyone for a minute": (
        "A cached definition from before the change was served for about a minute. We "
        "shortened the cache for your project; roll out with a release condition next time "
        "to avoid it."
    ),
    "Holdout group missing from the experiment summary": (
        "Holdouts show once at least 50 people are in them. Yours has 31; the summary adds "
        "it as it fills."
    ),
    "Early access feature toggle doesn't stick": (
        "The opt-in is stored on the person, and the user was anonymous. Once they log in "
        "(identify) the toggle sticks."
    ),
    "Survey responses not counted in the results tab": (
        "Responses sent before the question was edited keep the old question id. The "
        "results tab now counts both; reload it."
    ),
    "Session recordings are blank for Safari users": (
        "Safari blocks the cross-origin stylesheet the player needs. Serve your CSS with "
        "CORS headers or turn on 'Inline stylesheet' in replay settings, and new recordings"
        " show."
    ),
    "Error tracking groups unrelated exceptions together": (
        "They share a fingerprint because the stack has no filename (minified). Upload "
        "source maps for your release and they group apart."
    ),
    "Heatmap is missing clicks on our pricing page": (
        "The pricing page loads in an iframe, which the heatmap does not see. Add the "
        "snippet inside the iframe too."
    ),
    "Console logs not captured in recordings": (
        "Console capture is off by default. Turn on 'Capture console logs' in replay "
        "settings; it applies to new recordings."
    ),
    "Recording playback skips the first 30 seconds": (
        "The first snapshot arrived late because the page was in a background tab. Playback"
        " now starts at the first snapshot; nothing was lost after it."
    ),
    "Network tab in recordings shows no requests": (
        "Network capture needs recordNetwork in the SDK config and the performance API. "
        "Enable it and requests show in new recordings."
    ),
    "Alert fired but the dashboard shows nothing unusual": (
        "The alert uses the hourly series and the dashboard the daily one, so a one-hour "
        "spike flattens out. Open the alert's chart to see the spike."
    ),
    "Events delayed by two hours": (
        "Ingestion for your region was lagging after a broker restart. It has caught up: "
        "every event arrived, with its original timestamp."
    ),
    "Webhook destination returns 429 and events are dropped": (
        "Your endpoint rate limits us. We now retry 429 responses with backoff for 24 "
        "hours; raise the endpoint's limit or batch the destination to avoid the delay."
    ),
    "S3 batch export failed with AccessDenied": (
        "The export role lost s3:PutObject on the bucket after the key rotation. Add it "
        "back to the bucket policy and retry the failed runs from the export's page."
    ),
    "Duplicate events after the SDK retried": (
        "The SDK retried after a timeout and the first request had arrived. Send a uuid "
        "with each event and we drop the retry as a duplicate."
    ),
    "BigQuery export stuck on 'running' since yesterday": (
        "Your BigQuery project hit its load-job quota. We raised the batch size so the "
        "export uses fewer jobs and restarted it; it is done."
    ),
    "Person properties not merged after identify": (
        "identify ran after the events, with a different distinct id. Call identify before "
        "capturing on login (or alias the old id) and the properties merge."
    ),
    "Historical import rejected: timestamp out of range": (
        "Timestamps must be in ISO 8601 with a zone and after 2000. Your file had Unix "
        "milliseconds read as seconds; divide by 1000 and import again."
    ),
    "Transformation drops the $set properties": (
        "The transformation returned a new event without the $set key. Return the event "
        "with its properties spread in (keep $set) and they come through."
    ),
    "EU instance slow this morning": (
        "A noisy query on a shared node slowed the EU instance from 08:10 to 09:05 UTC. It "
        "is fixed and we added a limit so it cannot happen again."
    ),
    "Self-hosted upgrade fails on migration 0312": (
        "Migration 0312 needs the previous release's async migrations to finish first. Run "
        "them from the instance status page, then upgrade again."
    ),
    "API rate limited below the documented limit": (
        "The limit is per project key, and two of your services share one key. Give each "
        "service its own personal API key and each gets the full limit."
    ),
    "Ingestion endpoint returns 503 from Singapore": (
        "Our Singapore edge was failing health checks. Traffic now goes to the Tokyo edge; "
        "the SDK retried, so no events were lost."
    ),
    "Reverse proxy setup: events blocked by CORS": (
        "The proxy strips the Origin header. Forward it (and the Host header) and the CORS "
        "check passes."
    ),
    "Query API returns 504 for large date ranges": (
        "Queries over 60 s time out at the edge. Use the async query endpoint for long "
        "ranges, or add a LIMIT and page through the results."
    ),
    "SSO login loops back to the sign-in page": (
        "The SAML response came back for a different domain than the one enforced. Add the "
        "second domain under SSO settings and the loop stops."
    ),
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
