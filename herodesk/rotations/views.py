"""iCalendar feeds at secret-token URLs (no login: the token is the key).

A feed covers the past 30 days and the next 180. An unknown or rotated token
answers 404 without saying which. Tokens appear in URLs, so keep web-server
access logs private (see docs/rotations.md).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from herodesk.rotations import ical, queries
from herodesk.rotations.models import FeedToken
from herodesk.teams.models import Person, Team


def _zone(loaded: queries.Loaded, team: Team) -> ZoneInfo:
    versions = loaded.versions.get(team.pk)
    return ZoneInfo(versions[-1].time_zone if versions else team.time_zone)


def team_items(team: Team, now: datetime) -> list[ical.FeedShift]:
    start, end = ical.feed_window(now)
    loaded = queries.load([team], start, end)
    zone = _zone(loaded, team)
    shifts = queries.whole(loaded.schedules[team.pk], start, end)
    return [ical.FeedShift(team.pk, team.name, s, _name(s.person, loaded), zone) for s in shifts]


def person_items(person: Person, now: datetime) -> list[ical.FeedShift]:
    start, end = ical.feed_window(now)
    username = person.user.username
    teams = list(Team.objects.filter(memberships__person=person).order_by("name"))
    loaded = queries.load(teams, start, end)
    items = []
    for team in teams:
        zone = _zone(loaded, team)
        for s in queries.whole(loaded.schedules[team.pk], start, end):
            if s.person == username:
                items.append(ical.FeedShift(team.pk, team.name, s, person.display_name, zone))
    items.sort(key=lambda i: (i.shift.start, i.team_name))
    return items


def _name(username: str | None, loaded: queries.Loaded) -> str | None:
    if username is None:
        return None
    person = loaded.people.get(username)
    return person.display_name if person else username


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    row = FeedToken.lookup(token)
    if row is None:
        raise Http404("no such calendar")
    now = timezone.now()
    if row.team is not None:
        body = ical.calendar(f"{row.team.name} — Support Hero", team_items(row.team, now), now=now)
        filename = row.team.slug
    else:
        assert row.person is not None
        body = ical.calendar(
            f"{row.person.display_name} — Support Hero shifts",
            person_items(row.person, now),
            now=now,
            person_feed=True,
        )
        filename = row.person.user.username
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}-hero.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
