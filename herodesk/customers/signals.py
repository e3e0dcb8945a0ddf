"""Signals the customers app sends (receivers live in higher layers).

`requester_changed(requester, fields)` — a requester's name or organization
was filled in, inside the transaction of the change. The tickets app
reindexes the requester's tickets (their names are searchable).
"""

from django.dispatch import Signal

requester_changed = Signal()
