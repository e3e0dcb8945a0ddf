"""Team settings for leads (and admins): support hours and response targets,
the rotation, routing rules, macros. Anyone else gets the 403 page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from herodesk.domain.holiday_regions import upcoming
from herodesk.domain.sla import DEFAULT_TARGETS
from herodesk.domain.tiers import TIER_LABELS, Tier
from herodesk.intake import actions as rules
from herodesk.intake.models import RoutingRule
from herodesk.lib import channels
from herodesk.lib.errors import ActionError, Forbidden, Invalid
from herodesk.rotations import actions as rotation_actions
from herodesk.rotations import queries as rotation_queries
from herodesk.teams import access
from herodesk.teams import actions as team_actions
from herodesk.teams.models import Team
from herodesk.tickets import actions
from herodesk.tickets.macros import PLACEHOLDERS
from herodesk.tickets.models import Macro, MacroKind
from herodesk.web import forms
from herodesk.web.views.common import desk_view, fail, int_or_404, page

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _team(request: HttpRequest, slug: str) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404(f"no team {slug}")
    access.require_team_admin(request.user, team)
    return team


def _back(slug: str, section: str) -> str:
    return reverse("team_settings", args=[slug]) + f"#{section}"


@desk_view
def settings_home(request: HttpRequest) -> HttpResponse:
    teams = list(Team.objects.order_by("name"))
    mine = next((t for t in teams if access.can_admin_team(request.user, t)), None)
    if mine is None:
        raise Forbidden("Team settings are for team leads and admins.")
    return redirect("team_settings", slug=mine.slug)


def _targets(team: Team) -> list[dict[str, Any]]:
    rows = []
    for tier in Tier:
        custom = (team.sla_targets or {}).get(str(tier.value), {})
        base = DEFAULT_TARGETS[tier]
        rows.append(
            {
                "tier": tier.value,
                "label": TIER_LABELS[tier],
                "values": [
                    (kind, custom.get(kind, ""), int(getattr(base, kind).total_seconds() // 60))
                    for kind in forms.TARGET_KINDS
                ],
            }
        )
    return rows


@desk_view
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    now = timezone.now()
    members = list(
        team.memberships.select_related("person__user").order_by(
            "person__user__first_name", "person__user__username"
        )
    )
    current = rotation_queries.current_version(team, now)
    order = current.usernames() if current else []
    edit = request.GET.get("macro", "")
    team_macros = list(Macro.objects.filter(team=team))
    return page(
        request,
        "web/settings/team.html",
        {
            "team": team,
            "members": members,
            "rotation": current,
            "positions": {name: i + 1 for i, name in enumerate(order)},
            "hours": forms.hours_text(team.hours),
            "days": forms.DAYS,
            "day_labels": forms.DAY_LABELS,
            "targets": _targets(team),
            "next_holidays": upcoming(
                team.calendar().holiday_country,
                team.calendar().holiday_subdiv,
                now.astimezone(team.calendar().tz).date(),
            ),
            "weekdays": WEEKDAYS,
            "macros": team_macros,
            "global_macros": list(Macro.objects.filter(team__isnull=True)),
            "editing": next((m for m in team_macros if str(m.pk) == edit), None),
            "placeholders": [(k, v[1]) for k, v in PLACEHOLDERS.items()],
            "rules": list(RoutingRule.objects.filter(team=team).select_related("organization")),
            "routing_fields": list(channels.routing_fields().values()),
            "channels": channels.choices(),
            "kinds": MacroKind.choices,
            "teams": [
                t for t in Team.objects.order_by("name") if access.can_admin_team(request.user, t)
            ],
            "now": now,
            "handoff_day": WEEKDAYS[current.handoff_weekday]
            if current and current.handoff_weekday is not None
            else "",
        },
    )


@require_POST
@desk_view
def save_hours(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    try:
        with transaction.atomic():  # both or neither
            moved = _save_hours(request, team)
    except ActionError as exc:
        return fail(request, exc, _back(slug, "hours"))
    what = f" {moved} running response clock(s) moved to the new times." if moved else ""
    messages.success(request, f"Support hours and response targets saved.{what}")
    return redirect(_back(slug, "hours"))


def _save_hours(request: HttpRequest, team: Team) -> int:
    """Write the hours, then the targets; how many running clocks moved."""
    hours = team_actions.team_set_support_hours(
        team,
        actor=request.user,
        time_zone=forms.zone(request.POST.get("time_zone", "")),
        hours=forms.parse_hours(request.POST),
        holiday_country=request.POST.get("holiday_country", "").strip(),
        holiday_subdiv=request.POST.get("holiday_subdiv", "").strip(),
    )
    targets = team_actions.team_set_sla_targets(
        hours, actor=request.user, targets=forms.parse_targets(request.POST)
    )
    return hours.clocks_recomputed + targets.clocks_recomputed


@require_POST
@desk_view
def save_rotation(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    names = list(team.memberships.values_list("person__user__username", flat=True))
    try:
        values = forms.parse_rotation(request.POST, names)
        rotation_actions.rotation_set(team, actor=request.user, **values)
    except ActionError as exc:
        return fail(request, exc, _back(slug, "rotation"))
    messages.success(
        request, "Rotation saved. The schedule shows it from now on; the past is never rewritten."
    )
    return redirect(_back(slug, "rotation"))


def _position(raw: str) -> int:
    raw = (raw or "100").strip()
    if not raw.isdigit():
        raise Invalid("position is a number", field="position")
    return int(raw)


@require_POST
@desk_view
def save_macro(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    data = request.POST
    values: dict[str, Any] = {
        "name": data.get("name", ""),
        "body": data.get("body", ""),
        "kind": data.get("kind", MacroKind.PUBLIC),
        "set_status": data.get("set_status", ""),
    }
    try:
        values["position"] = _position(data.get("position", ""))
        raw = data.get("id", "")
        if raw:
            macro = Macro.objects.filter(pk=int_or_404(raw), team=team).first()
            if macro is None:
                raise Invalid("that macro is not one of this team's", field="id")
            actions.macro_update(macro, actor=request.user, **values)
        else:
            actions.macro_create(team=team, actor=request.user, **values)
    except ActionError as exc:
        return fail(request, exc, _back(slug, "macros"))
    messages.success(request, f"Macro “{values['name']}” saved.")
    return redirect(_back(slug, "macros"))


@require_POST
@desk_view
def delete_macro(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = _team(request, slug)
    macro = Macro.objects.filter(pk=pk, team=team).first()
    if macro is None:
        raise Http404("no such macro")
    actions.macro_delete(macro, actor=request.user)
    messages.success(request, f"Macro “{macro.name}” deleted.")
    return redirect(_back(slug, "macros"))


@require_POST
@desk_view
def save_rule(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    data = request.POST
    try:
        rules.routing_rule_save(
            team=team,
            actor=request.user,
            name=data.get("name", ""),
            channel=data.get("channel", ""),
            conditions=[
                {"field": f, "op": rf.operators[0], "value": data[f]}
                for f, rf in channels.routing_fields().items()
                if data.get(f, "").strip()
            ],
            keywords=(data.get("keywords") or "").split(","),
            organization=data.get("organization", ""),
            # Empty: the default place (for a lead: behind other teams' rules).
            position=_position(data["position"]) if data.get("position", "").strip() else None,
            enabled=True,
        )
    except ActionError as exc:
        return fail(request, exc, _back(slug, "routing"))
    messages.success(request, "Routing rule saved.")
    return redirect(_back(slug, "routing"))


@require_POST
@desk_view
def delete_rule(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = _team(request, slug)
    rule = RoutingRule.objects.filter(pk=pk, team=team).first()
    if rule is None:
        raise Http404("no such rule")
    rules.routing_rule_delete(rule, actor=request.user)
    messages.success(request, "Routing rule deleted.")
    return redirect(_back(slug, "routing"))
