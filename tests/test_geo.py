"""Postcodes, distances and bounding boxes: pure functions, no app needed."""

from __future__ import annotations

import pytest
from geopy.distance import great_circle
from hypothesis import given
from hypothesis import strategies as st

from directory.places import geo


@pytest.mark.parametrize(
    "typed, postcode",
    [("m14 5rx", "M14 5RX"), ("M145RX", "M14 5RX"), ("  m14   5RX ", "M14 5RX"), ("ec1a1bb", "EC1A 1BB"),
     ("M1 1AE", "M1 1AE"), ("bl1 1aa", "BL1 1AA"), ("M14", None), ("Salford", None), ("", None), ("12345", None)],
)
def test_postcodes_are_normalised_however_they_are_typed(typed, postcode):
    assert geo.normalise_postcode(typed) == postcode


@pytest.mark.parametrize(
    "typed, district",
    [("M14 5RX", "M14"), ("m145rx", "M14"), ("m14", "M14"), ("EC1A 1BB", "EC1A"), ("fy1", "FY1"),
     ("Salford", None), ("M14 5", None)],
)
def test_the_district_is_the_outward_code(typed, district):
    assert geo.outward_code(typed) == district


@pytest.mark.parametrize(
    "typed, point",
    [("53.462,-2.233", (53.462, -2.233)), (" 53.462 , -2.233 ", (53.462, -2.233)), ("+51.5,0.1", (51.5, 0.1)),
     ("91,0", None), ("0,181", None), ("53.4", None), ("Salford", None), ("53.4,-2.2,1", None)],
)
def test_lat_lon_as_sent_by_use_my_location(typed, point):
    assert geo.parse_lat_lon(typed) == point


def test_place_names_compare_without_case_punctuation_or_accents():
    assert geo.place_key(" St. Helens ") == geo.place_key("st helens") == geo.place_key("St Hélens") == "st helens"


@pytest.mark.parametrize(
    "miles, rounded, text",
    [(2.34, False, "2.3 miles"), (0.01, False, "less than 0.1 miles"), (12.0, False, "12.0 miles"),
     (2.6, True, "about 3 miles"), (1.2, True, "about 1 mile"), (0.4, True, "less than a mile")],
)
def test_distances_read_naturally_and_confidential_ones_are_rounded(miles, rounded, text):
    assert geo.describe_miles(miles, rounded) == text


def test_suggestions_offer_close_names_best_known_first():
    names = ["Manchester", "Stockport", "Salford", "Seaford", "Sleaford"]
    assert geo.suggest("Stockprt", names) == ["Stockport"]
    assert geo.suggest("Slaford", names)[0] == "Salford"
    assert geo.suggest("xyzzy", names) == []


@given(
    lat=st.floats(49.5, 61.0), lon=st.floats(-8.5, 2.0), bearing=st.floats(0, 360),
    radius=st.sampled_from([1, 3, 5, 10, 25, 50]), fraction=st.floats(0, 1),
)
def test_every_point_within_the_radius_is_inside_the_bounding_box(lat, lon, bearing, radius, fraction):
    point = great_circle(miles=radius * fraction).destination((lat, lon), bearing)
    south, north, west, east = geo.bounding_box((lat, lon), radius)
    assert south <= point.latitude <= north
    assert west <= point.longitude <= east
    assert geo.within(geo.miles_between((lat, lon), (point.latitude, point.longitude)), radius)


def test_the_bounding_box_is_not_much_bigger_than_the_circle():
    south, north, west, east = geo.bounding_box((53.48, -2.24), 10)
    assert geo.miles_between((south, -2.24), (north, -2.24)) == pytest.approx(20, abs=0.01)
    assert geo.miles_between((53.48, west), (53.48, east)) == pytest.approx(20, rel=0.01)


@given(
    a=st.tuples(st.floats(49.5, 61.0), st.floats(-8.5, 2.0)),
    b=st.tuples(st.floats(49.5, 61.0), st.floats(-8.5, 2.0)),
)
def test_the_plain_haversine_agrees_with_geopys_great_circle(a, b):
    """A search measures thousands of distances with the cheap formula: it must give geopy's answer,
    to well under a metre, so nobody lands on the other side of a radius."""
    assert geo.miles_between(a, b) == pytest.approx(great_circle(a, b).miles, abs=1e-6)
