"""GitHub deliveries → community-tier (T4) items that link back to the issue.

Only configured repositories (intake.GitHubRepository) count. An issue opened
or commented on by someone outside the organization (author_association not
OWNER/MEMBER/COLLABORATOR) becomes one item per issue; later comments by
outsiders are requester messages, comments by members are mirrored as public
replies (the answer happens on GitHub); edits are noted; closing, reopening and
deleting the issue move the item. Bots are ignored.
"""

from __future__ import annotations

from typing import Any

from herodesk.intake import items
from herodesk.intake.base import Failed, Ignored, Item, Malformed
from herodesk.intake.github.hook import payload_of
from herodesk.intake.models import Delivery, GitHubRepository
from herodesk.lib.errors import Conflict
from herodesk.lib.prepared import Prepared
from herodesk.tickets import actions
from herodesk.tickets.models import Status, Ticket

CHANNEL = "github"
ACTOR = "github"
MEMBERS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})


def payload(delivery: Delivery) -> dict[str, Any]:
    try:
        data = payload_of(bytes(delivery.body), str(delivery.headers.get("content-type", "")))
    except Malformed as exc:
        raise Failed(str(exc)) from exc
    if not isinstance(data.get("issue"), dict) or not isinstance(data.get("repository"), dict):
        raise Failed("the payload has no issue or repository object")
    return data


def login_of(user: Any) -> str:
    return str(user.get("login") or "") if isinstance(user, dict) else ""


def is_bot(user: Any) -> bool:
    return isinstance(user, dict) and (
        user.get("type") == "Bot" or login_of(user).endswith("[bot]")
    )


_CONFIGURED = Prepared(
    GitHubRepository,
    lambda name: GitHubRepository.objects.filter(full_name=name, enabled=True).only("pk")[:1],
)


def repository(data: dict[str, Any]) -> str:
    """The configured repository's name (Ignored when it is not configured)."""
    name = str(data["repository"].get("full_name") or "")
    if _CONFIGURED.first(name.lower()) is None:
        raise Ignored(f"repository {name or '(unnamed)'} is not configured in HeroDesk")
    return name


def issue_ref(repo: str, issue: dict[str, Any]) -> str:
    return f"{repo.lower()}#{issue.get('number')}"


def _check_author(user: Any, association: Any, what: str) -> None:
    if is_bot(user):
        raise Ignored(f"{what} by a bot ({login_of(user)})")
    if association in MEMBERS:
        raise Ignored(f"{what} by {login_of(user)}, a member of the organization ({association})")


def item_for(repo: str, issue: dict[str, Any], author: Any, body: Any, external_id: str) -> Item:
    login = login_of(author)
    return Item(
        channel=CHANNEL,
        subject=str(issue.get("title") or f"{repo} issue #{issue.get('number')}"),
        body=str(body or ""),
        external_ref=issue_ref(repo, issue),
        external_url=str(issue.get("html_url") or ""),
        message_external_id=external_id,
        github_login=login,
        name=login,
        repository=repo,
        metadata={
            "github": {
                "repository": repo,
                "number": issue.get("number"),
                "url": issue.get("html_url"),
                "author": login,
                "pull_request": "pull_request" in issue,
                "labels": [
                    lb.get("name") for lb in issue.get("labels") or [] if isinstance(lb, dict)
                ],
            }
        },
    )


def _existing(data: dict[str, Any], repo: str, event: str) -> Ticket:
    ticket = items.find_item(CHANNEL, issue_ref(repo, data["issue"]))
    if ticket is None:
        raise Ignored(f"{event}: issue #{data['issue'].get('number')} is not an item here")
    return ticket


def issue_opened(delivery: Delivery) -> Ticket:
    data = payload(delivery)
    repo, issue = repository(data), data["issue"]
    _check_author(issue.get("user"), issue.get("author_association"), "issue opened")
    item = item_for(repo, issue, issue.get("user"), issue.get("body"), f"issue:{issue.get('id')}")
    ticket, _created = items.open_item(item, ACTOR)
    return ticket


def comment_created(delivery: Delivery) -> Ticket:
    data = payload(delivery)
    repo, issue, comment = repository(data), data["issue"], data.get("comment") or {}
    user, external_id = comment.get("user"), f"comment:{comment.get('id')}"
    if is_bot(user):
        raise Ignored(f"comment by a bot ({login_of(user)})")
    body = str(comment.get("body") or "")
    if comment.get("author_association") in MEMBERS:
        ticket = _existing(data, repo, "member comment")
        if not items.seen(ticket, external_id):
            _mirror_reply(ticket, body, comment, external_id)
        return ticket
    found = items.find_item(CHANNEL, issue_ref(repo, issue))
    if found is None:
        return items.open_item(item_for(repo, issue, user, body, external_id), ACTOR)[0]
    ticket = found
    if items.seen(ticket, external_id):
        return ticket
    requester = items.requester_from(item_for(repo, issue, user, body, external_id))
    ticket, _message = actions.ticket_requester_message(
        ticket,
        body=body or "(empty comment)",
        actor=ACTOR,
        requester=requester,
        external_id=external_id,
        metadata={"github": {"url": comment.get("html_url")}},
    )
    return ticket


def _mirror_reply(ticket: Ticket, body: str, comment: dict[str, Any], external_id: str) -> None:
    if ticket.status == Status.CLOSED:
        raise Ignored(f"ticket #{ticket.pk} is closed")
    actions.ticket_reply(
        ticket,
        author=None,
        body=f"{login_of(comment.get('user'))} on GitHub:\n\n{body or '(empty comment)'}",
        metadata={
            "mirrored_from": "github",
            "external_id": external_id,
            "github": {"url": comment.get("html_url")},
        },
    )


def _note(ticket: Ticket, delivery: Delivery, text: str) -> Ticket:
    external_id = f"delivery:{delivery.pk}"
    if not items.seen(ticket, external_id):
        actions.ticket_note(ticket, author=None, body=text, metadata={"external_id": external_id})
    return ticket


def issue_edited(delivery: Delivery) -> Ticket:
    data = payload(delivery)
    ticket = _existing(data, repository(data), "issue edited")
    issue, changes = data["issue"], data.get("changes") or {}
    lines = [f"{login_of(data.get('sender'))} edited the issue on GitHub."]
    if "title" in changes:
        lines.append(f"Title: {changes['title'].get('from')!s} → {issue.get('title')!s}")
    if "body" in changes or not changes:
        lines.append(f"Description now:\n\n{issue.get('body') or '(empty)'}")
    return _note(ticket, delivery, "\n".join(lines))


def comment_changed(delivery: Delivery) -> Ticket:
    data = payload(delivery)
    ticket = _existing(data, repository(data), "comment changed")
    comment = data.get("comment") or {}
    verb = "deleted" if delivery.event_type.endswith("deleted") else "edited"
    text = f"{login_of(comment.get('user'))} {verb} a comment on GitHub ({comment.get('html_url')})"
    if verb == "edited":
        text += f":\n\n{comment.get('body') or '(empty)'}"
    return _note(ticket, delivery, text)


def _mirror_status(delivery: Delivery, status: str) -> Ticket:
    data = payload(delivery)
    ticket = _existing(data, repository(data), delivery.event_type)
    try:
        return actions.ticket_set_status(ticket, status, actor=ACTOR, force=True)
    except Conflict as exc:
        raise Ignored(str(exc)) from exc


EVENT_HANDLERS = {
    "issues.opened": issue_opened,
    "issues.edited": issue_edited,
    "issues.closed": lambda d: _mirror_status(d, Status.SOLVED),
    "issues.reopened": lambda d: _mirror_status(d, Status.OPEN),
    "issues.deleted": lambda d: _mirror_status(d, Status.CLOSED),
    "issue_comment.created": comment_created,
    "issue_comment.edited": comment_changed,
    "issue_comment.deleted": comment_changed,
}
