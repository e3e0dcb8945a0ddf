"""Every write to rotations goes through a function here (one transaction, audited).

`rotation`: rotations and calendar feed tokens; `overrides`; `people`: working
hours and time off; `swaps`. Import them from this package.
"""

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
    "ShiftConflict",
    "conflicts_for",
    "feed_token_revoke",
    "feed_token_rotate",
    "override_create",
    "override_delete",
    "parse_restrictions",
    "person_set_hours",
    "rotation_set",
    "swap_accept",
    "swap_cancel",
    "swap_decline",
    "swap_direct",
    "swap_request",
    "time_off_create",
    "time_off_delete",
]
