"""A family member on a phone builds a list, adds a note, prints it and shares it."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _add_first_result(tab, live_server, query: str) -> str:
    tab.goto(f"{live_server}/search?{query}")
    card = tab.locator("#results .service-card").first
    name = card.locator("h3").inner_text()
    card.get_by_role("button", name="Add to my list").click()
    expect(card.locator(".in-list")).to_contain_text("added to your list")
    return name


def test_build_print_and_share_a_list_on_a_phone(phone, live_server, browser, tmp_path):
    tab = phone
    first = _add_first_result(tab, live_server, "category=housing")
    second = _add_first_result(tab, live_server, "category=peer-support&audience=families")
    expect(tab.locator(".list-count").first).to_have_text("(2)")

    tab.goto(live_server + "/list")
    note = tab.get_by_label(f"Note for {second}")
    note.press_sequentially("Call Mrs Patel on 0161 4")
    expect(tab.get_by_role("status").filter(has_text="This note looks like it has a name in it")).to_be_visible()
    note.fill("Ask for Sam on Tuesdays")
    expect(tab.locator(".note-warning:visible")).to_have_count(0)
    tab.get_by_role("button", name=f"Save note for {second}").click()
    expect(tab.get_by_text("Note saved")).to_be_visible()
    tab.get_by_role("button", name=f"Move up {second}").click()
    expect(tab.locator("#my-list h2 a")).to_have_text([second, first])
    screenshot(tab, "my-list-phone")

    pdf = tmp_path / "list.pdf"
    tab.emulate_media(media="print")
    tab.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for expected in (first, second, "Ask for Sam on Tuesdays", "How to get referred", "Need help now?", "116 123"):
        assert " ".join(expected.split()) in flat, expected
    assert "Exit this page" not in flat and "Save note" not in flat and "Move up" not in flat

    tab.emulate_media(media="screen")
    tab.get_by_role("button", name="Share this list").click()
    tab.wait_for_url("**/s/**")
    link = tab.locator(".share-link a").inner_text()
    assert tab.locator("svg.qr-code").count() == 1
    screenshot(tab, "shared-list-phone")

    other = browser.new_context(viewport={"width": 375, "height": 740})
    other.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort())
    page = other.new_page()
    page.goto(link)
    expect(page.locator("#shared-list h2 a")).to_have_text([second, first])
    expect(page.get_by_text("Ask for Sam on Tuesdays")).to_be_visible()
    other.close()
