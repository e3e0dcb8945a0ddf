"""Signals the intake sends for the layers above it (they connect in `ready()`)."""

from django.dispatch import Signal

# A bounce (delivery-status report) for mail we sent arrived; it opens no ticket.
# kwargs: bounce (herodesk.intake.email.dsn.Bounce), delivery
bounce_received = Signal()
