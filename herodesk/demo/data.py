"""Demo data: the seed's five teams, people on both sides of the Atlantic,
customers on every plan and ~200 tickets. Loading twice changes nothing."""

from __future__ import annotations

import importlib
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from herodesk.customers.models import Organization, Requester
from herodesk.demo.stories import SOLUTIONS, story
from herodesk.setup.apply import apply_text
from herodesk.teams.models import Team
from herodesk.tickets import actions
from herodesk.tickets.answer import answer_for
from herodesk.tickets.models import Channel, Status, Ticket


class Out(Protocol):
    def write(self, msg: str) -> Any: ...


ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "herodesk-admin"
DEMO_PASSWORD = "herodesk-demo"

# name, domain, plan, self-hosted, region, CS owner
ORGS = [
    ("Acme Analytics", "acme.example", "enterprise", False, "EU", "harry"),
    ("Globex", "globex.example", "scale", False, "US", "olivia"),
    ("Initech", "initech.example", "teams", False, "US", None),
    ("Hooli", "hooli.example", "paid", False, "EU", None),
    ("Umbrella Labs (self-hosted)", "umbrella.example", "free", True, "US", None),
    ("Tiny Startup", "tiny.example", "free", False, "EU", None),
    ("Pied Piper", "piedpiper.example", "enterprise", False, "US", "olivia"),
]
FIRST = [
    "Alice",
    "Bruno",
    "Chloé",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Mei",
    "Nadia",
    "Omar",
    "Paula",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
]
CHANNELS = [
    Channel.EMAIL,
    Channel.EMAIL,
    Channel.EMAIL,
    Channel.BUG_REPORT,
    Channel.BUG_REPORT,
    Channel.CS_ESCALATION,
    Channel.GITHUB,
    Channel.COMMUNITY,
    Channel.SENTRY,
    Channel.ZENDESK,
]
# Loaders of other apps, run after ours when present (rotations, routing, …).
EXTRA_LOADERS = [
    "herodesk.demo.rotations",
    "herodesk.demo.notify",
    "herodesk.demo.community",
]


DESK_FILE = Path(__file__).resolve().parent / "desk.toml"


def _desk(out: Out) -> None:
    """People, teams, rotations, channels, routing and macros from desk.toml
    (the same `apply` as `herodesk apply`); then the demo passwords."""
    outcome = apply_text(
        DESK_FILE.read_text(encoding="utf-8"), "herodesk/demo/desk.toml", who="demo"
    )
    if outcome.problems:
        raise RuntimeError("; ".join(str(p) for p in outcome.problems))
    out.write(f"desk.toml: {len(outcome.changes) or 'no'} changes.\n")
    User = get_user_model()
    for user in User.objects.filter(person__isnull=False, is_active=True):
        if not user.has_usable_password():
            user.set_password(ADMIN_PASSWORD if user.username == ADMIN_USERNAME else DEMO_PASSWORD)
            user.save(update_fields=["password"])


def _customers(rng: random.Random) -> list[Requester]:
    User = get_user_model()
    requesters = []
    for name, domain, plan, self_hosted, region, cs in ORGS:
        org, _ = Organization.objects.get_or_create(
            name=name,
            defaults={
                "domain": domain,
                "plan": plan,
                "self_hosted": self_hosted,
                "region": region,
                "external_id": domain.split(".")[0],
                "cs_owner": User.objects.filter(username=cs).first() if cs else None,
                "admin_url": f"https://app.example.com/admin/org/{domain.split('.')[0]}",
                "billing_url": f"https://billing.example.com/customers/{domain.split('.')[0]}",
            },
        )
        for first in rng.sample(FIRST, 3):
            email = f"{first.lower()}@{domain}"
            req, _ = Requester.objects.get_or_create(
                email=email, defaults={"name": f"{first} {name.split()[0]}", "organization": org}
            )
            requesters.append(req)
    for first in rng.sample(FIRST, 4):  # community members with no organization
        req, _ = Requester.objects.get_or_create(
            email=f"{first.lower()}.dev@mail.example",
            defaults={"name": first, "github_login": f"{first.lower()}-codes"},
        )
        requesters.append(req)
    return requesters


def _requester_for(rng: random.Random, channel: str, requesters: list[Requester]) -> Any:
    community = [r for r in requesters if r.organization_id is None]
    customers = [r for r in requesters if r.organization_id is not None]
    if channel in (Channel.GITHUB, Channel.COMMUNITY):
        return rng.choice(community)
    if channel == Channel.SENTRY:
        return None  # an alert, not a customer's message
    if channel == Channel.CS_ESCALATION:
        big = [r for r in customers if r.organization and r.organization.plan == "enterprise"]
        return rng.choice(big or customers)
    return rng.choice(customers)


def _ticket(rng: random.Random, i: int, requesters: list[Requester], now: datetime) -> None:
    team = rng.choice(list(Team.objects.all()))
    members = [m.person.user for m in team.memberships.select_related("person__user")]
    channel = rng.choice(CHANNELS)
    s = story(rng, channel, team.slug, i, _requester_for(rng, channel, requesters))
    created = now - timedelta(minutes=rng.randint(5, 14 * 24 * 60))
    ticket = actions.ticket_create(
        subject=s.subject,
        body=s.body,
        actor="demo",
        channel=channel,
        team=team,
        requester=s.requester,
        created_at=created,
        escalated=s.escalated,
        external_ref=s.external_ref,
        external_url=s.external_url,
        metadata={"demo": True, **s.metadata},
    )
    fate = rng.random()
    hero = rng.choice(members)
    if fate < 0.45:
        return  # still waiting for a first response
    actions.ticket_assign(ticket, hero, actor=hero, at=created + timedelta(minutes=3))
    reply_at = created + timedelta(minutes=rng.choice([7, 12, 40, 90, 300, 1500]))
    if reply_at > now:
        return
    actions.ticket_note(
        ticket,
        author=hero,
        at=reply_at - timedelta(minutes=1),
        body=NOTES.get(channel, "Checked the logs; looks related to the ingestion lag last week."),
    )
    _answer(ticket, hero, reply_at, fate)


NOTES = {
    Channel.SENTRY: "Started after this morning's deploy; rolling back the worker image.",
    Channel.GITHUB: "Reproduced on the latest SDK; fix is a one-liner in the retry queue.",
    Channel.COMMUNITY: "Answered on the page with the cohort filter steps.",
}


def _answer(ticket: Any, hero: Any, at: datetime, fate: float) -> None:
    """Reply where the channel answers; else answer at the source or resolve."""
    if not answer_for(ticket).public:
        if fate >= 0.65 and ticket.channel in (Channel.GITHUB, Channel.COMMUNITY):
            actions.ticket_mark_answered(ticket, actor=hero, at=at + timedelta(minutes=5))
        elif fate >= 0.65:
            actions.ticket_set_status(ticket, Status.SOLVED, actor=hero, at=at)
        return
    first = ticket.requester.first_name if ticket.requester else "there"
    actions.ticket_reply(
        ticket,
        author=hero,
        at=at,
        body=f"Hey {first}, thanks for the report! I'm looking into it now and "
        "will get back to you as soon as I know more.",
    )
    if fate < 0.65:
        actions.ticket_set_status(ticket, Status.PENDING, actor=hero, at=at)
    elif fate < 0.9:
        solution = SOLUTIONS.get(ticket.subject)
        if solution and fate < 0.75:  # the requester asks again before the fix: a next reply
            actions.ticket_requester_message(
                ticket,
                body="Thanks! It is still happening on our side; anything we can try meanwhile?",
                at=at + timedelta(minutes=10),
            )
        if solution:  # the reply that solved it (reused by "Similar solved tickets")
            actions.ticket_reply(
                ticket,
                author=hero,
                at=at + timedelta(minutes=25),
                body=f"Hey {first},\n\n{solution}",
            )
        actions.ticket_set_status(ticket, Status.SOLVED, actor=hero, at=at + timedelta(minutes=30))


def load_demo(out: Out, tickets: int = 200) -> None:
    rng = random.Random(42)
    _desk(out)
    with transaction.atomic():
        requesters = _customers(rng)
    if Ticket.objects.filter(metadata__demo=True).exists():
        out.write("Demo tickets already loaded; nothing to add.\n")
    else:
        now = timezone.now()
        for i in range(tickets):
            with transaction.atomic():
                _ticket(rng, i, requesters, now)
        out.write(f"Loaded {tickets} demo tickets.\n")
    for module in EXTRA_LOADERS:
        try:
            loader = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        loader.load(out)
    out.write(
        f"Log in as {ADMIN_USERNAME} / {ADMIN_PASSWORD} "
        f"(heroes: ana, james, sofia, kasia, lars, … / {DEMO_PASSWORD}).\n"
    )
