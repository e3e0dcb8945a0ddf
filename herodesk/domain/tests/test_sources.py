"""The source of a ticket, read from what each intake channel stored."""

from __future__ import annotations

from herodesk.domain.sources import describe


def facts(source: dict) -> dict[str, str]:
    return dict(source["facts"])


def test_a_github_issue_shows_its_link_labels_and_state() -> None:
    meta = {"github": {"repository": "acme/app", "number": 7, "labels": ["bug", "sdk"]}}
    s = describe("github", "Crash on start", "https://github.com/acme/app/issues/7", meta)
    assert (s["label"], s["title"], s["url"]) == (
        "GitHub issue",
        "acme/app#7",
        "https://github.com/acme/app/issues/7",
    )
    assert s["labels"] == ["bug", "sdk"] and s["state"] == "open"
    assert facts(s)["Labels"] == "bug, sdk" and s["link_label"] == "Open on GitHub"


def test_a_sentry_alert_shows_level_events_users_and_seen_times() -> None:
    meta = {
        "sentry": {
            "short_id": "FRONT-END-9",
            "level": "error",
            "count": 412,
            "user_count": 37,
            "first_seen": "2030-01-07T09:00:00Z",
            "last_seen": "2030-01-08T10:00:00Z",
            "release": "web@2.4.1",
        }
    }
    s = describe("sentry", "ReferenceError", "https://sentry.io/issues/1/", meta)
    assert facts(s) == {
        "Issue": "FRONT-END-9",
        "Level": "error",
        "Events": "412",
        "Users affected": "37",
        "First seen": "2030-01-07T09:00:00Z",
        "Last seen": "2030-01-08T10:00:00Z",
        "Latest release": "web@2.4.1",
    }


def test_a_bug_report_shows_page_version_and_recording_only_if_safe() -> None:
    meta = {
        "context": {
            "current_url": "https://app.example/insights/42",
            "app_version": "1.2.3",
            "session_recording_url": "javascript:alert(1)",
        }
    }
    s = describe("bug_report", "Chart blank", "", meta)
    assert s["page_url"] == s["url"] == "https://app.example/insights/42"
    assert s["app_version"] == "1.2.3" and s["recording_url"] == ""


def test_zendesk_api_urls_become_the_agent_page_and_unknown_channels_are_plain() -> None:
    s = describe("zendesk", "x", "https://acme.zendesk.com/api/v2/tickets/35436.json", {})
    assert s["url"] == "https://acme.zendesk.com/agent/tickets/35436"
    plain = describe("api", "Hello", "", None)
    assert (plain["label"], plain["url"], plain["facts"]) == ("API", "", [])
    assert (
        describe("slack", "Hi", "https://slack.com/archives/C1/p1", {})["label"] == "Slack thread"
    )
