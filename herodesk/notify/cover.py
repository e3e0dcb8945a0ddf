"""Cover notices (R3): an override inside one rotation turn is cover, not a
hand-off. No report, no tickets move; at each edge a short notice:

- cover starts: the person covering hears until when, and for whom; the team
  channel hears who covers;
- cover ends: the hero of the turn hears they are on again; the channel too.

Each notice is sent once (outbox keys), and only close to the edge itself:
a worker that was down for hours does not announce an old cover as "now".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from herodesk.domain.schedule.handoffs import Change
from herodesk.notify import common, notices, slack
from herodesk.teams.models import Team

LATE = timedelta(hours=1)  # past this, an edge is not announced any more


def _users(*names: str | None) -> dict[str, Any]:
    wanted = [n for n in names if n]
    qs = get_user_model().objects.filter(username__in=wanted).select_related("person")
    return {u.get_username(): u for u in qs}


def _name(users: dict[str, Any], username: str | None) -> str:
    if not username:
        return "nobody"
    user = users.get(username)
    return common.name_of(user) if user is not None else username


def notify(team: Team, change: Change, until: datetime | None, now: datetime) -> int:
    """The notices for one cover edge (0 when too late or already sent)."""
    if change.kind == "handoff" or change.instant < now - LATE:
        return 0
    users = _users(change.outgoing, change.incoming)
    key = f"cover:{team.pk}:{int(change.instant.timestamp())}:{change.kind}"
    if change.kind == "cover_start":
        return _started(team, change, until, users, key)
    return _ended(team, change, until, users, key)


def _started(team: Team, c: Change, until: datetime | None, users: dict[str, Any], key: str) -> int:
    cover, hero = _name(users, c.incoming), _name(users, c.outgoing)
    for_whom = f" for {hero}" if c.outgoing else ""
    tz = common.zone(team.time_zone)
    till = f" until {common.local(until, tz)}" if until else ""
    notices.to_channel(
        team,
        key=key,
        kind="cover_start",
        text=f":shield: {slack.esc(cover)} covers Support Hero for {slack.esc(team.name)}"
        f"{slack.esc(for_whom)}{till}.",
    )
    user = users.get(c.incoming or "")
    if user is None:
        return 1
    tz = common.zone_of_user(user, team.time_zone)
    till = f" until {common.local(until, tz)}" if until else ""
    lines = [
        f"You're covering Support Hero for {team.name}{for_whom} from "
        f"{common.local(c.instant, tz)}{till}.",
        "Take what comes in meanwhile. Tickets stay where they are and there is no "
        f"hand-off report: {hero if c.outgoing else 'the rotation'} is back after.",
    ]
    notices.to_person(
        user,
        key=key,
        kind="cover_start",
        team=team,
        subject=f"You're covering for {hero} on {team.name}{till}"
        if c.outgoing
        else f"You're covering Support Hero for {team.name}{till}",
        lines=lines,
        slack_text=":shield: " + slack.esc(" ".join(lines)),
    )
    return 1


def _ended(team: Team, c: Change, until: datetime | None, users: dict[str, Any], key: str) -> int:
    cover, hero = _name(users, c.outgoing), _name(users, c.incoming)
    back = f"{hero} is Support Hero again" if c.incoming else "the schedule has a gap now"
    notices.to_channel(
        team,
        key=key,
        kind="cover_end",
        text=f":shield: {slack.esc(cover)}'s cover for {slack.esc(team.name)} ended; "
        f"{slack.esc(back)}.",
    )
    user = users.get(c.incoming or "")
    if user is None:
        return 1
    tz = common.zone_of_user(user, team.time_zone)
    till = f" until {common.local(until, tz)}" if until else ""
    lines = [
        f"{cover}'s cover ended at {common.local(c.instant, tz)}: you're Support Hero "
        f"for {team.name} again{till}."
    ]
    notices.to_person(
        user,
        key=key,
        kind="cover_end",
        team=team,
        subject=f"{cover}'s cover ended: you're Support Hero for {team.name} again",
        lines=lines,
        slack_text=":shield: " + slack.esc(lines[0]),
    )
    return 1
