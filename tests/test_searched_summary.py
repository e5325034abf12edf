"""The results say what was searched: a heading in words, a removable tag per filter, "Clear all",
and a page title with the words and the place, on /search and on /meetings."""

from __future__ import annotations

import re
from html import unescape

from tests.test_meetings import GROUP_LINK


def _heading(html: str) -> str:
    found = re.search(r'id="results-count"[^>]*>(.*?)</h2>', html, re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip()


def _title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()


def _tags(html: str) -> dict[str, str]:
    return {
        re.sub(r"<[^>]+>", "", unescape(text)).replace("Remove filter: ", "").replace(" ×", ""): unescape(href)
        for href, text in re.findall(r'<a class="removable-tag" href="([^"]+)">(.*?)</a>', html)
    }


def test_a_search_says_what_where_how_far_and_in_what_order(client):
    html = client.get("/search?category=housing&near=Salford&radius=10&free=y").get_data(as_text=True)
    assert re.fullmatch(r"\d+ services for housing near Salford, within 10 miles, nearest first", _heading(html))
    assert _title(html).startswith("Housing near Salford – Find support")
    tags = _tags(html)
    assert set(tags) == {"Near Salford", "Housing", "Free services only"}
    assert "category" not in tags["Housing"] and "near=Salford" in tags["Housing"]
    assert "free" not in tags["Free services only"] and "category=housing" in tags["Free services only"]
    assert "Clear all" in html


def test_removing_one_of_two_categories_keeps_the_other(client):
    tags = _tags(client.get("/search?category=housing&category=crisis&page=2").get_data(as_text=True))
    assert tags["Housing"] == "/search?category=crisis"


def test_words_are_in_the_heading_and_the_title(client):
    html = client.get("/search?q=counselling").get_data(as_text=True)
    assert re.fullmatch(r"\d+ services for counselling, best match first", _heading(html))
    assert _title(html).startswith("Counselling – Find support")
    assert set(_tags(html)) == {"“counselling”"}


def test_meetings_search_words_with_the_same_search_as_services(client):
    everything = client.get("/meetings").get_data(as_text=True)
    html = client.get("/meetings?q=dual+recovery&near=Bolton&radius=25").get_data(as_text=True)
    groups = set(GROUP_LINK.findall(html))
    assert groups and groups < set(GROUP_LINK.findall(everything))
    assert re.fullmatch(r"\d+ sessions for dual recovery near Bolton, within 25 miles, soonest first", _heading(html))
    assert _title(html).startswith("Dual recovery near Bolton – Group meetings")
    assert set(_tags(html)) == {"Near Bolton", "“dual recovery”"}


def test_meetings_near_a_place_say_how_far_each_group_is(client):
    html = client.get("/meetings?near=Bolton&radius=25").get_data(as_text=True)
    distances = re.findall(r'meeting__distance">([^<]+)</p>', html)
    assert distances and all(re.match(r"(about |less than )?[\d.]+ miles? away", d) for d in distances), distances
    assert "meeting__distance" not in client.get("/meetings").get_data(as_text=True)


def _checked_order(html: str) -> list[str]:
    return re.findall(r'name="sort" type="radio" value="(\w+)" checked', html) + re.findall(
        r'checked name="sort" type="radio" value="(\w+)"', html)


def test_the_order_radios_show_the_order_the_results_are_in(client):
    assert _checked_order(client.get("/search?near=Bolton").get_data(as_text=True)) == ["nearest"]
    assert _checked_order(client.get("/search?q=housing&near=Bolton").get_data(as_text=True)) == ["best"]
    assert _checked_order(client.get("/search?q=housing").get_data(as_text=True)) == ["best"]
    assert _checked_order(client.get("/search?q=housing&near=Bolton&sort=nearest").get_data(as_text=True)) == ["nearest"]
