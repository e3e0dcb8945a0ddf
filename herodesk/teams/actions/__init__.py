"""The only writers of the teams app (`<noun>_<verb>`): teams and members
(`team.py`), people (`people.py`), invitations (`invitations.py`), API tokens
(`tokens.py`). Each runs in one transaction and is audited."""

from herodesk.teams.actions.invitations import (
    invitation_accept,
    invitation_create,
    invitation_for,
    invitations_settle,
    person_invite,
)
from herodesk.teams.actions.people import (
    clean_email,
    free_username,
    person_create,
    person_update,
)
from herodesk.teams.actions.team import (
    checked_calendar,
    membership_set,
    team_create,
    team_set_archived,
    team_set_sla_targets,
    team_set_support_hours,
    team_update,
)
from herodesk.teams.actions.tokens import token_create, token_issue, token_revoke

__all__ = [
    "checked_calendar",
    "clean_email",
    "free_username",
    "invitation_accept",
    "invitation_create",
    "invitation_for",
    "invitations_settle",
    "membership_set",
    "person_create",
    "person_invite",
    "person_update",
    "team_create",
    "team_set_archived",
    "team_set_sla_targets",
    "team_set_support_hours",
    "team_update",
    "token_create",
    "token_issue",
    "token_revoke",
]
