"""Enqueue notices to people (Slack DM and/or email) and to a team's channel.

Call inside the transaction of the change; every notice is an outbox row
with an idempotency key, sent later by a job.
"""

from __future__ import annotations

from typing import Any

from herodesk.notify import common, email, outbox, slack
from herodesk.notify.models import Delivery, Transport


def to_person(
    user: Any,
    *,
    key: str,
    kind: str,
    subject: str,
    lines: list[str],
    slack_text: str,
    link: str = "",
    both: bool = False,
    ticket: Any = None,
    team: Any = None,
    template: str = "notice",
    extra: dict[str, Any] | None = None,
) -> list[Delivery]:
    """A Slack DM when the person has a Slack id (and Slack is set up), else an
    email; both when `both`. Returns the deliveries written."""
    written: list[Delivery | None] = []
    slack_id = slack.user_id(user) if slack.enabled() else ""
    if slack_id:
        written.append(
            outbox.enqueue(
                key=f"{key}:dm",
                transport=Transport.SLACK,
                kind=kind,
                recipient=slack_id,
                payload={"channel": slack_id, "text": slack_text},
                ticket=ticket,
                team=team,
            )
        )
    if (both or not slack_id) and user.email:
        payload = email.staff_payload(
            user, subject, lines, link=link, template=template, extra=extra
        )
        written.append(
            outbox.enqueue(
                key=f"{key}:email",
                transport=Transport.EMAIL,
                kind=kind,
                recipient=user.email,
                payload=payload,
                ticket=ticket,
                team=team,
            )
        )
    return [d for d in written if d is not None]


def to_channel(
    team: Any, *, key: str, kind: str, text: str, ticket: Any = None, thread_ts: str = ""
) -> Delivery | None:
    """A post in the team's support channel (nothing when Slack or the channel is unset)."""
    if team is None or not team.slack_channel or not slack.enabled():
        return None
    payload: dict[str, Any] = {"channel": team.slack_channel, "text": text}
    if thread_ts:
        payload["thread_ts"] = thread_ts
    return outbox.enqueue(
        key=f"{key}:channel",
        transport=Transport.SLACK,
        kind=kind,
        recipient=team.slack_channel,
        payload=payload,
        ticket=ticket,
        team=team,
    )


def notify_mention(ticket: Any, message: Any, mentioned_users: list[Any]) -> list[Delivery]:
    """Tell each @mentioned person (not the author) about a note or reply that
    names them. Call in the transaction that saved `message`; idempotent per
    (message, person)."""
    author = message.author
    link = common.ticket_url(ticket)
    by = common.name_of(author) if author else "Someone"
    excerpt = " ".join(str(message.body).split())[:300]
    written: list[Delivery] = []
    seen: set[int] = set()
    for user in mentioned_users:
        if user is None or user.pk in seen or (author is not None and user.pk == author.pk):
            continue
        seen.add(user.pk)
        written += to_person(
            user,
            key=f"mention:{message.pk}:{user.pk}",
            kind="mention",
            subject=f"[HD#{ticket.pk}] {by} mentioned you: {ticket.subject}",
            lines=[
                f"{by} mentioned you on ticket #{ticket.pk} “{ticket.subject}”:",
                f"“{excerpt}”",
            ],
            slack_text=(
                f"{slack.mention(author)} mentioned you on "
                f"{slack.link(link, f'#{ticket.pk} {ticket.subject}')}:\n"
                f"> {slack.esc(excerpt)}"
            ),
            link=link,
            ticket=ticket,
            team=ticket.team,
        )
    return written
