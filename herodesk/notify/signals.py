"""Signals notify sends for the layers above it (they connect in their AppConfig.ready).

- `handoff_reported(report)`: a rotation hand-off report was made and announced,
  inside its transaction (reports posts the finished hero-week's digest).
"""

from django.dispatch import Signal

handoff_reported = Signal()
