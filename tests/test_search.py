"""Search filters, as a person sees them: the right services, the right count, in pages."""

from __future__ import annotations

import re

import pytest

from tests.support.seeddata import services, slugs_where

SLUG = re.compile(r'href="/services/([a-z0-9-]+)"')


def results_on(html: str) -> list[str]:
    """Service slugs in the results list of one page, in order."""
    if 'id="results"' not in html:
        return []
    return SLUG.findall(html.split('id="results"', 1)[1].split("<!-- end of results -->", 1)[0])


def result_slugs(client, **params) -> tuple[list[str], str]:
    """Every service slug across all pages of a search, and the first page's HTML."""
    found: list[str] = []
    pages: list[str] = []
    page = 1
    while True:
        response = client.get("/search", query_string={**params, "page": page})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        pages.append(html)
        found.extend(results_on(html))
        if 'rel="next"' not in html:
            return found, pages[0]
        page += 1


def test_no_filters_lists_every_published_service(client):
    found, html = result_slugs(client)
    assert set(found) == {s["slug"] for s in services()}
    assert len(found) == len(set(found))
    assert f"{len(services())} services" in html


def test_category_and_free_combine(client):
    expected = slugs_where(lambda s: "housing" in s["categories"] and s.get("free", True))
    found, html = result_slugs(client, category="housing", free="y")
    assert set(found) == expected and expected
    assert f"{len(expected)} services" in html or (len(expected) == 1 and "1 service" in html)


def test_two_categories_match_either(client):
    expected = slugs_where(lambda s: {"housing", "crisis"} & set(s["categories"]))
    found, _ = result_slugs(client, category=["housing", "crisis"])
    assert set(found) == expected


def test_stage_audience_and_mode_combine(client):
    expected = slugs_where(
        lambda s: "relapse-prevention" in s["stages"]
        and "families" in s.get("audiences", [])
        and "online" in s.get("delivery_modes", [])
    )
    found, _ = result_slugs(client, stage="relapse-prevention", audience="families", mode="online")
    assert set(found) == expected


def test_referral_route_and_no_abstinence(client):
    expected = slugs_where(
        lambda s: "self" in s.get("referral_routes", [])
        and not (s.get("eligibility") or {}).get("abstinence_required", False)
    )
    found, _ = result_slugs(client, referral="self", no_abstinence="y")
    assert set(found) == expected and expected


def test_keyword_finds_every_group_of_that_name_first(client):
    found, _ = result_slugs(client, q="Dual Recovery Anonymous")
    groups = slugs_where(lambda s: s.get("group_type") == "dra")
    assert set(found[: len(groups)]) == groups, "every DRA group, before anything that only mentions them"


def test_filters_stay_selected(client):
    html = client.get("/search?category=housing&stage=engagement&free=y&q=help").get_data(as_text=True)
    assert re.search(r'value="housing"\s+checked', html) or re.search(r'checked[^>]*value="housing"', html)
    assert re.search(r'value="engagement"\s+checked', html) or re.search(r'checked[^>]*value="engagement"', html)
    assert 'value="help"' in html
    assert "Clear all" in html


def test_empty_results_explain_what_to_try(client):
    html = client.get("/search?q=zzzznotathing").get_data(as_text=True)
    assert "No services match" in html
    assert "fewer filters" in html


def test_families_see_carers_support_first(client):
    html = client.get("/search", query_string={"who": "someone"}).get_data(as_text=True)
    first = results_on(html)[0]
    service = next(s for s in services() if s["slug"] == first)
    assert "families" in service.get("audiences", []) or "families-carers" in service["categories"]
    assert "Support for families and carers comes first" in html


def test_pages_hold_twenty_and_the_last_page_holds_the_rest(client):
    total = len(services())
    last = (total + 19) // 20
    html = client.get(f"/search?page={last}").get_data(as_text=True)
    on_last = results_on(html)
    assert len(on_last) == total - 20 * (last - 1)
    assert f"page {last} of {last}" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("category=not-a-category", "Not a valid choice"),
        ("page=-1", "Page numbers start at 1"),
        ("page=abc", "Not a valid integer value"),
        ("q=" + "x" * 5000, "200 characters or fewer"),
    ],
)
def test_bad_input_gives_a_normal_page_with_a_message(client, query, message):
    response = client.get("/search?" + query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There is a problem" in html or "Some of your search could not be used" in html
    assert message.lower() in html.lower()
    assert 'id="results"' in html, "results still shown for the valid parts"


def test_a_page_past_the_end_shows_the_last_page(client):
    response = client.get("/search?page=1000000000")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "we are showing page" in html
    assert results_on(html)


@pytest.mark.parametrize(
    "q", ["café", "Zoë’s 👋", "\u202e", "名前", "%", "_", "'; DROP TABLE service; --", "\\", "a\x00b"]
)
def test_odd_unicode_and_sql_characters_are_safe(client, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200


def test_api_uses_the_same_filters_as_the_page(client):
    expected = slugs_where(lambda s: "housing" in s["categories"] and s.get("free", True))
    body = client.get("/api/v1/services?category=housing&free=y").get_json()
    assert body["total"] == len(expected)
    assert {item["slug"] for item in body["items"]} == expected
    one = client.get(f"/api/v1/services/{body['items'][0]['id']}").get_json()
    assert one["slug"] == body["items"][0]["slug"]


def test_api_reports_bad_input_and_still_answers(client):
    response = client.get("/api/v1/services?category=nope&page=-5")
    assert response.status_code == 200
    body = response.get_json()
    assert "category" in body["errors"] and "page" in body["errors"]
    assert client.get("/api/v1/services/999999").status_code == 404


@pytest.mark.parametrize("name", ["endpoint", "_anchor", "_method", "_scheme", "_external"])
@pytest.mark.parametrize("path", ["/search", "/meetings", "/search?near=Bolton"])
def test_query_names_that_url_building_keeps_for_itself_are_ignored(client, path, name):
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}{name}=x&page=2")
    assert response.status_code == 200
