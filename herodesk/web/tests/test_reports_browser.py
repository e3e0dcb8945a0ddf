"""/reports/ in real Chromium: the charts draw, their tables open, the form
switches the grouping. Screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from herodesk.reports.tests import scenario
from herodesk.web.tests.test_browser import ARTIFACTS, browser, log_in, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reports_page_in_chromium(
    live_server: Any,
    browser: Any,  # noqa: F811 - the fixture imported above
    team: Any,
    hero: Any,
    teammate: Any,
    lead: Any,
) -> None:
    from playwright.sync_api import expect

    scenario.rotation(team, [hero, teammate], lead)
    scenario.history(team, hero)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, "hera")
    end = (scenario.START + timedelta(days=20)).date().isoformat()
    page.goto(f"{base}/reports/?team=pipeline&start=2026-03-02&end={end}")
    expect(page.get_by_role("heading", name="Reports · Pipeline")).to_be_visible()
    charts = page.locator("svg.chart[role=img]")
    expect(charts).to_have_count(4)
    for i in range(4):  # drawn at a legible size, not collapsed
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 140
    expect(page.get_by_role("img", name="First responses by grade per week")).to_be_visible()
    expect(page.locator("svg.chart rect[fill='#009E73']").first).to_be_visible()  # great, green
    shot(page, "reports-week")
    page.locator("details summary").first.click()
    expect(
        page.get_by_role("table", name="First response time per week (working minutes)")
    ).to_be_visible()
    page.get_by_label("Group by").select_option("hero_week")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="By hero-week")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Lena · 4 Mar – 5 Mar 2026").first).to_be_visible()
    shot(page, "reports-hero-week")
    assert (ARTIFACTS / "reports-week.png").stat().st_size > 20_000
    assert errors == []
