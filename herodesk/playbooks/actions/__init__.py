"""Every write of the playbooks app goes through a function here.

Each runs in one transaction and records audit events: a run started,
finished or cancelled; every step whose state changed (done, ready, skipped);
a reply that did not open a gate; a sensitive link opened; an app review.
"""

from herodesk.playbooks.actions.gates import bounce_received, reply_received
from herodesk.playbooks.actions.links import customer_link_open, step_link_open
from herodesk.playbooks.actions.reviews import review_create
from herodesk.playbooks.actions.runs import run_cancel, run_start
from herodesk.playbooks.actions.steps import step_perform

__all__ = [
    "bounce_received",
    "customer_link_open",
    "reply_received",
    "review_create",
    "run_cancel",
    "run_start",
    "step_link_open",
    "step_perform",
]
