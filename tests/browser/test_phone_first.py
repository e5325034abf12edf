"""On a 390×844 phone, as a new user: results before filters, help in the header, numbers to
tap, and adding to the list from page 2 keeps your place. Screenshots go to tests/browser/screenshots."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import _local_only, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone390(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.route("**/*", _local_only)
    yield context.new_page()
    context.close()


def _on_first_screen(tab, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_the_first_result_is_on_the_first_screen_after_a_search_from_home(phone390, live_server):
    tab = phone390
    tab.goto(live_server + "/")
    tab.get_by_label("What do you need help with?").fill("housing")
    tab.get_by_label("Where?").fill("Bolton")
    tab.get_by_role("button", name="Find support").click()
    tab.wait_for_url("**/search?**")
    first = tab.locator("#results .service-card h3 a").first
    assert _on_first_screen(tab, first), "the first result's name is below the first screen"
    assert _on_first_screen(tab, tab.get_by_role("link", name="Need help now?"))
    assert re.match(r"\d+ services for housing near Bolton", tab.locator("#results-count").inner_text())
    print("screenshot:", screenshot(tab, "phone-results"))

    tab.locator(".filter-panel__summary").click()
    expect(tab.get_by_role("group", name="Type of support")).to_be_visible()
    assert "(2 selected)" in tab.locator(".filter-panel__summary").inner_text()


def test_help_is_in_the_header_of_every_page_without_opening_the_menu(phone390, live_server):
    for path in ("/", "/meetings", "/stages", "/list", "/glossary"):
        phone390.goto(live_server + path)
        help_link = phone390.get_by_role("link", name="Need help now?")
        assert _on_first_screen(phone390, help_link), path
        assert _on_first_screen(phone390, phone390.locator(".site-header__list")), path
        assert phone390.get_by_role("button", name="Menu").is_visible(), "the navigation is folded"
    help_link.click()
    expect(phone390.locator("#crisis-heading")).to_be_in_viewport()


def test_numbers_to_tap_on_cards_the_list_and_the_shared_list(phone390, live_server):
    tab = phone390
    tab.goto(live_server + "/search?category=housing")
    card = tab.locator("#results .service-card").filter(has=tab.locator(".service-card__phone")).first
    expect(card.locator("a[href^='tel:']")).to_have_count(1)
    card.get_by_role("button", name="Add to my list").click()
    expect(tab.locator(".site-header__list .list-count")).to_have_text("(1)")
    tab.goto(live_server + "/list")
    expect(tab.locator("#my-list a[href^='tel:']").first).to_be_visible()
    tab.get_by_role("button", name="Share this list").click()
    tab.goto(tab.locator(".share-link a").inner_text())
    expect(tab.locator("a[href^='tel:']").first).to_be_visible()


@pytest.mark.parametrize("script", [True, False], ids=["with script", "without script"])
def test_adding_from_page_two_lands_on_the_same_card(browser, live_server, script):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=script)
    context.route("**/*", _local_only)
    tab = context.new_page()
    tab.goto(live_server + "/search?page=2")
    card = tab.locator("#results .service-card").nth(5)
    name = card.locator("h3").inner_text()
    card.get_by_role("button", name="Add to my list").click()
    expect(card.get_by_text("On your list" if not script else "added to your list")).to_be_visible()
    assert "page=2" in tab.url
    expect(card.locator("h3")).to_be_in_viewport()
    said = tab.locator(".govuk-notification-banner" if not script else ".service-card .in-list")
    expect(said.filter(has_text=f"{name} added to your list")).to_have_count(1)
    expect(tab.locator(".site-header__list .list-count")).to_have_text("(1)")
    context.close()


def test_a_keyboard_reaches_the_first_result_in_a_few_tab_presses(page, live_server):
    page.goto(live_server + "/search?near=Bolton")
    first = page.locator("#results .service-card h3 a").first
    presses = 0
    while presses < 10 and not first.evaluate("a => a === document.activeElement"):
        page.keyboard.press("Tab")
        presses += 1
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused in ("Skip to main content", "Skip to results"):
            page.keyboard.press("Enter")
    assert first.evaluate("a => a === document.activeElement"), f"not reached in {presses} Tab presses"
    assert page.get_by_role("link", name="Skip to results").is_visible()


def test_phone_screenshots_of_a_service_and_meetings_with_no_accessibility_violations(phone390, live_server):
    phone390.goto(live_server + "/meetings?near=Bolton")
    assert _on_first_screen(phone390, phone390.locator(".meeting h3 a").first)
    print("screenshot:", screenshot(phone390, "phone-meetings"))
    results = Axe().run(phone390)
    assert results.violations_count == 0, results.generate_report()
    phone390.locator(".meeting h3 a").first.click()
    phone390.wait_for_url("**/services/**")
    print("screenshot:", screenshot(phone390, "phone-service"))
    results = Axe().run(phone390)
    assert results.violations_count == 0, results.generate_report()
