"""The invitation email: queued in the outbox in the transaction that made the
invitation (teams.actions.invitations sends `teams.signals.invitation_created`)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from herodesk.notify import email, outbox
from herodesk.notify.models import Transport
from herodesk.teams.models import Invitation
from herodesk.teams.signals import invitation_created


def invitation_lines(invitation: Invitation) -> list[str]:
    inviter = invitation.created_by
    who = (inviter.get_full_name() or inviter.get_username()) if inviter else "An admin"
    where = f" to the {invitation.team.name} team" if invitation.team else ""
    return [
        f"{who} invited you{where} on HeroDesk, the support desk.",
        "Choose your password with the link below. It works once and expires on "
        f"{invitation.expires_at:%d %b %Y at %H:%M} UTC.",
    ]


@receiver(invitation_created, dispatch_uid="notify.invitation_created")
def on_invitation_created(sender: Any, invitation: Invitation, link: str, **kwargs: Any) -> None:
    user = invitation.person.user
    payload = email.staff_payload(
        user,
        "You are invited to HeroDesk",
        invitation_lines(invitation),
        link=link,
        link_label="Set your password",
    )
    outbox.enqueue(
        key=f"invitation:{invitation.pk}",
        transport=Transport.EMAIL,
        kind="invitation",
        recipient=user.email,
        payload=payload,
        team=invitation.team,
    )
