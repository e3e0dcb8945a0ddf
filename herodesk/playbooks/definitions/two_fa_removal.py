"""2FA removal (handbook: "2FA method removal"): confirm with the account owner by
email; the removal stays locked until the owner's own reply arrives on that thread."""

from __future__ import annotations

from herodesk.domain.playbook import Input, Kind, Playbook, Step

SUBJECT = "Confirmation Required: Removal of 2FA on your {product} Account"
BODY = """Hi {name},

According to ticket #{ticket}, you mentioned wanting to remove the current 2FA method. \
Could you please confirm this by replying to this email?

If you haven't requested this change, please let me know immediately.

Best,
{hero}
"""

TWO_FA_REMOVAL = Playbook(
    slug="2fa-removal",
    name="2FA removal",
    description="Remove a user's 2FA device once the account owner confirmed by email.",
    inputs=(
        Input("account_email", "Account email (default: the requester's)", kind="email"),
        Input("account_name", "Account holder's name", required=False),
    ),
    steps=(
        Step(
            "send-confirmation",
            Kind.EMAIL,
            "Send the confirmation email to the account owner",
            params={"to": "account_email", "subject": SUBJECT, "body": BODY},
        ),
        Step(
            "owner-reply",
            Kind.WAIT,
            "Wait for the account owner's reply",
            help="Opens only for a reply on that email's thread from the account email.",
            params={"email": "send-confirmation", "sender": "account_email"},
        ),
        Step(
            "remove-device",
            Kind.ACTION,
            "Remove the 2FA device",
            help="Delete the user's TOTP device in the admin, then record it here.",
            params={"link": "2fa"},
        ),
    ),
)
