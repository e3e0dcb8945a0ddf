"""The jobs (Django's task API on the django-tasks-db backend).

Both are safe to run more than once: `deliver` claims its outbox row, and
every recurring job writes through idempotency keys or unique rows.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def deliver(delivery_id: int) -> dict[str, Any]:
    """Send one outbox row (a no-op when it was sent or is held by another worker)."""
    from herodesk.notify import outbox

    return outbox.deliver(delivery_id)


@task()
def run_recurring(name: str) -> Any:
    """One run of a recurring job (see scheduler.RECURRING)."""
    from herodesk.notify import scheduler

    return scheduler.run(name)
