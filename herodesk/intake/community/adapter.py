"""Community deliveries → T4 desk items that link to the question on the site.

herodesk.community stores one delivery per event through `intake.base.accept`
(in the transaction of the change on the site). The JSON body always carries
the question, so events can be processed in any order:

    {"question": {"id", "page", "page_url", "topic", "topic_name", "topic_slack_channel",
                  "title", "body", "url", "asker": {"email", "name"}},
     "answer": {"id", "body", "url", "author", "team_user_id", "by_asker"},   # answer.published
     "state": {"before", "after", "by"},                                      # question.state
     "edit": {"fields", "by"}}                                                # question.edited

- question.published: the item (routed by page and topic), and a Slack notice
  in the community channel and the topic's team channel.
- answer.published: a staff answer is mirrored as a public reply (stops the
  response clock and grades it; no email: the site emails the asker); the
  asker's answer is a requester message (reopens the clock); anyone else's is
  an internal note.
- question.state: resolved (or an accepted answer) solves the item, hidden
  closes it, reopened reopens a solved one, locked leaves a note.
- question.edited (`"edit": {"fields", "by"}`): the title becomes the item's
  subject (`ticket_set_subject`, audited); an edited body is added as a note.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from herodesk.intake import items
from herodesk.intake.base import Failed, Ignored, Item
from herodesk.intake.models import Delivery
from herodesk.lib.errors import Conflict
from herodesk.notify import common, outbox, slack
from herodesk.notify.models import Transport
from herodesk.tickets import actions
from herodesk.tickets.models import Status, Ticket

CHANNEL = "community"
ACTOR = "community"


def payload(delivery: Delivery) -> dict[str, Any]:
    try:
        data = json.loads(bytes(delivery.body))
    except ValueError as exc:
        raise Failed(f"the body is not JSON: {exc}") from exc
    question = data.get("question") if isinstance(data, dict) else None
    if not isinstance(question, dict) or not question.get("id") or not question.get("title"):
        raise Failed("the payload has no question with an id and a title")
    return data


def ref(question: dict[str, Any]) -> str:
    return f"question:{question['id']}"


def item_for(q: dict[str, Any]) -> Item:
    asker = q.get("asker") or {}
    return Item(
        channel=CHANNEL,
        subject=str(q["title"]),
        body=str(q.get("body") or ""),
        external_ref=ref(q),
        external_url=str(q.get("url") or ""),
        message_external_id=ref(q),
        email=str(asker.get("email") or ""),
        name=str(asker.get("name") or ""),
        page=str(q.get("page") or ""),
        topic=str(q.get("topic") or ""),
        metadata={
            "community": {
                "question": q["id"],
                "url": q.get("url") or "",
                "title": q["title"],
                "page": q.get("page") or "",
                "page_url": q.get("page_url") or "",
                "topic": q.get("topic") or "",
                "topic_name": q.get("topic_name") or "",
            }
        },
    )


def _ticket(data: dict[str, Any]) -> Ticket:
    """The question's item, opened (and announced) when it is not on the desk yet."""
    question = data["question"]
    ticket, created = items.open_item(item_for(question), ACTOR)
    if created:
        announce(ticket, question)
    return ticket


def notice_text(ticket: Ticket, q: dict[str, Any]) -> str:
    where = slack.esc(q.get("page") or "")
    topic = f" ({slack.esc(q['topic_name'])})" if q.get("topic_name") else ""
    who = slack.esc((q.get("asker") or {}).get("name") or "someone")
    return (
        f":question: New community question on {where}{topic} from {who}: "
        f"{slack.link(str(q.get('url') or ''), slack.esc(q['title']))} — "
        f"{slack.link(common.ticket_url(ticket), f'#{ticket.pk} in the desk')}, "
        "answer on the page"
    )


def announce(ticket: Ticket, q: dict[str, Any]) -> None:
    """Slack: the community channel and the topic's team channel (once each). The
    routed team's own channel already gets the desk's new-item notice."""
    if not slack.enabled():
        return
    team_channel = ticket.team.slack_channel if ticket.team else ""
    targets = [settings.HERODESK_COMMUNITY_SLACK_CHANNEL, q.get("topic_slack_channel") or ""]
    seen: set[str] = set()
    for channel in targets:
        name = str(channel).strip()
        if not name or name in seen or (name == team_channel and name != targets[0]):
            continue
        seen.add(name)
        outbox.enqueue(
            key=f"community_question:{ticket.pk}:{name}",
            transport=Transport.SLACK,
            kind="community_question",
            recipient=name,
            payload={"channel": name, "text": notice_text(ticket, q)},
            ticket=ticket,
            team=ticket.team,
        )


def question_published(delivery: Delivery) -> Ticket:
    return _ticket(payload(delivery))


def answer_published(delivery: Delivery) -> Ticket:
    data = payload(delivery)
    answer = data.get("answer")
    if not isinstance(answer, dict) or not answer.get("id"):
        raise Failed("the payload has no answer")
    ticket = _ticket(data)
    external_id = f"answer:{answer['id']}"
    if items.seen(ticket, external_id):
        return ticket
    body = str(answer.get("body") or "(empty answer)")
    meta = {
        "external_id": external_id,
        "community": {"answer": answer["id"], "url": answer.get("url")},
    }
    if answer.get("team_user_id"):
        return _team_answer(ticket, answer, body, meta)
    if answer.get("by_asker"):
        landed, _message = actions.ticket_requester_message(
            ticket, body=body, actor=ACTOR, external_id=external_id, metadata=meta
        )
        return landed
    who = answer.get("author") or "A community member"
    note = f"{who} answered on the page ({answer.get('url')}):\n\n{body}"
    actions.ticket_note(ticket, author=None, body=note, metadata=meta)
    return ticket


def _team_answer(ticket: Ticket, answer: dict[str, Any], body: str, meta: dict[str, Any]) -> Ticket:
    user = get_user_model().objects.filter(pk=answer["team_user_id"], is_active=True).first()
    if ticket.status == Status.CLOSED:
        raise Ignored(f"ticket #{ticket.pk} is closed; the answer stays on the site")
    actions.ticket_reply(
        ticket,
        author=user,
        body=f"Answered on the page ({answer.get('url')}):\n\n{body}",
        metadata={**meta, "mirrored_from": "community"},
    )
    return ticket


STATUS_FOR = {"resolved": Status.SOLVED, "hidden": Status.CLOSED}


def question_state(delivery: Delivery) -> Ticket:
    data = payload(delivery)
    state = data.get("state") or {}
    after, before = str(state.get("after") or ""), str(state.get("before") or "")
    ticket = items.find_item(CHANNEL, ref(data["question"]))
    if ticket is None:
        raise Ignored(f"question {data['question']['id']} has no desk item")
    try:
        if after in STATUS_FOR:
            return actions.ticket_set_status(ticket, STATUS_FOR[after], actor=ACTOR, force=True)
        if after == "open" and ticket.status == Status.SOLVED:
            return actions.ticket_set_status(ticket, Status.OPEN, actor=ACTOR, force=True)
    except Conflict as exc:
        raise Ignored(str(exc)) from exc
    if after != before and not items.seen(ticket, f"delivery:{delivery.pk}"):
        actions.ticket_note(
            ticket,
            author=None,
            body=f"The question is now {after} on the site ({state.get('by') or 'a moderator'}).",
            metadata={"external_id": f"delivery:{delivery.pk}"},
        )
    return ticket


def question_edited(delivery: Delivery) -> Ticket:
    """The title became the item's subject (audited by the tickets action); an edited
    body is shown as a note, the asker's first message staying as it arrived."""
    data = payload(delivery)
    question = data["question"]
    edit = data.get("edit") or {}
    fields = edit.get("fields") or []
    ticket = _ticket(data)  # a missing item is opened with the question as it is now
    ticket = actions.ticket_set_subject(ticket, str(question["title"]), actor=ACTOR)
    info = (ticket.metadata or {}).get("community")
    if isinstance(info, dict) and info.get("title") != question["title"]:
        actions.ticket_set_metadata(
            ticket, "community", {**info, "title": question["title"]}, actor=ACTOR
        )
    external_id = f"delivery:{delivery.pk}"
    if "body" in fields and not items.seen(ticket, external_id):
        who = edit.get("by") or "someone"
        actions.ticket_note(
            ticket,
            author=None,
            body=f"{who} edited the question on the site ({question.get('url')}); it now "
            f"reads:\n\n{question.get('body') or ''}",
            metadata={"external_id": external_id},
        )
    return ticket


EVENT_HANDLERS = {
    "question.published": question_published,
    "answer.published": answer_published,
    "question.state": question_state,
    "question.edited": question_edited,
}
