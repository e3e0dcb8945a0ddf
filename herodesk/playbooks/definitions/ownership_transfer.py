"""Ownership transfer (handbook: "Ownership transfer"): the current owner transfers;
else a password reset by a requester who controls the owner's email; else email
the owner, watch for a bounce and check the last login before transferring; on a
paid plan, switch the billing contact. The outcome is recorded."""

from __future__ import annotations

from herodesk.domain.playbook import Choice, Input, Kind, Playbook, Step

ASK_SUBJECT = "Transferring the ownership of {organization}"
ASK_BODY = """Hi {requester_name},

The quickest way is for the current owner ({owner_email}) to log in to {product} and \
transfer the ownership of {organization} in the organization settings. Could you ask them \
to do that?

If nobody can reach them any more, reply and tell us whether you have access to their \
email inbox.

Best,
{hero}
"""
RESET_SUBJECT = "Password reset for {owner_email}"
RESET_BODY = """Hi {requester_name},

As you can read the inbox of {owner_email}, please request a password reset for that \
account on the {product} login page, log in as the owner with the new password and \
transfer the ownership of {organization} to your own account.

Let me know once it's done, or if anything gets in the way.

Best,
{hero}
"""
OWNER_SUBJECT = "Ownership of {organization} on {product}"
OWNER_BODY = """Hi,

According to ticket #{ticket}, a member of {organization} asked to take over the \
ownership of the organization because its current owner can no longer be reached.

If you are still the owner and did not agree to this, please reply to this email.

Best,
{hero}
"""

ON_UNREACHABLE = (("owner-transferred", "unreachable"),)

OWNERSHIP_TRANSFER = Playbook(
    slug="ownership-transfer",
    name="Ownership transfer",
    description="Move an organization's ownership when its owner left.",
    inputs=(
        Input("owner_email", "Current owner's email", kind="email"),
        Input("organization", "Organization (default: the requester's)", required=False),
    ),
    steps=(
        Step(
            "ask-owner",
            Kind.EMAIL,
            "Ask the requester to get the current owner to transfer",
            params={"to": "requester", "subject": ASK_SUBJECT, "body": ASK_BODY},
        ),
        Step(
            "owner-transferred",
            Kind.DECISION,
            "Did the current owner transfer the ownership?",
            choices=(
                Choice("transferred", "Yes, the owner transferred it"),
                Choice("reset", "No, but the requester controls the owner's email"),
                Choice("unreachable", "No, and nobody can reach the owner"),
            ),
        ),
        Step(
            "password-reset",
            Kind.EMAIL,
            "Send the password-reset instructions to the requester",
            when=(("owner-transferred", "reset"),),
            params={"to": "requester", "subject": RESET_SUBJECT, "body": RESET_BODY},
        ),
        Step(
            "reset-done",
            Kind.CHECK,
            "The requester reset the password and transferred the ownership",
            when=(("owner-transferred", "reset"),),
        ),
        Step(
            "email-owner",
            Kind.EMAIL,
            "Email the owner's address",
            when=ON_UNREACHABLE,
            params={"to": "owner_email", "subject": OWNER_SUBJECT, "body": OWNER_BODY},
        ),
        Step(
            "owner-bounce",
            Kind.AUTO_CHECK,
            "Watch for a bounce from the owner's address",
            help="Opens by itself when a bounce (DSN) for that email arrives; "
            "or record that none came.",
            when=ON_UNREACHABLE,
            params={"probe": "bounce", "email": "email-owner"},
        ),
        Step(
            "owner-last-login",
            Kind.AUTO_CHECK,
            "Check when the owner last logged in",
            when=ON_UNREACHABLE,
            params={"probe": "last-login", "user": "owner_email"},
        ),
        Step(
            "transfer",
            Kind.ACTION,
            "Transfer the ownership to the requester",
            when=ON_UNREACHABLE,
            params={"link": "org"},
        ),
        Step(
            "paid-plan",
            Kind.DECISION,
            "Is the organization on a paid plan?",
            choices=(Choice("paid", "Yes, a paid plan"), Choice("free", "No, free")),
            params={"hint": "plan"},
        ),
        Step(
            "switch-billing",
            Kind.ACTION,
            "Switch the billing contact to the new owner",
            when=(("paid-plan", "paid"),),
            params={"link": "billing"},
        ),
        Step(
            "outcome",
            Kind.DECISION,
            "Outcome",
            choices=(
                Choice("transferred", "Ownership transferred"),
                Choice("not-transferred", "Not transferred"),
            ),
        ),
    ),
)
