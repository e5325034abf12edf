"""How far away things are: postcode parsing, bounding boxes, distances and close names.

Pure functions (no Flask, no database): places.lookup finds where a place is.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata

from geopy.distance import EARTH_RADIUS
from geopy.units import miles as to_miles

Point = tuple[float, float]

EARTH_RADIUS_MILES = to_miles(kilometers=EARTH_RADIUS)
# Floating-point slack (about two metres) so a place exactly on the radius counts as inside.
BOUNDARY_SLACK_MILES = 0.001

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_LAT_LON = re.compile(r"^\s*([-+]?\d{1,2}(?:\.\d+)?)\s*,\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def normalise_postcode(text: str) -> str | None:
    """"m14 5rx" or "M145RX" -> "M14 5RX"; None when it is not shaped like a full UK postcode."""
    match = _POSTCODE.match(_compact(text))
    return f"{match[1]} {match[2]}" if match else None


def outward_code(text: str) -> str | None:
    """The postcode district: "M14" from "M14 5RX" or "m14"; None when there is none."""
    compact = _compact(text)
    match = _POSTCODE.match(compact)
    if match:
        return match[1]
    return compact if _OUTWARD.match(compact) else None


def place_key(text: str) -> str:
    """How place names are compared: "St. Helens", " st helens" and "St Hélens" are one key."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


def parse_lat_lon(text: str) -> Point | None:
    """"53.462,-2.233" (what "Use my location" sends) -> (53.462, -2.233)."""
    match = _LAT_LON.match(text)
    if not match:
        return None
    lat, lon = float(match[1]), float(match[2])
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def miles_between(a: Point, b: Point) -> float:
    """Great-circle miles on geopy's sphere by the haversine formula: the same answer as geopy's
    great_circle to a millimetre (tests/test_geo.py), within 0.5% of geodesic, and a search
    works it out for thousands of places, where geopy's objects cost ten times as much."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return float(2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h))))


def within(miles: float, radius_miles: float) -> bool:
    """The radius is inclusive."""
    return miles <= radius_miles + BOUNDARY_SLACK_MILES


# Confidential places are searched from the centre of a grid square this many degrees
# across (about 3.5 by 5.5 km here), never from their door: no run of searches can
# narrow one down further than that.
CONFIDENTIAL_GRID = 0.05


def coarse(point: Point) -> Point:
    """The centre of the grid square a point lies in."""
    lat, lon = point
    return tuple(
        (math.floor(v / CONFIDENTIAL_GRID) + 0.5) * CONFIDENTIAL_GRID for v in (lat, lon)
    )  # type: ignore[return-value]


def bounding_box(centre: Point, radius_miles: float, margin: float = 0.0) -> tuple[float, float, float, float]:
    """(south, north, west, east) holding every point within the radius on geopy's sphere,
    widened by `margin` degrees each way.

    It lets the database use its latitude/longitude index before any distance is worked out.
    The UK never crosses the 180th meridian, so the box does not wrap.
    """
    lat, lon = centre
    angle = (radius_miles + BOUNDARY_SLACK_MILES) / EARTH_RADIUS_MILES
    south, north = lat - math.degrees(angle) - margin, lat + math.degrees(angle) + margin
    if south <= -90 or north >= 90:
        return max(south, -90.0), min(north, 90.0), -180.0, 180.0
    spread = math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(lat))))) + margin
    return south, north, lon - spread, lon + spread


def describe_miles(miles: float, rounded: bool = False) -> str:
    """"2.3 miles"; a confidential place gets whole miles ("about 3 miles") so it cannot be pinpointed."""
    if rounded:
        whole = round(miles)
        if whole < 1:
            return "less than a mile"
        return f"about {whole} mile{'' if whole == 1 else 's'}"
    if miles < 0.05:
        return "less than 0.1 miles"
    return f"{miles:.1f} miles"


def suggest(text: str, names: list[str], limit: int = 3) -> list[str]:
    """Close names for a place we could not find: "Stockprot" -> ["Stockport"].

    `names` come best-known first; the closest few are offered in that order.
    """
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(place_key(name), name)
    order = {key: n for n, key in enumerate(by_key)}
    close = difflib.get_close_matches(place_key(text), list(by_key), n=limit, cutoff=0.7)
    return [by_key[key] for key in sorted(close, key=order.__getitem__)]
