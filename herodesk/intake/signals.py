"""Signals the intake sends for the layers above it (they connect in `ready()`)."""

from django.dispatch import Signal

# A bounce (delivery-status report) for mail we sent arrived; it opens no ticket.
# kwargs: bounce (herodesk.intake.email.dsn.Bounce), delivery. A receiver that
# used it returns the ticket it belongs to (the delivery is then processed onto it).
bounce_received = Signal()

# A person's mail arrived, before it is threaded onto a ticket. kwargs: mail
# (herodesk.intake.email.parse.ParsedEmail), body (quotes and signature stripped),
# delivery. A receiver that recognises the thread (replies to community-question
# notifications) handles it and returns a short string saying what it did; the
# mail then opens no ticket.
mail_received = Signal()
