"""Merging a duplicate from the ticket page."""

from __future__ import annotations

import pytest

from herodesk.tickets import actions
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def mk(team, requester, subject):
    return actions.ticket_create(
        subject=subject, body=subject, actor="t", team=team, requester=requester
    )


def test_hero_merges_a_duplicate_and_lands_on_the_survivor(team, hero, paying_requester, client):
    original = mk(team, paying_requester, "Exports fail")
    duplicate = mk(team, paying_requester, "Exports fail (again)")
    client.force_login(hero)
    page = client.get(f"/tickets/{duplicate.pk}/")
    assert b"Duplicate of #" in page.content
    res = client.post(f"/tickets/{duplicate.pk}/merge/", {"into": f"#{original.pk}"})
    assert res.status_code == 302 and res["Location"].endswith(f"/tickets/{original.pk}/")
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == original.pk and duplicate.status == "closed"


def test_bad_merge_target_changes_nothing(
    team, hero, other_hero, other_team, paying_requester, client
):
    duplicate = mk(team, paying_requester, "Exports fail")
    elsewhere = mk(other_team, paying_requester, "Other team's ticket")
    client.force_login(hero)
    for into in ("abc", "999999", str(duplicate.pk), str(elsewhere.pk)):
        res = client.post(f"/tickets/{duplicate.pk}/merge/", {"into": into}, follow=True)
        assert res.status_code in (200, 403)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None and duplicate.status == "new"
    assert Ticket.objects.filter(merged_into__isnull=False).count() == 0
