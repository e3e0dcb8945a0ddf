"""Writes to requesters (`requester_<verb>`): created on first contact, filled in
later, never overwritten by a channel. Each change is audited (actor: the channel
or person that caused it)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from herodesk.audit.log import record
from herodesk.customers.lookup import (
    organization_for,
    organization_for_email,
    requester_by_email,
)
from herodesk.customers.models import Organization, Requester
from herodesk.customers.signals import requester_changed

FILLABLE = ("name", "github_login", "slack_user_id", "username")


def _create(actor: Any, **fields: Any) -> Requester:
    requester = Requester.objects.create(**fields)
    record(actor, "requester.created", requester, after={k: str(v) for k, v in fields.items()})
    return requester


def requester_for(
    *,
    email: str | None = None,
    name: str = "",
    organization: str | None = None,
    actor: Any = "intake",
) -> Requester:
    """The requester with this email, created if new; fills in a missing name/org."""
    email = email.strip().lower() if email else None
    if email:
        existing = requester_by_email(email)
        if existing is not None:
            return _fill_in(existing, name, organization, actor)
        org = organization_for(organization) or organization_for_email(email)
        try:
            with transaction.atomic():
                return _create(actor, email=email, name=name, organization=org)
        except IntegrityError:  # created concurrently
            return Requester.objects.select_related("organization").get(email=email)
    with transaction.atomic():
        return _create(actor, email=None, name=name, organization=organization_for(organization))


@transaction.atomic
def requester_create_identity(
    field: str, value: str, *, name: str = "", organization: str | None = None, actor: Any
) -> Requester:
    """A requester known only by a channel identity (GitHub login, Slack user, username)."""
    if field not in FILLABLE[1:]:
        raise ValueError(f"not a requester identity: {field}")
    org = organization_for(organization) if organization else None
    return _create(actor, email=None, name=name or value, organization=org, **{field: value})


@transaction.atomic
def requester_fill_in(requester: Requester, *, actor: Any, **values: str) -> Requester:
    """Set the given fields where the requester has none yet (never overwrite)."""
    changed = {}
    for field, value in values.items():
        if field not in FILLABLE:
            raise ValueError(f"requester field {field} cannot be filled in")
        if value and not getattr(requester, field):
            setattr(requester, field, value)
            changed[field] = value
    if changed:
        requester.save(update_fields=list(changed))
        record(actor, "requester.filled_in", requester, after=changed)
        if "name" in changed:
            requester_changed.send(Requester, requester=requester, fields=list(changed))
    return requester


def _fill_in(existing: Requester, name: str, organization: str | None, actor: Any) -> Requester:
    """Complete a known requester's missing name or organization (never overwrite)."""
    org: Organization | None = None
    if not existing.organization_id:
        org = organization_for(organization) or (
            organization_for_email(existing.email) if existing.email else None
        )
    if not (name and not existing.name) and org is None:
        return existing  # the common case: nothing to write
    with transaction.atomic():
        fields = {}
        if name and not existing.name:
            existing.name = name
            fields["name"] = name
        if org is not None:
            existing.organization = org
            fields["organization"] = org.name
        existing.save(update_fields=[f for f in fields])
        record(actor, "requester.filled_in", existing, after=fields)
        requester_changed.send(Requester, requester=existing, fields=list(fields))
    return existing
