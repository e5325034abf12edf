"""The search filters are rendered once and kept: kept HTML must be exactly what a fresh render gives."""

from __future__ import annotations

import re

import pytest

from directory.views import fragments

PAGES = [
    "/search?near=Bolton&radius=10&category=peer-support",
    "/search?category=housing&category=therapy&stage=engagement&free=y&who=someone",
    "/search?radius=7&category=nope",  # errors are part of what is kept
    "/meetings?day=TU&time=evening&type=family&online=y",
]


def _page(client, path: str) -> str:
    return re.sub(r'nonce="[^"]+"', "", client.get(path).get_data(as_text=True))


@pytest.mark.parametrize("path", PAGES)
def test_kept_filters_are_the_same_html_as_a_fresh_render(client, path):
    fragments._kept.clear()
    fresh = _page(client, path)
    kept = _page(client, path)
    assert kept == fresh


def test_what_is_ticked_on_one_search_is_not_ticked_on_the_next(client):
    ticked = _page(client, "/search?category=housing")
    plain = _page(client, "/search")
    assert re.search(r'value="housing"\s+checked', ticked)
    assert not re.search(r'value="housing"\s+checked', plain)


def test_nothing_a_person_types_is_kept(client):
    fragments._kept.clear()
    client.get("/search?q=my+private+words&near=Bolton")
    assert "my private words" not in repr(fragments._kept) and "Bolton" not in repr(fragments._kept)
