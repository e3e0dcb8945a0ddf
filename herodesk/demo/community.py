"""Demo community questions (called by `herodesk demo`): topics with their page
globs, routing rules by docs page, a few community accounts, and questions on
several docs pages — some answered by the team or by members, one resolved with
an accepted answer. Everything goes through the community actions, so the desk
items appear when the worker runs. Loading twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from herodesk.community import actions
from herodesk.community.authors import Author
from herodesk.community.models import Account, Role, Topic
from herodesk.demo.data import DEMO_PASSWORD
from herodesk.intake import actions as rules
from herodesk.intake.models import RoutingRule
from herodesk.teams.models import Team

# slug, name, page globs, team channel, routed team
TOPICS = [
    ("data-pipelines", "Data pipelines", ["/docs/data-pipelines/*"], "#team-pipeline", "pipeline"),
    ("feature-flags", "Feature flags", ["/docs/feature-flags*"], "#team-feature-success",
     "feature-success"),
    ("session-replay", "Session replay", ["/docs/session-replay/*"], "#team-monitoring",
     "monitoring"),
    ("product-analytics", "Product analytics", ["/docs/product-analytics/*"], "",
     "product-analytics"),
]  # fmt: skip
ACCOUNTS = [
    ("maria@example.org", "Maria Silva", Role.MEMBER),
    ("kenji@example.org", "Kenji Sato", Role.MEMBER),
    ("olu@example.org", "Olu Adeyemi", Role.MODERATOR),
]
# page, title, body, asker, answers [(author: email | "team", body)], resolved (index accepted)
QUESTIONS: list[tuple[str, str, str, str, list[tuple[str, str]], int | None]] = [
    ("/docs/data-pipelines/s3", "S3 export stuck in “pending” since Monday",
     "Our batch export to S3 shows **pending** for three days. The bucket policy allows "
     "`s3:PutObject`. What else should I check?", "maria@example.org",
     [("team", "Hi Maria, the export role also needs `s3:ListBucket`. Add it and re-run "
       "the export from *Data pipelines → Exports*."),
      ("maria@example.org", "That was it — the run finished in two minutes. Thanks!")], 0),
    ("/docs/feature-flags", "Roll out a flag to 10% of one cohort only?",
     "Can I combine a cohort condition with a rollout percentage?\n\n```json\n"
     "{\"rollout_percentage\": 10, \"cohort\": \"beta-testers\"}\n```", "kenji@example.org",
     [("olu@example.org", "Yes: add the cohort as a release condition and set the "
       "percentage on that condition, not on the flag.")], None),
    ("/docs/session-replay/privacy", "Mask every input except search boxes?",
     "We mask all inputs, but we'd like to see what people type in search. Possible?",
     "maria@example.org", [], None),
    ("/docs/product-analytics/funnels", "Funnel conversion differs from the trends count",
     "A funnel says 412 conversions, a trends insight on the last step says 530. Why?",
     "kenji@example.org", [("team", "Hi Kenji, funnels count people who did the steps in "
       "order within the window; trends count every event. Both are right.")], None),
]  # fmt: skip


def _account(email: str, name: str, role: str) -> Account:
    found = Account.objects.filter(email=email).first()
    if found is not None:
        return found
    now = timezone.now()
    account = Account(email=email, name=name, role=role, created_at=now,
                      email_verified_at=now, approved_posts=1)  # fmt: skip
    account.set_password(DEMO_PASSWORD)
    account.save()
    return account


def _topics_and_rules() -> None:
    teams = {t.slug: t for t in Team.objects.all()}
    for i, (slug, name, paths, channel, team) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "paths": paths, "slack_channel": channel,
                                 "position": i})  # fmt: skip
        if team in teams and not RoutingRule.objects.filter(name=f"{name} docs").exists():
            rules.routing_rule_save(team=teams[team], actor="demo", name=f"{name} docs",
                                    page=paths[0], position=5 + i)  # fmt: skip


def _author(who: str, accounts: dict[str, Account], staff: Any) -> Author | None:
    if who == "team":
        return Author(user=staff) if staff is not None else None
    return Author(account=accounts[who])


def load(out: IO[str]) -> None:
    if Topic.objects.exists():
        out.write("Community topics already loaded; nothing to add.\n")
        return
    staff = get_user_model().objects.filter(username="ana").first()
    with transaction.atomic():
        _topics_and_rules()
        accounts = {e: _account(e, n, r) for e, n, r in ACCOUNTS}
        start = timezone.now() - timedelta(hours=len(QUESTIONS) * 3)
        for i, (page, title, body, asker, answers, accepted) in enumerate(QUESTIONS):
            at = start + timedelta(hours=3 * i)
            q = actions.question_ask(Author(account=accounts[asker]), page=page, title=title,
                                     body=body, at=at)  # fmt: skip
            posted = []
            for j, (who, text) in enumerate(answers):
                author = _author(who, accounts, staff)
                if author is not None:
                    at_j = at + timedelta(minutes=20 * (j + 1))
                    posted.append(actions.answer_post(q, author, body=text, at=at_j))
            if accepted is not None and posted:
                actions.question_resolve(q, Author(account=accounts[asker]), posted[accepted])
    out.write(
        f"Loaded {len(TOPICS)} community topics, {len(ACCOUNTS)} community accounts "
        f"(password {DEMO_PASSWORD}) and {len(QUESTIONS)} questions (/community/).\n"
    )
