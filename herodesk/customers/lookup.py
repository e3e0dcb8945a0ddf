"""Find or create requesters and organizations (used by the API and intake)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from herodesk.customers.models import Organization, Requester


def organization_for(ref: str | None) -> Organization | None:
    if not ref:
        return None
    return Organization.objects.filter(Q(name__iexact=ref) | Q(external_id=ref)).first()


def organization_for_email(email: str) -> Organization | None:
    domain = email.rsplit("@", 1)[-1].lower()
    return Organization.objects.filter(domain=domain).first() if domain else None


def requester_for(
    *, email: str | None = None, name: str = "", organization: str | None = None
) -> Requester:
    """The requester with this email, created if new; fills in a missing name/org."""
    email = email.strip().lower() if email else None
    org = organization_for(organization) or (organization_for_email(email) if email else None)
    if email:
        existing = Requester.objects.select_related("organization").filter(email=email).first()
        if existing is not None:
            changed = False
            if name and not existing.name:
                existing.name, changed = name, True
            if org and not existing.organization_id:
                existing.organization, changed = org, True
            if changed:
                existing.save(update_fields=["name", "organization"])
            return existing
        try:
            with transaction.atomic():
                return Requester.objects.create(email=email, name=name, organization=org)
        except IntegrityError:  # created concurrently
            return Requester.objects.select_related("organization").get(email=email)
    return Requester.objects.create(email=None, name=name, organization=org)
