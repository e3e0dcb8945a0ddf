"""Every write to rotations goes through a function here (one transaction, audited).

`rotation`: rotations and calendar feed tokens; `overrides`; `people`: working
hours and time off; `swaps`; `departures`: deactivating a person, taking
someone off a team, deleting a team. Import them from this package.
"""

from herodesk.rotations.actions.departures import (
    LeftShift,
    membership_remove,
    person_deactivate,
    person_reactivate,
    preview,
    team_delete,
    ticket_count,
)
from herodesk.rotations.actions.overrides import override_create, override_delete
from herodesk.rotations.actions.people import (
    ShiftConflict,
    conflicts_for,
    person_set_hours,
    time_off_create,
    time_off_delete,
)
from herodesk.rotations.actions.rotation import (
    feed_token_revoke,
    feed_token_rotate,
    parse_restrictions,
    rotation_set,
)
from herodesk.rotations.actions.swaps import (
    swap_accept,
    swap_cancel,
    swap_decline,
    swap_direct,
    swap_request,
)

__all__ = [
    "LeftShift",
    "ShiftConflict",
    "conflicts_for",
    "feed_token_revoke",
    "feed_token_rotate",
    "membership_remove",
    "override_create",
    "override_delete",
    "parse_restrictions",
    "person_deactivate",
    "person_reactivate",
    "person_set_hours",
    "preview",
    "rotation_set",
    "swap_accept",
    "swap_cancel",
    "swap_decline",
    "swap_direct",
    "swap_request",
    "team_delete",
    "ticket_count",
    "time_off_create",
    "time_off_delete",
]
