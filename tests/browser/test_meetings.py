"""A person looks for a group meeting: opens /meetings, filters, opens a group, sees its next sessions."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_find_an_evening_meeting_and_its_next_sessions(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Group meetings").first.click()
    page.wait_for_url("**/meetings")
    assert page.locator("h1").inner_text() == "Group meetings"

    page.get_by_role("group", name="Time of day").get_by_label("Evening (from 5pm)").check()
    page.get_by_role("button", name="Show meetings").click()
    page.wait_for_url("**time=evening**")
    assert page.get_by_role("group", name="Time of day").get_by_label("Evening (from 5pm)").is_checked()
    times = page.locator(".meeting .session-time").all_inner_texts()
    assert times and all("pm" in t.split(" to ")[0] for t in times)
    screenshot(page, "meetings-evening")

    first = page.locator(".meeting h3 a").first
    name = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == name
    assert page.get_by_role("heading", name="When it meets").is_visible()
    assert page.locator("#next-sessions li").count() >= 1
    assert page.get_by_role("link", name="subscribe").first.get_attribute("href").startswith("webcal://")
    with page.expect_download() as download:
        page.locator("#next-sessions").get_by_role("link", name="Add to calendar").first.click()
    assert download.value.suggested_filename.endswith(".ics")


def test_meetings_page_has_no_accessibility_violations(page, live_server):
    page.goto(live_server + "/meetings?online=y")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
