"""Searching near a place, as a person sees it: the right services, nearest first, the right distances."""

from __future__ import annotations

import math
import re
from functools import cache

import pytest
import sqlalchemy as sa
import yaml
from geopy.distance import great_circle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.extensions import db
from directory.models import Place, Service
from directory.search.services import ServiceQuery, select_services
from tests.support.factories import LocationFactory, ServiceFactory, snapshot
from tests.support.seeddata import SEEDS, services

MANCHESTER = (53.4808, -2.2426)
LINCOLN = (53.2307, -0.5406)  # no demo services for miles around
SLUG = re.compile(r'href="/services/([a-z0-9-]+)"')
DISTANCE = re.compile(r'service-card__distance">([^<]*)</p>')


@cache
def venues() -> dict[str, dict]:
    return {v["key"]: v for v in yaml.safe_load((SEEDS / "venues.yaml").read_text(encoding="utf-8"))}


def shown(miles: float, confidential: bool) -> float:
    return float(round(miles)) if confidential else round(miles, 1)


def searched_from(venue: dict) -> tuple[float, float]:
    """A confidential venue counts as the centre of its 0.05-degree grid square, never its door."""
    point = (venue["latitude"], venue["longitude"])
    if not venue.get("confidential"):
        return point
    return tuple((math.floor(v / 0.05) + 0.5) * 0.05 for v in point)


def expected_near(point: tuple[float, float], radius: float) -> list[tuple[str, float, bool]]:
    """The oracle, straight from seeds/: (slug, miles to the nearest venue, confidential), nearest first."""
    found = []
    for s in services():
        places = [venues()[k] for k in s.get("venues") or []]
        if s.get("national") or not places:
            continue
        miles, confidential = min(
            (great_circle(point, searched_from(v)).miles, bool(v.get("confidential"))) for v in places
        )
        if miles <= radius:
            found.append((s["slug"], miles, confidential, s["name"].lower()))
    found.sort(key=lambda f: (float(round(f[1])) if f[2] else f[1], f[3]))
    return [f[:3] for f in found]


def cards(html: str, section: str = "results") -> list[tuple[str, str]]:
    """(slug, distance text) for each card in one section of a results page, in order."""
    if f'id="{section}"' not in html:
        return []
    part = html.split(f'id="{section}"', 1)[1].split("<!-- end of results -->", 1)[0].split("</div>", 1)[0]
    found = []
    for card in part.split('<li class="service-card" ')[1:]:
        distance = DISTANCE.search(card)
        found.append((SLUG.search(card)[1], distance[1] if distance else ""))
    return found


def all_cards(client, **params) -> tuple[list[tuple[str, str]], str]:
    """Cards across every page of a search, and the first page's HTML."""
    found, first, page = [], None, 1
    while True:
        response = client.get("/search", query_string={**params, "page": page})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        first = first or html
        found.extend(cards(html))
        if 'rel="next"' not in html:
            return found, first
        page += 1


def add_service_at(app, slug: str, point: tuple[float, float], confidential: bool = False):
    """A housing service at one Testham venue at `point` (a snapshot of the service)."""
    with app.app_context():
        venue = LocationFactory.build(key=slug, latitude=point[0], longitude=point[1], confidential=confidential)
        return snapshot(ServiceFactory(slug=slug, name=slug.replace("-", " ").title(), locations=[venue]))


def at(miles: float, bearing: float, origin: tuple[float, float] = LINCOLN) -> tuple[float, float]:
    point = great_circle(miles=miles).destination(origin, bearing)
    return point.latitude, point.longitude


@pytest.mark.parametrize("radius", [3, 10, 25])
def test_nearest_first_with_the_right_distances(client, radius):
    expected = expected_near(MANCHESTER, radius)
    found, html = all_cards(client, near="53.4808,-2.2426", radius=radius)
    assert [slug for slug, _ in found] == [slug for slug, _, _ in expected]
    assert expected, "the demo data has services near Manchester"
    for (slug, text), (_, miles, confidential) in zip(found, expected, strict=True):
        if confidential:
            assert re.fullmatch(r"(about \d+ miles?|less than a mile) away, \w+", text), text
            assert text.startswith(f"about {round(miles)} mile") or round(miles) == 0
        else:
            number = float(re.match(r"([\d.]+) miles", text)[1]) if "less than" not in text else 0.0
            assert abs(number - miles) <= 0.1, (slug, text, miles)
    assert f"within {radius} miles" in html


def test_the_radius_boundary_is_inclusive(app, client):
    inside = [add_service_at(app, f"edge-{bearing}", at(5, bearing)).slug for bearing in (0, 45, 90, 180, 270, 315)]
    add_service_at(app, "just-outside", at(5.02, 120))
    found, _ = all_cards(client, near="53.2307,-0.5406", radius=5)
    assert sorted(slug for slug, _ in found) == sorted(inside)
    assert all(text == "5.0 miles away, Testham" for _, text in found)


def test_confidential_places_show_whole_miles_the_town_only_and_no_coordinates(app, client):
    hidden = at(2.6, 30)
    add_service_at(app, "safe-house", hidden, confidential=True)
    add_service_at(app, "open-door", at(2.8, 200))
    html = client.get("/search", query_string={"near": "53.2307,-0.5406", "radius": 5}).get_data(as_text=True)
    assert cards(html) == [("open-door", "2.8 miles away, Testham"), ("safe-house", "about 3 miles away, Testham")]
    body = client.get("/api/v1/services", query_string={"near": "53.2307,-0.5406", "radius": 5}).get_json()
    safe = next(item for item in body["items"] if item["slug"] == "safe-house")
    assert safe["locations"] == [{"town": "Testham"}]
    assert safe["distance"] == {"miles": 3.0, "text": "about 3 miles", "town": "Testham"}
    for text in (html, str(body)):
        assert f"{hidden[0]:.4f}" not in text and f"{hidden[1]:.4f}" not in text


def test_confidential_venues_are_not_in_the_gazetteer(database):
    secret = {v["postcode"] for v in venues().values() if v.get("confidential")}
    public = {v["postcode"] for v in venues().values() if not v.get("confidential")}
    known = set(database.scalars(db.select(Place.key).where(Place.kind == "postcode")))
    assert public <= known
    assert not (secret - public) & known


def test_services_with_no_fixed_place_are_listed_apart_and_never_dropped(client):
    national = {s["slug"] for s in services() if s.get("national")}
    html = client.get("/search", query_string={"near": "53.2307,-0.5406", "radius": 1}).get_data(as_text=True)
    assert cards(html) == []
    assert "Available wherever you are" in html
    assert {slug for slug, _ in cards(html, "everywhere")} == national
    assert "further away, within 50 miles" in html

    crisis = {s["slug"] for s in services() if s.get("national") and "crisis" in s["categories"]}
    html = client.get("/search", query_string={"near": "Salford", "category": "crisis"}).get_data(as_text=True)
    assert {slug for slug, _ in cards(html, "everywhere")} == crisis
    assert not crisis & {slug for slug, _ in cards(html)}


def test_the_list_available_everywhere_shows_a_change_at_the_next_search(app, client):
    """The list is kept between searches until the listings change, however they change (here by hand-written SQL)."""
    def everywhere() -> set[str]:
        html = client.get("/search", query_string={"near": "53.2307,-0.5406", "radius": 1}).get_data(as_text=True)
        return {slug for slug, _ in cards(html, "everywhere")}

    before = everywhere()
    assert before == everywhere()
    gone = sorted(before)[0]
    with app.app_context():
        db.session.execute(sa.text("UPDATE service SET status = 'archived' WHERE slug = :slug"), {"slug": gone})
        db.session.commit()
    assert everywhere() == before - {gone}
    with app.app_context():
        db.session.execute(sa.text("UPDATE service SET status = 'published' WHERE slug = :slug"), {"slug": gone})
        db.session.commit()
    assert everywhere() == before


@pytest.mark.parametrize("typed", ["m14 5rx", "M145RX", "M14 5RX ", "M14"])
def test_postcodes_in_any_form(client, typed):
    html = client.get("/search", query_string={"near": typed}).get_data(as_text=True)
    first_slug, first_text = cards(html)[0]
    moss_lane = venues()["manchester-moss-lane-hub"]
    assert first_text == "less than 0.1 miles away, Manchester"
    assert any("manchester-moss-lane-hub" in (s.get("venues") or []) for s in services() if s["slug"] == first_slug)
    assert moss_lane["postcode"] == "M14 5RX"


def test_an_unknown_full_postcode_falls_back_to_its_district(client):
    html = client.get("/search", query_string={"near": "M14 9ZZ"}).get_data(as_text=True)
    assert "We couldn't find the full postcode M14 9ZZ" in html
    assert "near M14" in html
    assert cards(html) == cards(client.get("/search?near=M14").get_data(as_text=True))


@pytest.mark.parametrize("typed", ["Salford", "salford ", "SALFORD"])
def test_towns_in_any_case(client, typed):
    html = client.get("/search", query_string={"near": typed, "radius": 3}).get_data(as_text=True)
    assert "near Salford, within 3 miles" in html
    assert cards(html) == cards(client.get("/search?near=Salford&radius=3").get_data(as_text=True))
    assert cards(html)[0][1].endswith("Salford")


def test_an_unknown_place_offers_close_names_and_still_shows_services(client):
    response = client.get("/search", query_string={"near": "Stockprt"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "We couldn&#39;t find “Stockprt”. Did you mean Stockport?" in html
    assert '<a class="govuk-link" href="/search?near=Stockport">Stockport</a>' in html
    assert cards(html), "the rest of the search still shows services"


def test_a_place_with_no_close_name_gets_a_kind_message(client):
    html = client.get("/search", query_string={"near": "Qwzxv"}).get_data(as_text=True)
    assert "We couldn&#39;t find “Qwzxv”. Check the spelling, or try a postcode or a nearby town" in html
    assert "Some of your search could not be used" in html


@pytest.mark.parametrize("radius", ["7", "abc", "-1", "1e9"])
def test_a_distance_not_on_the_list_is_explained_and_ten_miles_used(client, radius):
    response = client.get("/search", query_string={"near": "Salford", "radius": radius})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Choose a distance from the list" in html
    assert "within 10 miles" in html


def test_radius_choices_default_to_ten_miles(client):
    html = client.get("/search").get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"( selected)?', html)
    assert [value for value, _ in options] == ["1", "3", "5", "10", "25", "50"]
    assert [value for value, selected in options if selected] == ["10"]


def test_the_api_gives_the_same_order_with_distances(client):
    html = client.get("/search", query_string={"near": "Bolton", "radius": 10}).get_data(as_text=True)
    body = client.get("/api/v1/services", query_string={"near": "Bolton", "radius": 10}).get_json()
    assert [item["slug"] for item in body["items"]] == [slug for slug, _ in cards(html)]
    miles = [item["distance"]["miles"] for item in body["items"]]
    assert body["near"]["label"] == "Bolton" and body["radius_miles"] == 10
    assert all(m <= 10 for m in miles)
    assert {item["slug"] for item in body["available_everywhere"]} == {s["slug"] for s in services() if s.get("national")}


def test_feeds_and_exports_get_the_same_services_from_select_services(app):
    inside = {add_service_at(app, f"edge-{n}", at(4.9, n * 90)).id for n in range(3)}
    add_service_at(app, "far-away", at(6, 0))
    with app.app_context():
        national = set(db.session.scalars(db.select(Service.id).where(Service.national.is_(True))))
        chosen = set(db.session.scalars(select_services(ServiceQuery(near=LINCOLN, radius_miles=5)).with_only_columns(Service.id)))
    assert chosen == inside | national


def test_the_map_loads_nothing_until_asked(client):
    html = client.get("/search?near=Preston").get_data(as_text=True)
    assert "data-show-map hidden" in html
    assert not re.search(r'src="/static/vendor/leaflet/leaflet\.[0-9a-f]*\.?js"', html)
    assert re.search(r'data-leaflet-js="/static/vendor/leaflet/leaflet\.[0-9a-f]{12}\.js"', html), "fetched only when asked"
    assert "tile.openstreetmap.org" not in html.split("data-tile-url", 1)[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    near=st.one_of(
        st.text(max_size=120),
        st.builds(lambda a, b: f"{a},{b}", st.floats(allow_nan=True), st.floats(allow_infinity=True)),
        st.from_regex(r"[A-Za-z]{1,2}[0-9]{1,2} ?[0-9][A-Za-z]{2}", fullmatch=True),
    ),
    radius=st.one_of(st.sampled_from(["1", "3", "5", "10", "25", "50"]), st.text(max_size=10)),
)
def test_any_place_or_distance_gives_a_page_not_an_error(client, near, radius):
    assert client.get("/search", query_string={"near": near, "radius": radius}).status_code == 200
    assert client.get("/api/v1/services", query_string={"near": near, "radius": radius}).status_code == 200


def test_searching_around_a_confidential_place_cannot_narrow_it_down(app, client):
    """Two refuges in one grid square are found, or not, together, wherever the search starts."""
    a = at(2.0, 30)
    b = (a[0] + 0.01, a[1] - 0.012)
    assert [math.floor(v / 0.05) for v in a] == [math.floor(v / 0.05) for v in b], "same grid square"
    add_service_at(app, "refuge-a", a, confidential=True)
    add_service_at(app, "refuge-b", b, confidential=True)
    for miles in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0):
        for bearing in (0, 90, 180, 270):
            centre = at(miles, bearing, origin=a)
            found = {slug for slug, _ in all_cards(client, near=f"{centre[0]:.5f},{centre[1]:.5f}", radius=1)[0]}
            assert ("refuge-a" in found) == ("refuge-b" in found), (miles, bearing)


def test_places_moved_added_or_removed_behind_the_apps_back_are_searched_where_they_are(app, client):
    """The place index (an R*Tree on SQLite) follows hand-written SQL too, as an import's would."""
    add_service_at(app, "moving-on", at(2, 0))
    add_service_at(app, "staying-put", at(3, 90))
    far = at(40, 0)
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE location SET latitude = :lat, longitude = :lon WHERE key = 'moving-on'"),
            {"lat": far[0], "lon": far[1]},
        )
        db.session.execute(sa.text(
            "INSERT INTO location (uuid, key, name, address, town, postcode, latitude, longitude, confidential, "
            "geocode_status) SELECT 'u-new-venue', 'new-venue', '', '', 'Testham', '', :lat, :lon, false, 'ok'"
        ), {"lat": at(1, 180)[0], "lon": at(1, 180)[1]})
        db.session.execute(sa.text(
            "INSERT INTO service_location (service_id, location_id, uuid) SELECT s.id, l.id, 'u-new-link' "
            "FROM service s, location l "
            "WHERE s.slug = 'staying-put' AND l.key = 'new-venue'"
        ))
        db.session.commit()
    found, _ = all_cards(client, near="53.2307,-0.5406", radius=5)
    assert found == [("staying-put", "1.0 miles away, Testham")]
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM service_location WHERE location_id IN "
                                "(SELECT id FROM location WHERE key = 'new-venue')"))
        db.session.execute(sa.text("DELETE FROM location WHERE key = 'new-venue'"))
        db.session.commit()
    found, _ = all_cards(client, near="53.2307,-0.5406", radius=5)
    assert found == [("staying-put", "3.0 miles away, Testham")]
    found, _ = all_cards(client, near=f"{far[0]},{far[1]}", radius=3)
    assert [slug for slug, _ in found] == ["moving-on"]
