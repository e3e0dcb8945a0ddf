"""Signals the intake sends for the layers above it (they connect in `ready()`)."""

from django.dispatch import Signal

# A bounce (delivery-status report) for mail we sent arrived; it opens no ticket.
# kwargs: bounce (herodesk.intake.email.dsn.Bounce), delivery. A receiver that
# used it returns the ticket it belongs to (the delivery is then processed onto it).
bounce_received = Signal()
