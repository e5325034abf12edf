"""Search understands what people type: spellings, apostrophes, accents, short names, lay words,
a place in the words, languages, and crisis words answered with help first."""

from __future__ import annotations

import pytest

from directory.search import vocabulary
from directory.search.text import fold
from tests.search.judging import every_slug_for, slugs_for
from tests.support.seeddata import services, slugs_where

CRISIS_PHRASES = [
    "suicidal", "suicide", "I want to kill myself", "kill myself", "feeling suicidal", "suicidal thoughts",
    "I can't go on", "cant go on", "I can’t go on anymore", "end it all", "I want to end it all",
    "I want to die", "wish I was dead", "end my life", "thinking of ending my life", "take my own life",
    "self-harm", "self harm", "selfharm", "self harming", "hurting myself", "cutting myself",
    "overdose", "overdosed", "taken an overdose", "no reason to live", "better off dead",
    "don't want to be here", "crisis", "mental health crisis", "I'm not safe", "can't cope",
    "SUICIDE", "Suicidal near Bolton", "self-harm Salford",
]


def crisis_slugs() -> set[str]:
    return slugs_where(lambda s: "crisis" in s["categories"])


@pytest.mark.parametrize("phrase", CRISIS_PHRASES)
def test_crisis_words_open_with_help_and_crisis_services_first(client, phrase):
    html = client.get("/search", query_string={"q": phrase}).get_data(as_text=True)
    assert 'id="crisis-first-box"' in html
    assert html.index('id="crisis-first-box"') < html.index('id="results-count"')
    assert "Samaritans" in html.split('id="crisis-first-box"', 1)[1].split("</aside>", 1)[0]
    assert "No services match" not in html
    first = slugs_for(client, q=phrase)
    assert first and first[0] in crisis_slugs()


def test_enough_crisis_phrasings_are_checked():
    assert len(CRISIS_PHRASES) >= 25


def test_ordinary_words_do_not_show_the_crisis_box_at_the_top(client):
    html = client.get("/search", query_string={"q": "housing"}).get_data(as_text=True)
    assert 'id="crisis-first-box"' not in html
    assert 'id="crisis-heading"' in html, "the footer's crisis contacts are still on every page"


def test_apostrophes_quotes_hyphens_and_accents_fold_together():
    assert fold("Women’s") == fold("women's") == fold("WOMENS") == "womens"
    assert fold("Café") == "cafe"
    assert fold("self-harm") == "self harm"


@pytest.mark.parametrize("typed", ["women’s group", "women's group", "womens group", "women‘s group"])
def test_every_apostrophe_finds_the_same_womens_groups(client, typed):
    assert slugs_for(client, q=typed)[:4] == slugs_for(client, q="women's group")[:4]
    assert all("women" in slug for slug in slugs_for(client, q=typed)[:4])


def test_cafe_with_or_without_its_accent(client):
    cafes = slugs_where(lambda s: s.get("group_type") == "recovery-cafe")
    for typed in ("cafe", "café", "CAFÉ"):
        assert set(slugs_for(client, q=typed)[: len(cafes)]) == cafes


@pytest.mark.parametrize("acronym,group_type", [("DRA", "dra"), ("dra", "dra"), ("SMART", "smart")])
def test_short_names_find_their_groups_first(client, acronym, group_type):
    groups = slugs_where(lambda s: s.get("group_type") == group_type)
    assert set(slugs_for(client, q=acronym)[: len(groups)]) == groups


def _service(slug: str) -> dict:
    return next(s for s in services() if s["slug"] == slug)


def _words_of(slug: str) -> list[str]:
    service = _service(slug)
    return fold(" ".join([service["name"], service.get("summary", ""), service.get("description", "")])).split()


def test_ost_is_opioid_substitution_never_cost(client):
    found = every_slug_for(client, q="OST")
    assert found and found[0] == "douglas-valley-ost-clinic"
    for slug in found:
        assert "medication" in _service(slug)["categories"] or {"ost", "opioid"} & set(_words_of(slug))


@pytest.mark.parametrize("acronym", ["NA", "AA", "CA"])
def test_twelve_step_names_find_groups_not_naloxone_or_national(client, acronym):
    found = every_slug_for(client, q=acronym)
    assert found
    for slug in found[:10]:
        assert "peer-support" in _service(slug)["categories"], f"{acronym} found {slug}"


@pytest.mark.parametrize("typed,means", [
    ("somewhere to live", "housing"), ("homeless", "housing"), ("sofa surfing", "housing"),
    ("my son", "families-carers"), ("my mum", "families-carers"), ("I'm a carer", "families-carers"),
    ("drinking", None), ("booze", None),
])
def test_the_words_people_use_find_the_right_kind_of_support(client, typed, means):
    found = slugs_for(client, q=typed)
    assert found, f"{typed!r} finds something"
    if means:
        top = [next(s for s in services() if s["slug"] == slug) for slug in found[:5]]
        related = {"housing": {"housing", "immediate-needs", "outreach"}}.get(means, {means})
        assert all(related & set(s["categories"]) or "families" in s.get("audiences", []) for s in top)


def test_homeless_finds_every_housing_service(client):
    housing = slugs_where(lambda s: "housing" in s["categories"])
    assert housing <= set(every_slug_for(client, q="homeless"))


@pytest.mark.parametrize("typed,meant", [
    ("councelling", "counselling"), ("alchohol", "alcohol"), ("dual recovery anonymus", "dual recovery anonymous"),
])
def test_a_misspelling_is_corrected_and_said(client, typed, meant):
    html = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert f"Showing results for <strong>{meant}</strong>" in html
    assert f"Search for {typed} instead" in html
    assert slugs_for(client, q=typed) == slugs_for(client, q=meant)


def test_the_words_exactly_as_typed_are_one_click_away(client):
    body = client.get("/api/v1/services", query_string={"q": "councelling", "exact": "y"}).get_json()
    assert body["spelling_corrected_from"] is None and body["searched_for"] == "councelling"


def test_a_town_at_the_end_of_the_words_is_searched_near(client):
    html = client.get("/search", query_string={"q": "housing Salford"}).get_data(as_text=True)
    assert "Searching for “housing” near Salford" in html
    assert "Search for “housing” anywhere" in html
    body = client.get("/api/v1/services", query_string={"q": "needle exchange in Blackpool"}).get_json()
    assert body["near"]["label"] == "Blackpool" and body["searched_for"] == "needle exchange"
    assert body["items"] and body["items"][0]["distance"]["miles"] < 10


def test_family_support_bolton_finds_bolton_family_support(client):
    first = slugs_for(client, q="family support Bolton")
    service = next(s for s in services() if s["slug"] == first[0])
    assert "families-carers" in service["categories"] or "families" in service.get("audiences", [])


@pytest.mark.parametrize("typed", ["Polish", "in Urdu"])
def test_a_language_in_the_words_finds_services_offered_in_it(client, typed):
    language = typed.split()[-1]
    offered = slugs_where(lambda s: language in s.get("languages", []))
    assert offered <= set(every_slug_for(client, q=typed))


def test_the_language_filter_lists_only_services_offered_in_it(client):
    offered = slugs_where(lambda s: "Polish" in s.get("languages", []))
    assert set(every_slug_for(client, language="Polish")) == offered
    html = client.get("/search").get_data(as_text=True)
    assert '<option value="Polish">Polish</option>' in html


def test_alcohol_is_ranked_by_relevance_not_alphabet(client):
    body = client.get("/api/v1/services", query_string={"q": "alcohol"}).get_json()
    assert body["order"] == "best"
    names = [item["name"] for item in body["items"]]
    assert names != sorted(names, key=str.lower)


def test_the_chosen_order_is_said_and_kept_in_links(client):
    html = client.get("/search", query_string={"q": "group", "near": "Manchester", "sort": "nearest"}).get_data(as_text=True)
    assert "nearest first" in html
    assert "sort=nearest" in html.split('id="results"', 1)[1] or 'rel="next"' not in html
    near_only = client.get("/search", query_string={"near": "Manchester"}).get_data(as_text=True)
    assert "nearest first" in near_only
    best = client.get("/search", query_string={"q": "group", "near": "Manchester"}).get_data(as_text=True)
    assert "best match first" in best


def test_nothing_found_still_offers_somewhere_to_turn(client):
    html = client.get("/search", query_string={"q": "zzzznotathing", "near": "Lancaster", "radius": 1}).get_data(as_text=True)
    assert "We looked for “zzzznotathing” within 1 mile of Lancaster" in html
    assert 'id="instead"' in html and 'id="national"' in html and 'id="widen"' in html


def test_crisis_words_near_a_place_put_the_nearest_crisis_service_first_in_either_order(client):
    for order in ("best", "nearest"):
        body = client.get("/api/v1/services", query_string={"q": "I want to end it all", "near": "Manchester", "sort": order}).get_json()
        assert body["crisis"] and body["items"][0]["slug"] in crisis_slugs()


def test_nothing_typed_is_kept_or_learned_from(app, client, caplog):
    client.get("/search", query_string={"q": "quizzicalwombat councelling"})
    client.get("/api/v1/services", query_string={"q": "quizzicalwombat"})
    with app.app_context():
        assert "quizzicalwombat" not in vocabulary.words()
        assert "councelling" not in vocabulary.words()
    assert "quizzicalwombat" not in caplog.text
