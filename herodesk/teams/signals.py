"""Signals the teams app sends (receivers live in higher layers).

`calendar_changed(team, actor)` — a team's SLA targets or support hours
changed, inside the transaction of the change. The tickets app recomputes the
due times of the team's running response clocks and returns how many tickets
moved; `teams.actions` adds up the receivers' integer answers.

`invitation_created` — see below; notify sends the email.
"""

from django.dispatch import Signal

calendar_changed = Signal()

# `invitation_created(invitation, link)` — sent inside the transaction that
# creates an invitation (`teams.actions.invitations`); `link` holds the raw token.
invitation_created = Signal()
