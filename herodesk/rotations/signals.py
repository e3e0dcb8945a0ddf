"""Signals sent by rotations/actions.py *inside* the transaction of the change.

Receivers (e.g. "your shifts changed" notices) enqueue their work in the same
transaction, so a change and the work it causes commit or roll back together.
"""

from django.dispatch import Signal

# Sent with sender=Team and kwargs:
#   team    the Team whose schedule changed
#   people  list[Person] whose shifts may have changed (sorted by username)
#   reason  "rotation", "override.created", "override.deleted", "swap.accepted",
#           "swap.direct"
#   actor   the User (or label string) who made the change
#   start   first instant affected (aware datetime)
#   end     end of the affected interval, or None when open-ended (rotation changes)
schedule_changed = Signal()

# A swap request was made, accepted, declined or cancelled (sender=SwapRequest).
# kwargs: swap (its .status is the new one), actor
swap_updated = Signal()
