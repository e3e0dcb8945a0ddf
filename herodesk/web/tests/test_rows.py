"""The queue's pre-rendered rows use the same labels and escaping as Django."""

from __future__ import annotations

from django.utils import html

from herodesk.customers.models import Organization
from herodesk.lib import channels
from herodesk.tickets.models import Status, Ticket
from herodesk.web import rows


def test_labels_are_the_models_display_values():
    for value, _ in Status.choices:
        assert rows.STATUS_LABELS[value] == Ticket(status=value).get_status_display()
    for name in [*channels.names(), "no-such-channel"]:
        assert rows.channel_label(name) == Ticket(channel=name).get_channel_display()
    for plan, _ in Organization.PLAN_CHOICES:
        assert rows.PLAN_LABELS[plan] == Organization(plan=plan).get_plan_display()
    assert len(channels.names()) > 3


def test_escape_is_djangos():
    for value in ['<a href="x">&\'</a>', "plain", 12, "é « »"]:
        assert rows.escape(value) == html.escape(value)
