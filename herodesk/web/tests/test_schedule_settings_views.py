"""Schedule pages (who is on, calendar, swaps, time off) and team settings (roles)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from conftest import make_user
from herodesk.audit.models import Event
from herodesk.intake.models import RoutingRule
from herodesk.rotations import actions as rotation_actions
from herodesk.rotations.models import Override, RotationVersion, SwapRequest, TimeOff
from herodesk.teams.models import Team
from herodesk.tickets.models import Macro

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def rotation(team: Any, hero: Any, teammate: Any, lead: Any, admin: Any) -> RotationVersion:
    """hera this week, tim next week, lena the week after (Mondays 09:00 London)."""
    today = timezone.now().astimezone(LONDON).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday - timedelta(days=7), time(9), LONDON)
    return rotation_actions.rotation_set(
        team, members=["lena", "hera", "tim"], start=start, handoff_weekday=0, actor=admin
    )


def test_schedule_shows_the_hero_now_and_my_next_shifts(
    login: Any, hero: Any, rotation: Any
) -> None:
    html = login(hero).get("/schedule/").content.decode()
    assert "Hero right now" in html
    assert "Hera" in html and "Request a swap" in html


def test_the_team_calendar_marks_overrides(
    login: Any, hero: Any, lead: Any, team: Any, rotation: Any, admin: Any
) -> None:
    now = timezone.now()
    rotation_actions.override_create(
        team, person="lena", start=now + timedelta(days=1), end=now + timedelta(days=2), actor=admin
    )
    html = login(hero).get("/schedule/pipeline/").content.decode()
    assert "src-override" in html and "override</span>" in html
    assert login(hero).get("/schedule/pipeline/?start=nope").status_code == 400


def test_a_swap_is_requested_and_accepted_through_the_pages(
    login: Any, hero: Any, teammate: Any, team: Any, rotation: Any
) -> None:
    mine = next(s for t, s in _next(hero) if s.start > timezone.now())
    form = login(hero).get(
        "/schedule/swaps/new/",
        {"team": "pipeline", "shift": mine.start.isoformat(), "counterpart": "tim"},
    )
    assert form.status_code == 200 and "Their shift you take" in form.content.decode()
    res = login(hero).post(
        "/schedule/swaps/new/",
        {
            "team": "pipeline",
            "shift": mine.start.isoformat(),
            "counterpart": "tim",
            "mode": "whole",
            "message": "Dentist that week",
        },
    )
    assert res.status_code == 302
    swap = SwapRequest.objects.get()
    assert swap.status == "pending" and not Override.objects.exists()
    tim = login(teammate)
    assert "Dentist that week" in tim.get("/schedule/").content.decode()
    assert login(hero).post(f"/schedule/swaps/{swap.pk}/accept/").status_code == 302
    assert SwapRequest.objects.get().status == "pending"  # only tim may accept
    tim.post(f"/schedule/swaps/{swap.pk}/accept/")
    assert SwapRequest.objects.get().status == "accepted"
    assert Override.objects.filter(swap=swap).count() == 2


def test_a_swap_of_some_days_only(login: Any, hero: Any, team: Any, rotation: Any) -> None:
    mine = next(s for t, s in _next(hero) if s.start > timezone.now())
    client = login(hero)
    their = client.get(
        "/schedule/swaps/new/",
        {"team": "pipeline", "counterpart": "tim", "shift": mine.start.isoformat(), "mode": "days"},
    ).content.decode()
    assert "Days of their shift you cover" in their
    day_mine = mine.start.astimezone(LONDON).date() + timedelta(days=2)
    day_theirs = day_mine + timedelta(days=7)
    client.post(
        "/schedule/swaps/new/",
        {
            "team": "pipeline",
            "shift": mine.start.isoformat(),
            "counterpart": "tim",
            "mode": "days",
            "days": [day_mine.isoformat(), day_theirs.isoformat()],
        },
    )
    swap = SwapRequest.objects.get()
    assert swap.days == [day_mine.isoformat(), day_theirs.isoformat()]


def test_declining_a_swap(login: Any, hero: Any, teammate: Any, rotation: Any) -> None:
    mine = next(s for t, s in _next(hero) if s.start > timezone.now())
    login(hero).post(
        "/schedule/swaps/new/",
        {"team": "pipeline", "counterpart": "tim", "shift": mine.start.isoformat()},
    )
    swap = SwapRequest.objects.get()
    login(teammate).post(f"/schedule/swaps/{swap.pk}/decline/")
    assert SwapRequest.objects.get().status == "declined"


def test_time_off_flags_colliding_shifts_and_proposes_partners(
    login: Any, hero: Any, team: Any, rotation: Any, admin: Any
) -> None:
    make_user("uma", team=team)
    rotation_actions.rotation_set(
        team,
        members=["lena", "hera", "tim", "uma"],
        start=rotation.start,
        handoff_weekday=0,
        actor=admin,
        effective_from=timezone.now(),
    )
    mine = next(s for t, s in _next(hero) if s.start > timezone.now())
    day = mine.start.astimezone(LONDON).date() + timedelta(days=1)
    res = login(hero).post(
        "/schedule/time-off/",
        {"first": day.isoformat(), "last": day.isoformat(), "reason": "Wedding"},
        follow=True,
    )
    html = res.content.decode()
    assert TimeOff.objects.get().reason == "Wedding"
    assert "collides with 1 of your shifts" in html
    # lena and tim are on right before and after: uma is the one to ask.
    assert "Proposed swap partners" in html and "Ask Uma" in html
    assert "Ask Tim" not in html and "Ask Lena" not in html
    assert "counterpart=uma" in html


def test_time_off_with_no_free_partner_says_so(login: Any, hero: Any, rotation: Any) -> None:
    mine = next(s for t, s in _next(hero) if s.start > timezone.now())
    day = mine.start.astimezone(LONDON).date() + timedelta(days=1)
    html = (
        login(hero)
        .post("/schedule/time-off/", {"first": day.isoformat()}, follow=True)
        .content.decode()
    )
    assert "Nobody on the team is free to swap" in html


def test_time_off_with_the_last_day_before_the_first_is_refused(login: Any, hero: Any) -> None:
    res = login(hero).post(
        "/schedule/time-off/", {"first": "2030-01-05", "last": "2030-01-01"}, follow=True
    )
    assert "the last day is before the first" in res.content.decode()
    assert not TimeOff.objects.exists()


def _next(user: Any) -> list[Any]:
    from herodesk.rotations.queries import next_shifts

    return next_shifts(user, timezone.now(), limit=5)


# --- team settings --------------------------------------------------------------------------


def test_only_leads_and_admins_open_team_settings(
    login: Any, lead: Any, hero: Any, other_hero: Any, admin: Any
) -> None:
    assert login(lead).get("/teams/pipeline/settings/").status_code == 200
    assert login(admin).get("/teams/pipeline/settings/").status_code == 200
    assert login(hero).get("/teams/pipeline/settings/").status_code == 403
    assert login(other_hero).get("/teams/pipeline/settings/").status_code == 403
    assert login(lead).get("/teams/settings/")["Location"] == "/teams/pipeline/settings/"


def test_a_hero_cannot_change_another_teams_settings(
    login: Any, other_hero: Any, team: Any
) -> None:
    client = login(other_hero)
    res = client.post("/teams/pipeline/settings/hours/", {"time_zone": "UTC"})
    assert res.status_code == 403
    assert (
        client.post("/teams/pipeline/settings/macros/", {"name": "x", "body": "y"}).status_code
        == 403
    )
    assert Team.objects.get(pk=team.pk).time_zone == "Europe/London"
    assert not Macro.objects.filter(team=team).exists()


def test_a_lead_saves_support_hours_and_targets(login: Any, lead: Any, team: Any) -> None:
    res = login(lead).post(
        "/teams/pipeline/settings/hours/",
        {
            "time_zone": "Europe/Berlin",
            "holiday_country": "DE",
            "holiday_subdiv": "BE",
            "hours-mon": "08:00-12:00, 13:00-17:00",
            "hours-fri": "09:00-15:00",
            "sla-2-great": "10",
            "sla-2-okay": "30",
        },
    )
    assert res.status_code == 302
    team.refresh_from_db()
    assert team.time_zone == "Europe/Berlin"
    assert team.hours["mon"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert "tue" not in team.hours or team.hours["tue"] == []
    assert team.sla_targets == {"2": {"great": 10, "okay": 30}}
    assert Event.objects.filter(action="team.support_hours").exists()


def test_bad_hours_are_refused_naming_the_day(login: Any, lead: Any, team: Any) -> None:
    res = login(lead).post(
        "/teams/pipeline/settings/hours/",
        {"time_zone": "Europe/London", "hours-tue": "nine to five"},
        follow=True,
    )
    assert "Tuesday: write hours like 09:00-17:00" in res.content.decode()
    assert Team.objects.get(pk=team.pk).hours["tue"] == [["09:00", "17:00"]]


def test_a_lead_sets_the_rotation(login: Any, lead: Any, hero: Any, teammate: Any) -> None:
    res = login(lead).post(
        "/teams/pipeline/settings/rotation/",
        {
            "pos-hera": "1",
            "pos-tim": "2",
            "pos-lena": "",
            "start_date": "2030-01-07",
            "handoff_time": "09:00",
            "handoff_weekday": "0",
            "turn_days": "7",
            "time_zone": "Europe/London",
        },
    )
    assert res.status_code == 302
    version = RotationVersion.objects.get()
    assert version.usernames() == ["hera", "tim"] and version.handoff_weekday == 0


def test_a_lead_manages_team_macros_and_routing_rules(login: Any, lead: Any, team: Any) -> None:
    client = login(lead)
    client.post(
        "/teams/pipeline/settings/macros/",
        {
            "name": "Batch exports",
            "body": "Hey {{ requester.first_name }}, about exports…",
            "kind": "public",
            "set_status": "pending",
        },
    )
    macro = Macro.objects.get(team=team)
    assert macro.set_status == "pending"
    res = client.post(
        "/teams/pipeline/settings/macros/", {"name": "Bad", "body": "{{ nope }}"}, follow=True
    )
    assert "unknown placeholder" in res.content.decode()
    client.post(f"/teams/pipeline/settings/macros/{macro.pk}/delete/")
    assert not Macro.objects.filter(team=team).exists()
    client.post(
        "/teams/pipeline/settings/routing/",
        {"name": "Exports", "channel": "email", "keywords": "export, s3 ", "position": "5"},
    )
    rule = RoutingRule.objects.get()
    assert rule.team == team and rule.keywords == ["export", "s3"]
    res = client.post("/teams/pipeline/settings/routing/", {"name": "Everything"}, follow=True)
    assert "at least one condition" in res.content.decode()
    client.post(f"/teams/pipeline/settings/routing/{rule.pk}/delete/")
    assert not RoutingRule.objects.exists()
    assert Event.objects.filter(action="routing_rule.deleted").exists()
