"""Schedule pages (SPEC §1): who is hero now, my next shifts, each team's
calendar (overrides marked), swap requests and time off."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from herodesk.domain.swap_checks import trade_warnings
from herodesk.lib.errors import ActionError, Invalid
from herodesk.rotations import actions, queries
from herodesk.rotations.models import SwapRequest, SwapStatus, TimeOff
from herodesk.teams import access
from herodesk.teams.models import Team
from herodesk.web import schedule_data as sd
from herodesk.web.views import reports
from herodesk.web.views.common import desk_view, fail, int_or_404, page, viewer_zone

MAX_TIME_OFF_DAYS = 366


def _person(user: Any) -> Any:
    return getattr(user, "person", None)


def _time_off_rows(person: Any, now: datetime) -> list[dict[str, Any]]:
    """Upcoming time off, each with the colliding shifts and proposed partners."""
    if person is None:
        return []
    out = []
    for row in queries.time_off_of(person, start=now)[:10]:
        conflicts = actions.conflicts_for(person, row.start, row.end, now)
        partners = sd.names([p for c in conflicts for p in c.partners])
        out.append(
            {
                "row": row,
                "conflicts": [
                    {
                        "team": c.team,
                        "shift": c.shift,
                        "partners": [(u, partners.get(u, u)) for u in c.partners[:5]],
                    }
                    for c in conflicts
                ],
            }
        )
    return out


@desk_view
def schedule_home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    user = request.user
    person = _person(user)
    swaps = queries.swaps_of(user) if person else []
    return page(
        request,
        "web/schedule/home.html",
        {
            "now": now,
            "heroes": sd.heroes(now),
            "my_teams": access.team_ids(user),
            "next_shifts": queries.next_shifts(user, now, limit=6) if person else [],
            "to_me": [
                s
                for s in swaps
                if s.status == SwapStatus.PENDING and s.counterpart.user_id == user.pk
            ],
            "from_me": [s for s in swaps if s.requester.user_id == user.pk][:10],
            "time_off": _time_off_rows(person, now),
            "person": person,
            "today": now.astimezone(viewer_zone(user)).date(),
            "my_weeks": reports.my_hero_weeks(user, now) if person else [],
        },
    )


def _first_day(raw: str, today: date) -> date:
    if not raw:
        return sd.monday_of(today)
    try:
        return sd.monday_of(date.fromisoformat(raw))
    except ValueError:
        raise Invalid(f"start: {raw!r} is not a date YYYY-MM-DD", field="start") from None


@desk_view
def team_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404(f"no team {slug}")
    now = timezone.now()
    zone = queries.zone_of(team)
    try:
        first = _first_day(request.GET.get("start", ""), now.astimezone(zone).date())
    except Invalid as exc:
        return page(request, "web/error.html", {"message": exc.message}, status=400)
    weeks, runs = sd.calendar_weeks(team, first, 4, zone, now)
    current = queries.oncall(team, now)
    return page(
        request,
        "web/schedule/team.html",
        {
            "team": team,
            "zone": zone,
            "weeks": weeks,
            "runs": runs,
            "now": now,
            "hero": current,
            "hero_name": sd.names([current.person]).get(current.person or ""),
            "prev": (first - timedelta(days=28)).isoformat(),
            "next": (first + timedelta(days=28)).isoformat(),
            "first": first,
            "me": request.user.get_username(),
            "is_member": team.pk in access.team_ids(request.user),
            "teams": list(Team.objects.order_by("name")),
        },
    )


def _instant(raw: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        raise Invalid(f"{field} is not a valid instant", field=field) from None
    if timezone.is_naive(value):
        raise Invalid(f"{field} needs a UTC offset", field=field)
    return value


def _team_of(raw: str) -> Team:
    team = Team.objects.filter(slug=raw).first()
    if team is None:
        raise Invalid("pick a team", field="team")
    return team


@desk_view
def swap_new(request: HttpRequest) -> HttpResponse:
    """Ask a teammate to trade: whole shifts or some days of them."""
    data = request.POST if request.method == "POST" else request.GET
    now = timezone.now()
    try:
        team = _team_of(data.get("team", ""))
        me = request.user.get_username()
        mine = sd.run_at(team, me, _instant(data.get("shift", ""), "shift"))
        if mine is None:
            raise Invalid("that is not one of your shifts any more", field="shift")
        if request.method == "POST":
            return _swap_create(request, team, mine, data)
    except ActionError as exc:
        return fail(request, exc, reverse("schedule"))
    zone = queries.zone_of(team)
    mates = [
        m
        for m in team.memberships.select_related("person__user").order_by(
            "person__user__first_name"
        )
        if m.person.user_id != request.user.pk
    ]
    counterpart = data.get("counterpart", "")
    theirs = sd.upcoming_runs(team, counterpart, now) if counterpart else []
    # Pre-select their first shift that has not started (not one in progress).
    chosen = data.get("their_shift", "") or next(
        (r.start.isoformat() for r in theirs if r.start > now),
        theirs[0].start.isoformat() if theirs else "",
    )
    take = next((r for r in theirs if r.start.isoformat() == chosen), None)
    warnings = (
        trade_warnings((mine.start, mine.end), (take.start, take.end), now)
        if take is not None and data.get("mode", "whole") != "days"
        else []
    )
    return page(
        request,
        "web/schedule/swap_new.html",
        {
            "team": team,
            "mine": mine,
            "mine_days": mine.days(zone),
            "zone": zone,
            "mates": mates,
            "counterpart": counterpart,
            "theirs": theirs[:8],
            "their_shift": chosen,
            "warnings": warnings,
            "mode": data.get("mode", "whole"),
            "their_days": _their_days(theirs, data.get("their_shift", ""), zone),
            "message": data.get("message", ""),
        },
    )


def _their_days(theirs: list[sd.Run], chosen: str, zone: Any) -> list[date]:
    run = next((r for r in theirs if r.start.isoformat() == chosen), theirs[0] if theirs else None)
    return run.days(zone) if run else []


def _swap_create(request: HttpRequest, team: Team, mine: sd.Run, data: Any) -> HttpResponse:
    counterpart = data.get("counterpart", "")
    if not counterpart:
        raise Invalid("pick who you would like to swap with", field="counterpart")
    their = data.get("their_shift", "")
    days = data.getlist("days") if data.get("mode") == "days" else []
    if data.get("mode") == "days" and not days:
        raise Invalid("pick at least one day of each shift", field="days")
    swap = actions.swap_request(
        _person(request.user),
        team=team,
        counterpart=counterpart,
        actor=request.user,
        shift=mine.start,
        counterpart_shift=_instant(their, "their_shift") if their else None,
        days=days,
        message=data.get("message", ""),
    )
    messages.success(
        request,
        f"Swap request sent to {swap.counterpart.display_name}. Nothing changes until they accept.",
    )
    return redirect("schedule")


@require_POST
@desk_view
def swap_decide(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    swap = (
        SwapRequest.objects.filter(pk=int_or_404(pk))
        .select_related("team", "requester__user", "counterpart__user")
        .first()
    )
    if swap is None:
        raise Http404("no such swap")
    fn = {
        "accept": actions.swap_accept,
        "decline": actions.swap_decline,
        "cancel": actions.swap_cancel,
    }.get(verb)
    if fn is None:
        raise Http404("no such action")
    try:
        fn(swap, request.user)
    except ActionError as exc:
        return fail(request, exc, reverse("schedule"))
    done = {
        "accept": "accepted: the schedule now shows the overrides",
        "decline": "declined",
        "cancel": "cancelled",
    }[verb]
    messages.success(request, f"Swap #{swap.pk} {done}.")
    return redirect("schedule")


def _day(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise Invalid(f"{field}: pick a date", field=field) from None


@require_POST
@desk_view
def time_off_add(request: HttpRequest) -> HttpResponse:
    """Whole local days off, first to last inclusive, in the viewer's zone."""
    person = _person(request.user)
    try:
        if person is None:
            raise Invalid("only people with a staff profile take time off", field="person")
        first = _day(request.POST.get("first", ""), "first")
        last = _day(request.POST.get("last", "") or request.POST.get("first", ""), "last")
        if last < first:
            raise Invalid("the last day is before the first", field="last")
        if (last - first).days >= MAX_TIME_OFF_DAYS:
            raise Invalid("at most a year at once", field="last")
        zone = viewer_zone(request.user)
        _, conflicts = actions.time_off_create(
            person,
            sd.local_midnight(first, zone),
            sd.local_midnight(last + timedelta(days=1), zone),
            request.user,
            reason=request.POST.get("reason", ""),
        )
    except ActionError as exc:
        return fail(request, exc, reverse("schedule"))
    text = "Time off saved."
    if conflicts:
        text += (
            f" It collides with {len(conflicts)} of your shifts: ask one of the proposed "
            "partners below to swap."
        )
    messages.success(request, text)
    return redirect(reverse("schedule") + "#time-off")


@require_POST
@desk_view
def time_off_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = TimeOff.objects.filter(pk=int_or_404(pk)).select_related("person__user").first()
    if row is None:
        raise Http404("no such time off")
    if row.person.user_id != request.user.pk and not access.is_admin(request.user):
        return fail(request, Invalid("that is not your time off"), reverse("schedule"))
    actions.time_off_delete(row, request.user)
    messages.success(request, "Time off removed.")
    return redirect(reverse("schedule") + "#time-off")
