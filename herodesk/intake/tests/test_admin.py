"""The operator's admin pages: deliveries (with replay) and routing rules (audited)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from herodesk.audit.models import Event
from herodesk.intake import base
from herodesk.intake.models import Delivery, RoutingRule
from herodesk.lib import channels

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(admin: Any) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def test_deliveries_list_and_detail_show_status_error_and_body(
    staff_client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setitem(
        channels._REGISTRY,
        "test",
        channels.ChannelSpec(
            "test", "Test", "inbox", handlers="herodesk.intake.tests.fake_adapter"
        ),
    )
    delivery = base.process(base.accept("test", "k", "fail", {}, b'{"hello": "world"}')[0])
    page = staff_client.get("/admin/intake/delivery/?status__exact=failed")
    assert page.status_code == 200 and b"the payload is unusable" in page.content
    detail = staff_client.get(f"/admin/intake/delivery/{delivery.pk}/change/")
    assert detail.status_code == 200 and b"hello" in detail.content


def test_the_replay_action_reprocesses_selected_deliveries(
    staff_client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setitem(
        channels._REGISTRY,
        "test",
        channels.ChannelSpec(
            "test", "Test", "inbox", handlers="herodesk.intake.tests.fake_adapter"
        ),
    )
    delivery = base.process(base.accept("test", "k", "fail", {}, b"x")[0])
    Delivery.objects.filter(pk=delivery.pk).update(event_type="ok")
    res = staff_client.post(
        "/admin/intake/delivery/",
        {"action": "replay", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert res.status_code == 200 and b"Replayed: 1 processed" in res.content
    assert Delivery.objects.get(pk=delivery.pk).status == "processed"


def test_a_rule_added_in_the_admin_is_validated_and_audited(
    staff_client: Client, team: Any
) -> None:
    form = {
        "position": 10,
        "name": "Exports",
        "enabled": "on",
        "team": team.pk,
        "channel": "email",
        "repository": "",
        "slack_channel": "",
        "sentry_project": "",
        "keywords": '["export"]',
        "organization": "",
    }
    res = staff_client.post("/admin/intake/routingrule/add/", form)
    assert res.status_code == 302, res.content[:2000]
    rule = RoutingRule.objects.get()
    assert rule.keywords == ["export"] and rule.team == team
    assert Event.objects.filter(action="routing_rule.created", object_id=str(rule.pk)).exists()
    bad = staff_client.post("/admin/intake/routingrule/add/", {**form, "channel": "fax"})
    assert bad.status_code == 200 and b"unknown channel" in bad.content
    assert RoutingRule.objects.count() == 1
