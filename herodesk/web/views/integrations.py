"""A team's integrations: where its items come from (GitHub repositories,
Sentry projects, Slack channels, the Zendesk bridge), each with its state and
a "Send a test event" button that goes through the real webhook checks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST

from herodesk.intake import actions as intake_actions
from herodesk.intake import base as intake_base
from herodesk.intake import registry
from herodesk.intake.models import (
    Delivery,
    DeliveryStatus,
    GitHubRepository,
    RoutingRule,
    SlackChannel,
)
from herodesk.intake.samples import BUILDERS, send_test_event
from herodesk.lib.errors import ActionError
from herodesk.teams import access
from herodesk.teams.models import Team
from herodesk.web.views.common import desk_view, fail, page

CHANNELS = [("github", "GitHub"), ("sentry", "Sentry"), ("slack", "Slack"), ("zendesk", "Zendesk")]


def _team(request: HttpRequest, slug: str) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404(f"no team {slug}")
    access.require_team_admin(request.user, team)
    return team


def status_lines(channel: str, now: Any) -> list[tuple[str, str]]:
    """(level, text) lines: is it set up, when did it last hear anything, what failed."""
    hook = registry.hook(channel)
    lines: list[tuple[str, str]] = []
    if not getattr(settings, hook.secret_setting, ""):
        lines.append(("warn", f"secret not set ({hook.secret_setting}): deliveries are refused"))
    last = Delivery.objects.filter(channel=channel).order_by("-received_at").first()
    if last is None:
        lines.append(("muted", "no delivery yet"))
    else:
        lines.append(
            ("ok", f"last delivery {timesince(last.received_at, now)} ago ({last.status})")
        )
    hour = now - timedelta(hours=1)
    bad = intake_base.signature_failures(channel, hour)
    if bad:
        lines.append(("warn", f"{bad} signature failure{'s' if bad != 1 else ''} in the last hour"))
    failed = Delivery.objects.filter(
        channel=channel, status=DeliveryStatus.FAILED, received_at__gte=hour
    ).count()
    if failed:
        lines.append(
            ("warn", f"{failed} deliver{'ies' if failed != 1 else 'y'} failed in the last hour")
        )
    return lines


def _sources(team: Team) -> dict[str, list[str]]:
    rules = RoutingRule.objects.filter(team=team, enabled=True)
    return {
        "github": sorted({r.repository for r in rules if r.repository}),
        "sentry": sorted({r.sentry_project for r in rules if r.sentry_project}),
        "slack": sorted({r.slack_channel for r in rules if r.slack_channel}),
        "zendesk": ["bridge"] if any(r.channel == "zendesk" for r in rules) else [],
    }


@desk_view
def integrations_page(request: HttpRequest, slug: str) -> HttpResponse:
    team, now = _team(request, slug), timezone.now()
    sources = _sources(team)
    cards = [
        {"channel": c, "label": label, "status": status_lines(c, now), "targets": sources[c]}
        for c, label in CHANNELS
    ]
    context = {
        "team": team,
        "cards": cards,
        "repositories": {r.full_name: r for r in GitHubRepository.objects.all()},
        "slack_channels": SlackChannel.objects.order_by("name"),
        "is_admin": access.is_admin(request.user),
        "hooks_url": request.build_absolute_uri("/hooks/"),
    }
    return page(request, "web/settings/integrations.html", context)


@desk_view
@require_POST
def repository_add(request: HttpRequest, slug: str) -> HttpResponse:
    team, back = _team(request, slug), reverse("team_integrations", args=[slug])
    try:
        with transaction.atomic():
            name = intake_actions.clean_repository(request.POST.get("full_name", ""))
            if not GitHubRepository.objects.filter(full_name=name).exists():
                intake_actions.github_repository_save(full_name=name, actor=request.user)
            intake_actions.routing_rule_save(
                team=team,
                actor=request.user,
                name=f"GitHub {name}",
                channel="github",
                repository=name,
            )
    except ActionError as exc:
        return fail(request, exc, back)
    messages.success(request, f"{name}: its outside issues and comments now come to {team.name}.")
    return redirect(back)


@desk_view
@require_POST
def repository_remove(request: HttpRequest, slug: str) -> HttpResponse:
    team, back = _team(request, slug), reverse("team_integrations", args=[slug])
    name = request.POST.get("full_name", "")
    with transaction.atomic():
        rules = [r for r in RoutingRule.objects.select_related("team") if r.repository == name]
        for rule in rules:
            if rule.team_id == team.pk:
                intake_actions.routing_rule_delete(rule, actor=request.user)
        still_used = any(r.team_id != team.pk for r in rules)
        row = GitHubRepository.objects.filter(full_name=name).first()
        if row is not None and not still_used:
            intake_actions.github_repository_delete(row, actor=request.user)
    messages.success(request, f"{name} no longer sends items to {team.name}.")
    return redirect(back)


@desk_view
@require_POST
def test_event(request: HttpRequest, slug: str) -> HttpResponse:
    _team(request, slug)  # the role check
    back = reverse("team_integrations", args=[slug])
    channel, target = request.POST.get("channel", ""), request.POST.get("target", "")
    if channel not in BUILDERS:
        raise Http404(f"no test event for {channel!r}")
    status, answer = send_test_event(channel, target)
    if status == 200 and "delivery" in answer:
        messages.success(
            request,
            f"Test event accepted as delivery #{answer['delivery']} ({answer['status']}); the "
            "worker turns it into an item, routed by the rules.",
        )
    else:
        messages.error(request, f"Test event refused ({status}): {answer.get('detail', answer)}")
    return redirect(back)


@desk_view
@require_POST
def source_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Route a Sentry project, a Slack channel or the Zendesk bridge to the team
    (a Slack channel is also added to the channels HeroDesk listens to)."""
    team, back = _team(request, slug), reverse("team_integrations", args=[slug])
    kind, data = request.POST.get("channel", ""), request.POST
    try:
        with transaction.atomic():
            if kind == "slack":
                row = intake_actions.slack_channel_save(
                    channel_id=data.get("target", ""),
                    name=data.get("name", ""),
                    kind=data.get("kind", "support"),
                    actor=request.user,
                )
                label = f"Slack #{row.name or row.channel_id}"
                intake_actions.routing_rule_save(
                    team=team, actor=request.user, name=label, slack_channel=row.channel_id
                )
            elif kind == "sentry":
                project = data.get("target", "").strip().lower()
                label = f"Sentry {project}"
                intake_actions.routing_rule_save(
                    team=team,
                    actor=request.user,
                    name=label,
                    channel="sentry",
                    sentry_project=project,
                )
            elif kind == "zendesk":
                label = "Zendesk bridge"
                intake_actions.routing_rule_save(
                    team=team, actor=request.user, name=label, channel="zendesk"
                )
            else:
                raise Http404(f"no source kind {kind!r}")
    except ActionError as exc:
        return fail(request, exc, back)
    messages.success(request, f"{label}: its items now come to {team.name}.")
    return redirect(back)
