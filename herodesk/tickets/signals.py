"""Signals sent by tickets/actions.py *inside* the transaction of the change.

Receivers (notifications, Slack mirroring, …) enqueue their work in the same
transaction, so a change and the work it causes commit or roll back together.
"""

from django.dispatch import Signal

# kwargs: ticket, actor
ticket_created = Signal()
# kwargs: ticket, message, actor
message_added = Signal()
# kwargs: ticket, before, after, actor
status_changed = Signal()
# kwargs: ticket, before (user or None), after (user or None), actor, note
assignee_changed = Signal()
# kwargs: ticket, message, users (staff @mentioned in it, never the author), actor
mentioned = Signal()
