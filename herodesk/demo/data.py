"""Demo data: the seed's five teams, people on both sides of the Atlantic,
customers on every plan and ~200 tickets. Loading twice changes nothing."""

from __future__ import annotations

import importlib
import random
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from herodesk.customers.models import Organization, Requester
from herodesk.demo.stories import story
from herodesk.teams.models import Membership, Person, Team
from herodesk.tickets import actions
from herodesk.tickets.answer import answer_for
from herodesk.tickets.models import Channel, Status, Ticket


class Out(Protocol):
    def write(self, msg: str) -> Any: ...


ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "herodesk-admin"
DEMO_PASSWORD = "herodesk-demo"

TEAMS = [
    ("product-analytics", "Product Analytics", "Europe/London", "GB", "ENG"),
    ("feature-success", "Feature Success", "Europe/London", "GB", "ENG"),
    ("monitoring", "Monitoring", "America/New_York", "US", "NY"),
    ("pipeline", "Pipeline", "Europe/Berlin", "DE", "BE"),
    ("infrastructure", "Infrastructure", "America/Los_Angeles", "US", "CA"),
]
# username, full name, time zone, holiday country, team slug, role
PEOPLE = [
    ("ana", "Ana Souza", "Europe/London", "GB", "product-analytics", "lead"),
    ("marco", "Marco Rossi", "Europe/Rome", "IT", "product-analytics", "member"),
    ("lucia", "Lucía Fernández", "America/Sao_Paulo", "BR", "product-analytics", "member"),
    ("james", "James Carter", "America/New_York", "US", "feature-success", "lead"),
    ("priya", "Priya Patel", "Europe/London", "GB", "feature-success", "member"),
    ("tom", "Tom Nguyen", "America/Los_Angeles", "US", "feature-success", "member"),
    ("sofia", "Sofía García", "Europe/Madrid", "ES", "monitoring", "lead"),
    ("ben", "Ben Okafor", "America/Toronto", "CA", "monitoring", "member"),
    ("noah", "Noah Schmidt", "Europe/Berlin", "DE", "monitoring", "member"),
    ("kasia", "Kasia Nowak", "Europe/Warsaw", "PL", "pipeline", "lead"),
    ("diego", "Diego Alvarez", "America/Mexico_City", "MX", "pipeline", "member"),
    ("emily", "Emily Chen", "America/Chicago", "US", "pipeline", "member"),
    ("lars", "Lars Berg", "Europe/Stockholm", "SE", "infrastructure", "lead"),
    ("maya", "Maya Cohen", "America/Denver", "US", "infrastructure", "member"),
    ("oliver", "Oliver Hughes", "Europe/London", "GB", "infrastructure", "member"),
]
CS_PEOPLE = [
    ("olivia", "Olivia Brooks", "America/New_York", "US"),
    ("harry", "Harry Wilson", "Europe/London", "GB"),
]
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
    "herodesk.demo.intake",
    "herodesk.demo.notify",
    "herodesk.demo.community",
]


def _user(username: str, full_name: str, **extra: Any) -> Any:
    User = get_user_model()
    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@herodesk.example",
            "is_staff": extra.get("is_staff", False),
        },
    )
    if created:
        user.set_password(extra.get("password", DEMO_PASSWORD))
        user.save()
    return user


def _people() -> None:
    admin = _user(ADMIN_USERNAME, "Ada Admin", is_staff=True, password=ADMIN_PASSWORD)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save()
    Person.objects.get_or_create(user=admin, defaults={"time_zone": "Europe/London"})
    for slug, name, tz, country, subdiv in TEAMS:
        Team.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "time_zone": tz,
                "holiday_country": country,
                "holiday_subdiv": subdiv,
                "aliases": [f"Secondary - {name}"],
                "slack_channel": f"#support-{slug}",
                "email": f"{slug}@herodesk.example",
            },
        )
    for username, full, tz, country, slug, role in PEOPLE:
        user = _user(username, full)
        person, _ = Person.objects.get_or_create(
            user=user, defaults={"time_zone": tz, "holiday_country": country}
        )
        Membership.objects.get_or_create(
            team=Team.objects.get(slug=slug), person=person, defaults={"role": role}
        )
    for username, full, tz, country in CS_PEOPLE:
        user = _user(username, full)
        Person.objects.get_or_create(
            user=user,
            defaults={"time_zone": tz, "holiday_country": country, "kind": Person.CUSTOMER_SUCCESS},
        )


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
        actions.ticket_set_status(ticket, Status.SOLVED, actor=hero, at=at + timedelta(minutes=30))


def load_demo(out: Out, tickets: int = 200) -> None:
    rng = random.Random(42)
    with transaction.atomic():
        _people()
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
