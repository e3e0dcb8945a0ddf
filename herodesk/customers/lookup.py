"""Find or create requesters and organizations (used by the API and intake)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from herodesk.customers.models import Organization, Requester
from herodesk.lib.prepared import Prepared

# Hot paths (every API create and intake delivery): compiled once, see core/prepared.py.
_BY_DOMAIN = Prepared(
    Organization, lambda domain: Organization.objects.filter(domain=domain).order_by("pk")[:1]
)
_REQUESTER = Prepared(
    Requester,
    lambda email: Requester.objects.select_related("organization").filter(email=email)[:1],
)


def organization_for(ref: str | None) -> Organization | None:
    if not ref:
        return None
    return Organization.objects.filter(Q(name__iexact=ref) | Q(external_id=ref)).first()


def organization_for_email(email: str) -> Organization | None:
    domain = email.rsplit("@", 1)[-1].lower()
    return _BY_DOMAIN.first(domain) if domain else None


def requester_for(
    *, email: str | None = None, name: str = "", organization: str | None = None
) -> Requester:
    """The requester with this email, created if new; fills in a missing name/org."""
    email = email.strip().lower() if email else None
    if email:
        existing = _REQUESTER.first(email)
        if existing is not None:
            return _fill_in(existing, name, organization)
        org = organization_for(organization) or organization_for_email(email)
        try:
            with transaction.atomic():
                return Requester.objects.create(email=email, name=name, organization=org)
        except IntegrityError:  # created concurrently
            return Requester.objects.select_related("organization").get(email=email)
    org = organization_for(organization)
    return Requester.objects.create(email=None, name=name, organization=org)


def _fill_in(existing: Requester, name: str, organization: str | None) -> Requester:
    """Complete a known requester's missing name or organization (never overwrite)."""
    fields = []
    if name and not existing.name:
        existing.name = name
        fields.append("name")
    if not existing.organization_id:
        org = organization_for(organization) or (
            organization_for_email(existing.email) if existing.email else None
        )
        if org is not None:
            existing.organization = org
            fields.append("organization")
    if fields:
        existing.save(update_fields=fields)
    return existing
