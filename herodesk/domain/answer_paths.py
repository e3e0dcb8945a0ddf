"""Where a public reply reaches the customer, per channel (pure; SPEC §3, §9).

Each intake channel declares its answer path (`AnswerPath`); `decide` turns
the path and the facts of one ticket into what the desk may do:

- EMAIL (email, bug report, Zendesk bridge, API, web): the reply is emailed,
  threaded — except on T5 (low priority), where the handbook says no email
  goes out, or with no requester address: the reply is kept on the ticket
  (delivery state "not sent") and the composer says so;
- SLACK_THREAD: posted in the originating thread; without the thread or with
  Slack not configured it is kept on the ticket and the composer says so;
- GITHUB_COMMENT: posted as an issue comment when a GitHub token is set; else
  no public composer: "Answer on GitHub" and "Mark answered";
- ON_PAGE (community): never a desk reply: "Answer on the page";
- ALERT (Sentry): internal notes only, unless the alert is tied to a
  requester with an email address: then a public reply goes by email.

A reply that cannot be delivered is refused (`Answer.refusal` names where to
answer); nothing is ever reported as sent without a delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from herodesk.domain.tiers import NO_EMAIL, Tier


class AnswerPath(StrEnum):
    EMAIL = "email"
    SLACK_THREAD = "slack_thread"
    GITHUB_COMMENT = "github_comment"
    ON_PAGE = "on_page"
    ALERT = "alert"


class Transport(StrEnum):
    EMAIL = "email"
    SLACK = "slack"
    GITHUB = "github"
    NONE = "none"  # stored on the ticket only


@dataclass(frozen=True)
class Facts:
    """What `decide` needs to know about one ticket."""

    path: AnswerPath
    tier: int
    requester_email: str = ""
    slack_thread: bool = False
    slack_enabled: bool = False
    github_token: bool = False
    source_url: str = ""


@dataclass(frozen=True)
class Answer:
    """What a public reply on this ticket does.

    `public` — the composer offers a public reply; `transport` — how it leaves
    (NONE: kept on the ticket); `where` — said on the page after sending
    ("by email to …"); `note` — said in the composer before sending;
    `refusal` — why a public reply is refused and where to answer instead;
    `link_label`/`link_url` — the "Answer on …" link; `mark_answered` — offer
    the "Mark answered" action (answered at the source)."""

    public: bool
    transport: Transport
    where: str = ""
    note: str = ""
    refusal: str = ""
    link_label: str = ""
    link_url: str = ""
    mark_answered: bool = False

    @property
    def delivered(self) -> bool:
        return self.public and self.transport != Transport.NONE


def _email(f: Facts, what: str) -> Answer:
    if not f.requester_email:
        why = f"{what} has no requester email address: nobody is emailed"
        return Answer(
            public=True,
            transport=Transport.NONE,
            where=f"kept on the ticket ({why})",
            note=f"Not emailed: {why}. The reply is kept on the ticket only.",
        )
    if Tier(f.tier) in NO_EMAIL:
        return Answer(
            public=True,
            transport=Transport.NONE,
            where="kept on the ticket (T5: no email to the requester)",
            note="T5 (low priority): the requester gets no email. The reply is kept on the "
            "ticket only; you may solve it without a public reply.",
        )
    return Answer(
        public=True,
        transport=Transport.EMAIL,
        where=f"by email to {f.requester_email}",
        note=f"Goes out by email to {f.requester_email}, in the same thread.",
    )


def _github(f: Facts) -> Answer:
    if f.github_token:
        return Answer(
            public=True,
            transport=Transport.GITHUB,
            where="as a comment on the GitHub issue",
            note="Posted as a comment on the GitHub issue.",
            link_label="Open on GitHub",
            link_url=f.source_url,
        )
    return Answer(
        public=False,
        transport=Transport.NONE,
        refusal="GitHub issues are answered on GitHub (no GitHub token is configured: "
        f"HERODESK_GITHUB_TOKEN): answer at {f.source_url or 'the issue'}, then mark it answered",
        mark_answered=True,
        link_label="Answer on GitHub",
        link_url=f.source_url,
    )


def _slack(f: Facts) -> Answer:
    if f.slack_thread and f.slack_enabled:
        return Answer(
            public=True,
            transport=Transport.SLACK,
            where="in the Slack thread",
            note="Posted in the Slack thread it came from.",
            link_label="Open the Slack thread" if f.source_url else "",
            link_url=f.source_url,
        )
    why = (
        "Slack is not configured (HERODESK_SLACK_BOT_TOKEN)"
        if f.slack_thread
        else "the ticket has no Slack thread"
    )
    return Answer(
        public=True,
        transport=Transport.NONE,
        where=f"kept on the ticket, not posted: {why}",
        note=f"Not posted to Slack: {why}. Answer in Slack"
        + (f" ({f.source_url})" if f.source_url else "")
        + "; the reply is kept on the ticket only.",
        link_label="Answer in Slack" if f.source_url else "",
        link_url=f.source_url,
    )


def decide(f: Facts) -> Answer:
    """What a public reply on a ticket with these facts does (see the module rules)."""
    if f.path == AnswerPath.EMAIL:
        return _email(f, "this ticket")
    if f.path == AnswerPath.SLACK_THREAD:
        return _slack(f)
    if f.path == AnswerPath.GITHUB_COMMENT:
        return _github(f)
    if f.path == AnswerPath.ON_PAGE:
        return Answer(
            public=False,
            transport=Transport.NONE,
            refusal="community questions are answered on the page where they were asked, "
            f"never from the desk: {f.source_url or 'open the question'}",
            link_label="Answer on the page",
            link_url=f.source_url,
            mark_answered=True,
        )
    if f.requester_email:  # an alert tied to a requester: by email
        return _email(f, "this alert")
    return Answer(
        public=False,
        transport=Transport.NONE,
        refusal="Sentry alerts have no one to answer: write an internal note, resolve or "
        "ignore the alert (in Sentry too" + (f": {f.source_url})" if f.source_url else ")"),
        link_label="Open in Sentry" if f.source_url else "",
        link_url=f.source_url,
    )
