"""Signals sent by community actions *inside* the transaction of the change.

Receivers (the asker's email, the desk item) enqueue their work in the same
transaction, so a change and the work it causes commit or roll back together.
"""

from django.dispatch import Signal

# A question became public (asked by a trusted author, approved, or its author
# verified their email). kwargs: question
question_published = Signal()
# An answer became public. kwargs: answer, question
answer_published = Signal()
# kwargs: question, before, after, actor (an Author), answer (the accepted one or None)
question_state_changed = Signal()
# The title, body or topic was edited (only sent when something changed).
# kwargs: question, before, after (dicts of the changed fields), actor (an Author)
question_edited = Signal()
