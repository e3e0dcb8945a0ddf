"""The hero's day in real Chromium (Debian's /usr/bin/chromium) against a live server:
log in, check the queue order, reply with a macro and see the grade, add a note,
set pending, hand off, request and accept a swap. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from conftest import make_user
from herodesk.web.tests import conftest as shared
from herodesk.web.tests.conftest import (
    ARGS,
    ARTIFACTS,
    CHROMIUM,
    ago,
    make_ticket,
    require_chromium,
)

# The `browser` fixture lives in conftest (it fails a test on any CSP violation);
# other browser-test modules import it, with ARGS, CHROMIUM and ARTIFACTS, from here.
browser = shared.browser
__all__ = ["ARGS", "ARTIFACTS", "CHROMIUM", "browser"]

ALWAYS = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()  # the `browser` fixture (web/tests/conftest.py) fails on any CSP violation


@pytest.fixture
def desk(
    team: Any,
    hero: Any,
    teammate: Any,
    lead: Any,
    admin: Any,
    paying_requester: Any,
    big_requester: Any,
    free_requester: Any,
) -> dict[str, Any]:
    """Pipeline's queue with one item per tier and a hera → tim → lena rotation."""
    from herodesk.rotations import actions as rotation_actions
    from herodesk.teams.models import Person

    Person.objects.filter(user=teammate).update(hours=ALWAYS, holiday_country="")
    tickets = {
        "low": make_ticket(
            team, free_requester, subject="Survey shows twice", created_at=ago(hours=2)
        ),
        "normal": make_ticket(
            team, paying_requester, subject="Funnel numbers look off", created_at=ago(minutes=3)
        ),
        "high": make_ticket(
            team,
            big_requester,
            subject="Exports fail with AccessDenied",
            created_at=ago(minutes=20),
        ),
        "alert": make_ticket(
            team, None, channel="sentry", subject="KeyError in ingestion", created_at=ago(minutes=1)
        ),
    }
    london = ZoneInfo("Europe/London")
    today = timezone.now().astimezone(london).date()
    start = datetime.combine(today - timedelta(days=today.weekday()), time(9), london)
    rotation_actions.rotation_set(
        team, members=["hera", "tim", "lena"], start=start, handoff_weekday=0, actor=admin
    )
    make_user("uma", team=team)
    ensure_default_macros()
    return tickets


def ensure_default_macros() -> None:
    """Transactional tests empty the tables, data migrations included: put them back."""
    import importlib

    from herodesk.tickets.models import Macro

    class MacroApps:  # the migration asks for the model by its old app label
        @staticmethod
        def get_model(app_label: str, model_name: str) -> Any:
            return Macro

    seeded = importlib.import_module("herodesk.web.migrations.0002_default_macros")
    seeded.add(MacroApps(), None)


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/queue/"))


def test_a_hero_clears_a_ticket_hands_one_off_and_swaps_a_shift(
    live_server: Any, browser: Any, desk: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, base, "hera")

    # The queue: tier first (alert, high, normal, low), live clocks, shortcuts.
    rows = page.locator("tr[data-id]")
    expect(rows).to_have_count(4)
    order = [int(rows.nth(i).get_attribute("data-id")) for i in range(4)]
    assert order == [desk[k].pk for k in ("alert", "high", "normal", "low")]
    expect(page.locator(f'tr[data-id="{desk["normal"].pk}"] .clock')).to_contain_text("to great")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    assert unlabelled_controls(page) == []
    page.get_by_label("Filter this view").fill("funnel")  # htmx: results only, URL kept
    expect(rows).to_have_count(1)
    assert page.url.endswith("?view=team&q=funnel&tier=&channel=")
    page.get_by_label("Filter this view").fill("")
    expect(rows).to_have_count(4)
    page.keyboard.press("Escape")  # leave the field
    shot(page, "01-queue")
    page.keyboard.press("a")  # assign the selected (first) row to me
    expect(page.locator(f'tr[data-id="{desk["alert"].pk}"] .col-who')).to_contain_text("Hera")

    # Open the normal ticket (j j Enter), reply with a macro: checks pass, graded great.
    expect(page.locator("tr.selected")).to_have_attribute("data-id", str(desk["alert"].pk))
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tickets/{desk['normal'].pk}/")
    assert unlabelled_controls(page) == []
    page.get_by_role("link", name="Looking into it").click()
    expect(page.locator("#reply")).to_have_value(re.compile(r"^Hey Ana,"))
    expect(page.locator("#reply-checks")).to_contain_text("Greets by name")
    shot(page, "02-macro")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("First response: great")
    expect(page.locator(".ticket-head .grade")).to_contain_text("Great")

    # An internal note mentioning Tim, then set pending.
    page.keyboard.press("n")
    page.locator("#reply").fill("@tim the export role changed on Monday — seen this before?")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".msg.k-note")).to_contain_text("seen this before")
    expect(page.locator(".flash.success")).to_contain_text("Mentioned Tim")
    page.get_by_role("button", name="Set pending", exact=True).click()
    expect(page.locator(".ticket-head .status")).to_have_text("Pending")
    shot(page, "03-ticket")

    # Hand the high-tier ticket to Tim, who is working now.
    page.goto(f"{base}/tickets/{desk['high'].pk}/")
    page.get_by_role("link", name="Hand off").click()
    # Tim works around the clock; Lena and Uma keep default hours, so they are
    # listed too at some times of day (CI runs at any hour).
    expect(page.locator(".person-opt").filter(has_text="Tim")).to_have_count(1)
    page.get_by_label("Tim").check()
    page.get_by_label("Note for them").fill("Needs the bucket policy from their admin; EOD.")
    shot(page, "04-handoff")
    page.get_by_role("button", name="Hand off").click()
    expect(page.locator(".flash.success")).to_contain_text("Handed")
    expect(page.locator(".actions .assignee")).to_contain_text("Tim")

    # Ask Tim to swap my next shift; Tim accepts.
    page.goto(f"{base}/schedule/")
    page.get_by_role("link", name="Request a swap").nth(1).click()
    page.get_by_label("Swap with").select_option("tim")
    expect(page.get_by_label("Their shift you take")).to_be_visible()
    message = page.get_by_role("textbox", name="Message (optional)")
    message.fill("Family visit that week, can we trade?")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".flash.success")).to_contain_text("Swap request sent to Tim")
    page.get_by_role("button", name="Log out").click()

    log_in(page, base, "tim")
    page.goto(f"{base}/schedule/")
    expect(page.locator(".swaps")).to_contain_text("Family visit that week")
    shot(page, "05-swap-request")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator(".flash.success")).to_contain_text("accepted")
    page.goto(f"{base}/schedule/pipeline/")
    expect(page.locator(".slot.src-override").first).to_be_visible()
    shot(page, "06-calendar")
    assert errors == []


def test_sla_clocks_count_down_without_a_reload(
    live_server: Any, browser: Any, desk: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    page.clock.install(time=timezone.now())
    log_in(page, live_server.url, "hera")
    clock = page.locator(f'tr[data-id="{desk["normal"].pk}"] .clock')
    expect(clock).to_contain_text("to great")
    ticket = desk["normal"]
    # Jump past "great" (its instant counts working hours, so ask the ticket).
    page.clock.fast_forward(int((ticket.great_by - timezone.now()).total_seconds() * 1000) + 60_000)
    expect(clock).to_contain_text("to okay")
    page.clock.fast_forward(int((ticket.due_by - ticket.great_by).total_seconds() * 1000) + 60_000)
    expect(clock).to_contain_text("overdue")
    expect(clock).to_have_class(re.compile(r"c-overdue|c-late"))


def unlabelled_controls(page: Any) -> list[str]:
    """Form controls a screen reader could not name."""
    return list(
        page.evaluate("""() => Array.from(document.querySelectorAll(
        'input:not([type=hidden]), select, textarea, button')).filter(el =>
        !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
        && !el.textContent.trim()).map(el => el.outerHTML.slice(0, 80))""")
    )


def test_the_queue_on_a_phone(live_server: Any, browser: Any, desk: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    log_in(page, live_server.url, "hera")
    expect(page.locator("tr[data-id]")).to_have_count(4)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page scrolls sideways ({width}px)"
    shot(page, "07-phone-queue")
    page.goto(f"{live_server.url}/tickets/{desk['high'].pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    shot(page, "08-phone-ticket")
