"""A person looks for help near a town or near where they are, and asks for a map."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import _local_only, screenshot

pytestmark = pytest.mark.browser


def distances_on(page) -> list[float]:
    texts = page.locator("#results .service-card__distance").all_inner_texts()
    assert texts, "results show how far away they are"
    return [0.0 if text.startswith("less than") else float(re.search(r"[\d.]+", text)[0]) for text in texts]


def test_type_a_town_and_see_the_nearest_first(page, live_server):
    page.goto(live_server + "/")
    page.get_by_label("Where?").fill("Bolton")
    page.get_by_label("Within").select_option("5")
    page.get_by_role("button", name="Find support").click()
    page.wait_for_url("**near=Bolton**")
    assert "near Bolton, within 5 miles, nearest first" in page.locator("#results-count").inner_text()
    miles = distances_on(page)
    assert miles == sorted(miles) and max(miles) <= 5
    assert page.get_by_role("heading", name="Available wherever you are").is_visible()
    screenshot(page, "near-bolton")


def test_a_misspelt_town_suggests_the_right_one(phone, live_server):
    phone.goto(live_server + "/search?near=Stockprt")
    assert "Did you mean Stockport?" in phone.locator(".govuk-error-summary").inner_text()
    phone.locator("#place-suggestions").get_by_role("link", name="Stockport").click()
    phone.wait_for_url("**near=Stockport**")
    assert distances_on(phone) == sorted(distances_on(phone))


def test_the_map_loads_only_when_asked_and_the_list_survives_without_tiles(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server + "/search?near=Preston&radius=10")
    assert not [url for url in requested if "leaflet" in url or "tile" in url]
    cards = page.locator("#results .service-card").count()

    page.get_by_role("button", name="Show map").click()
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() >= 1
    assert any(re.search(r"/leaflet/leaflet\.[0-9a-f]{12}\.js$", url) for url in requested)
    assert any("tile.openstreetmap.org" in url for url in requested), "tiles were asked for (and refused here)"
    assert page.locator("#results .service-card").count() == cards
    page.get_by_role("button", name="Hide map").click()
    assert page.locator("[data-results-map]").is_hidden()


def test_use_my_location_searches_near_a_rounded_position(browser, live_server):
    context = browser.new_context(geolocation={"latitude": 53.480812, "longitude": -2.242631}, permissions=["geolocation"])
    context.route("**/*", _local_only)
    page = context.new_page()
    page.goto(live_server + "/search")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url("**near=53.481%2C-2.243**")
    assert "near your location" in page.locator("#results-count").inner_text()
    assert distances_on(page) == sorted(distances_on(page))
    context.close()


def test_without_javascript_there_is_no_location_or_map_button(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/search?near=Wigan")
    assert page.get_by_role("button", name="Use my location").count() == 0
    assert page.get_by_role("button", name="Show map").count() == 0
    assert distances_on(page) == sorted(distances_on(page))
    context.close()


def test_results_near_a_place_have_no_accessibility_violations(page, live_server):
    page.goto(live_server + "/search?near=Salford&radius=3")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
