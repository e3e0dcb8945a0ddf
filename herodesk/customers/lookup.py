"""Find requesters and organizations (reads; `customers.actions` creates and fills in)."""

from __future__ import annotations

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


def requester_by_email(email: str) -> Requester | None:
    return _REQUESTER.first(email)


def organization_for(ref: str | None) -> Organization | None:
    if not ref:
        return None
    return Organization.objects.filter(Q(name__iexact=ref) | Q(external_id=ref)).first()


def organization_for_email(email: str) -> Organization | None:
    domain = email.rsplit("@", 1)[-1].lower()
    return _BY_DOMAIN.first(domain) if domain else None
