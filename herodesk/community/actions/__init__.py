"""Every write to community data goes through a function here (`<noun>_<verb>`).

Each runs in one transaction, records an audit event and sends its signal
inside the transaction (herodesk.community.signals).
"""

from herodesk.community.actions.accounts import (
    account_authenticate,
    account_create,
    account_for_token,
    account_set_role,
    account_token_create,
    account_verify,
    password_reset_confirm,
    password_reset_request,
    resend_verification,
)
from herodesk.community.actions.answers import answer_edit, answer_post, answer_set_hidden
from herodesk.community.actions.moderation import (
    answer_approve,
    answer_reject,
    question_approve,
    question_reject,
)
from herodesk.community.actions.questions import (
    question_ask,
    question_edit,
    question_resolve,
    question_set_notify,
    question_set_state,
)

__all__ = [
    "account_authenticate",
    "account_create",
    "account_for_token",
    "account_set_role",
    "account_token_create",
    "account_verify",
    "answer_approve",
    "answer_edit",
    "answer_post",
    "answer_reject",
    "answer_set_hidden",
    "password_reset_confirm",
    "password_reset_request",
    "question_approve",
    "question_ask",
    "question_edit",
    "question_reject",
    "question_resolve",
    "question_set_notify",
    "question_set_state",
    "resend_verification",
]
