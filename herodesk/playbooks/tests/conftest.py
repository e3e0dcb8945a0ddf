"""Fixtures for the playbook tests: the real SMTP server and job runner of the
notify tests, and the email intake's raw-mail delivery."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.intake.email.conftest import deliver  # noqa: F401 (fixture)
from herodesk.notify.tests.conftest import smtp  # noqa: F401 (fixture)


@pytest.fixture
def email_ticket(paying_requester: Any, team: Any) -> Any:
    from herodesk.notify.tests.conftest import make_email_ticket

    return make_email_ticket(paying_requester, team=team, subject="Please remove my 2FA")
