"""Every write to tickets, messages and macros goes through a function here.

Each runs in one transaction, records an audit event and sends its signal
inside the transaction, so receivers can enqueue work that commits with it.
Views, the API, intake channels, Slack, jobs and the CLI all call these.
One module per concern: create, reply, note, status, merge, bulk, macros,
messages, index (the full-text index); import them from this package.
"""

from herodesk.domain.tiers import REPLY_REQUIRED
from herodesk.tickets.actions._common import TRANSITIONS
from herodesk.tickets.actions.bulk import BulkResult, tickets_bulk_assign, tickets_bulk_close
from herodesk.tickets.actions.clocks import tickets_recompute_clocks
from herodesk.tickets.actions.create import (
    ticket_create,
    ticket_message_from_new_address,
    ticket_requester_message,
)
from herodesk.tickets.actions.index import (
    ReindexReport,
    tickets_index,
    tickets_index_requester,
    tickets_reindex,
    tickets_unindex,
)
from herodesk.tickets.actions.macros import macro_create, macro_delete, macro_update
from herodesk.tickets.actions.merge import ticket_merge
from herodesk.tickets.actions.messages import messages_set_external_id, ticket_set_metadata
from herodesk.tickets.actions.note import ticket_note
from herodesk.tickets.actions.reply import ticket_mark_answered, ticket_reply
from herodesk.tickets.actions.status import (
    ticket_assign,
    ticket_hand_off,
    ticket_set_status,
    ticket_set_subject,
    ticket_set_team,
    ticket_set_tier,
    tickets_close_solved,
)

__all__ = [
    "REPLY_REQUIRED",
    "TRANSITIONS",
    "BulkResult",
    "ReindexReport",
    "macro_create",
    "macro_delete",
    "macro_update",
    "messages_set_external_id",
    "ticket_assign",
    "ticket_create",
    "ticket_hand_off",
    "ticket_mark_answered",
    "ticket_merge",
    "ticket_message_from_new_address",
    "ticket_note",
    "ticket_reply",
    "ticket_requester_message",
    "ticket_set_metadata",
    "ticket_set_status",
    "ticket_set_subject",
    "ticket_set_team",
    "ticket_set_tier",
    "tickets_bulk_assign",
    "tickets_bulk_close",
    "tickets_close_solved",
    "tickets_index",
    "tickets_index_requester",
    "tickets_recompute_clocks",
    "tickets_reindex",
    "tickets_unindex",
]
