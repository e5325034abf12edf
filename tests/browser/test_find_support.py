"""A person finds support: home, search with two filters, a service page; and no accessibility failures."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_to_search_with_two_filters_to_a_service(page, live_server):
    page.goto(live_server + "/")
    page.get_by_label("Someone I care about").check()
    page.get_by_role("button", name="Find support").click()
    page.wait_for_url("**/search?**")

    page.get_by_role("group", name="Type of support").get_by_label("Peer support and groups").check()
    page.get_by_role("group", name="Who it is for").get_by_label("Families and carers").check()
    page.get_by_role("button", name="Apply filters").first.click()
    page.wait_for_url("**category=peer-support**")
    count = page.locator("#results-count").inner_text()
    assert "service" in count
    assert page.get_by_role("group", name="Type of support").get_by_label("Peer support and groups").is_checked()
    screenshot(page, "results")

    first = page.locator("#results h3 a").first
    name = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == name
    assert page.locator("#crisis-heading").is_visible()
    assert page.locator(".govuk-exit-this-page").count() == 1


@pytest.mark.parametrize("path", ["/", "/search?category=housing&stage=engagement", "service", "/cover-your-tracks", "/search?q=housing&near=Salford&free=y"])
def test_no_accessibility_violations(page, live_server, path):
    if path == "service":
        page.goto(live_server + "/search?category=peer-support")
        page.locator("#results h3 a").first.click()
        page.wait_for_url("**/services/**")
        page.wait_for_load_state()
    else:
        page.goto(live_server + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server + "/")
    tab.get_by_label("What do you need help with?").fill("housing")
    tab.get_by_role("button", name="Find support").click()
    assert "housing" in tab.url
    assert tab.locator("#results h3 a").count() > 0
    context.close()
