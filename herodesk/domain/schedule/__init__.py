"""The schedule engine (SPEC §1), pure Python: `engine` resolves rotations and
overrides into shifts; `swaps` builds swaps, time-off collisions and override checks
on top of it. Import names from this package."""

from herodesk.domain.schedule.engine import (
    Override,
    RotationVersion,
    Schedule,
    ScheduleError,
    Shift,
    Source,
    WeeklyWindow,
    parse_handoff_time,
    rotation_boundaries,
    validate_time_zone,
    wall_clock,
)
from herodesk.domain.schedule.swaps import (
    find_overlaps,
    propose_swap_partners,
    shifts_colliding,
    swap_overrides,
)

__all__ = [
    "Override",
    "RotationVersion",
    "Schedule",
    "ScheduleError",
    "Shift",
    "Source",
    "WeeklyWindow",
    "find_overlaps",
    "parse_handoff_time",
    "propose_swap_partners",
    "rotation_boundaries",
    "shifts_colliding",
    "swap_overrides",
    "validate_time_zone",
    "wall_clock",
]
