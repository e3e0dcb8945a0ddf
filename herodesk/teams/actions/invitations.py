"""Invitations: a set-password link sent to a person by email.

The link carries a random token; only its SHA-256 is stored. It works once,
expires after `settings.HERODESK_INVITE_DAYS`, and a newer invitation voids
the older ones. Sending goes through the notify outbox (a receiver of
`invitation_created` writes the email row in the same transaction), so an
invitation is never "sent" unless its email was queued with it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.lib.errors import Conflict, Invalid, NotFound
from herodesk.teams.actions.people import clean_email, free_username, person_create
from herodesk.teams.actions.team import membership_set
from herodesk.teams.models import Invitation, Person, Team
from herodesk.teams.signals import invitation_created


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def link_for(raw: str) -> str:
    return f"{settings.BASE_URL}/welcome/{raw}/"


def _open(person: Person) -> Any:
    return Invitation.objects.filter(person=person, used_at=None, voided_at=None)


@transaction.atomic
def invitation_create(
    person: Person, *, actor: Any, team: Team | None = None
) -> tuple[Invitation, str]:
    """A fresh link for `person` (older open links stop working); its email is queued."""
    if not person.user.is_active:
        raise Conflict(f"{person.user.username} is deactivated", field="username")
    if not person.user.email:
        raise Invalid(f"{person.user.username} has no email address", field="email")
    now = timezone.now()
    _open(person).update(voided_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        person=person,
        team=team,
        digest=_digest(raw),
        created_at=now,
        expires_at=now + timedelta(days=settings.HERODESK_INVITE_DAYS),
        created_by=actor if not isinstance(actor, str) else None,
    )
    after = {
        "person": person.user.username,
        "email": person.user.email,
        "expires_at": invitation.expires_at.isoformat(),
    }
    record(actor, "invitation.created", invitation, after=after)
    invitation_created.send(Invitation, invitation=invitation, link=link_for(raw))
    return invitation, raw


@transaction.atomic
def person_invite(
    *,
    email: str,
    actor: Any,
    name: str = "",
    username: str = "",
    time_zone: str = "Europe/London",
    team: Team | None = None,
    role: str = "member",
) -> tuple[Person, Invitation]:
    """A new person (on `team` with `role`, when given) and their invitation."""
    email = clean_email(email)
    person = person_create(
        username=username or free_username(email),
        email=email,
        name=name,
        time_zone=time_zone,
        actor=actor,
    )
    if team is not None:
        membership_set(team, person, role=role, actor=actor)
    invitation, _ = invitation_create(person, actor=actor, team=team)
    return person, invitation


def invitation_for(raw: str) -> Invitation:
    """The invitation behind a link, if it still works (else a message why not)."""
    row = (
        Invitation.objects.select_related("person__user", "team")
        .filter(digest=_digest(raw or ""))
        .first()
    )
    if row is None:
        raise NotFound("this link is not valid; ask for a new invitation")
    if row.used_at is not None:
        raise Conflict("this link was already used; sign in, or ask for a new one")
    if row.voided_at is not None:
        raise Conflict("a newer invitation replaced this link; use the latest email")
    if row.expires_at <= timezone.now():
        raise Conflict("this link has expired; ask an admin or your team lead for a new one")
    if not row.person.user.is_active:
        raise Conflict("this account is deactivated")
    return row


@transaction.atomic
def invitation_accept(raw: str, *, password: str) -> Any:
    """Set the password through a working link (once); returns the user."""
    row = invitation_for(raw)
    row = Invitation.objects.select_for_update().select_related("person__user").get(pk=row.pk)
    if row.used_at is not None:
        raise Conflict("this link was already used; sign in, or ask for a new one")
    user = row.person.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save(update_fields=["password"])
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    record(user, "invitation.accepted", row, after={"how": "password"})
    return user


@transaction.atomic
def invitations_settle(user: Any, *, how: str) -> None:
    """Someone signed in another way (single sign-on): their open links are used up."""
    now = timezone.now()
    for row in Invitation.objects.select_for_update().filter(
        person__user=user, used_at=None, voided_at=None, expires_at__gt=now
    ):
        row.used_at = now
        row.save(update_fields=["used_at"])
        record(user, "invitation.accepted", row, after={"how": how})
