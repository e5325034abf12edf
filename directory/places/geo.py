"""Where people are and how far away things are.

Postcode parsing, bounding boxes and distances are pure functions. Finding a place
asks, in order: our gazetteer table, answers remembered from the remote geocoder,
then the remote geocoder itself (through geopy), only when one is configured, so
the default works offline.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from geopy.distance import EARTH_RADIUS, great_circle
from flask_limiter import RateLimitExceeded
from geopy.exc import GeocoderQuotaExceeded, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.location import Location as GeopyLocation
from geopy.units import miles as to_miles
from sqlalchemy import insert, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from directory.extensions import db, limiter
from directory.models import GeocodeCache, Location, Place

Point = tuple[float, float]
Remote = Callable[[str], GeopyLocation | None]

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
    """Great-circle miles: within 0.5% of geodesic and about fifteen times cheaper."""
    return great_circle(a, b).miles


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


@dataclass(frozen=True)
class Found:
    """A place we know: where it is and what to call it."""

    point: Point
    label: str
    # The full postcode we did not know, when `label` is its district instead.
    instead_of: str = ""


@dataclass(frozen=True)
class NotFound:
    """A place we could not find, with close names to offer."""

    text: str
    suggestions: tuple[str, ...] = ()
    # The remote geocoder could not be reached, so trying again later may work.
    unavailable: bool = False


def locate(text: str, remote: Remote | None = None) -> Found | NotFound:
    """Where a postcode, postcode district, town or "lat,lon" is."""
    point = parse_lat_lon(text)
    if point:
        return Found(point, "your location")
    postcode, district = normalise_postcode(text), outward_code(text)
    if postcode:
        kind, key = "postcode", postcode
    elif district:
        kind, key = "district", district
    else:
        kind, key = "town", place_key(text)
    if not key:
        return NotFound(text.strip())
    found = _gazetteer(kind, key)
    if found:
        return found
    if postcode:
        # A full postcode is a few streets: one we don't hold is never sent to the
        # remote geocoder or remembered. The search starts from its district instead.
        rough, unavailable = _gazetteer("district", district), False
        if rough is None:
            rough, unavailable = _ask_remote(district, remote)
        return replace(rough, instead_of=postcode) if rough else NotFound(text.strip(), (), unavailable)
    found, unavailable = _ask_remote(key if kind == "district" else text.strip(), remote)
    if found:
        return found
    suggestions = tuple(suggest(key, _town_names())) if kind == "town" else ()
    return NotFound(text.strip(), suggestions, unavailable)


def geocode_location(location: Location, remote: Remote | None = None) -> None:
    """Give a location coordinates, or mark it pending when the geocoder is unreachable.

    Its full postcode from the gazetteer, else the remote geocoder on its address, is
    exact ("ok"); its district or town is "approximate". Nothing typed in is ever lost.
    """
    # A location made in this request has no defaults yet (they arrive at flush): None is "".
    postcode = normalise_postcode(location.postcode or "")
    exact = _gazetteer("postcode", postcode) if postcode else None
    unavailable = False
    if exact is None:
        address = ", ".join(p for p in (location.address, location.town, location.postcode) if p)
        exact, unavailable = _ask_remote(address, remote) if address else (None, False)
    district = outward_code(location.postcode or "")
    rough = exact or (district and _gazetteer("district", district)) or _gazetteer("town", place_key(location.town or ""))
    if rough:
        location.latitude, location.longitude = rough.point
    if unavailable:
        location.geocode_status = "pending"
    else:
        location.geocode_status = "ok" if exact else "approximate" if rough else "not-found"


def geocode_locations(remote: Remote | None = None) -> Counter[str]:
    """Geocode locations missing coordinates or left pending, committing each so progress is kept."""
    todo = select(Location).where(or_(Location.latitude.is_(None), Location.geocode_status == "pending"))
    counts: Counter[str] = Counter()
    for location in db.session.scalars(todo.order_by(Location.id)).all():
        geocode_location(location, remote)
        counts[location.geocode_status] += 1
        db.session.commit()
    return counts


def _gazetteer(kind: str, key: str) -> Found | None:
    place = db.session.scalar(select(Place).where(Place.key == key, Place.kind == kind))
    return Found((place.latitude, place.longitude), place.name) if place else None


def _town_names() -> list[str]:
    return list(
        db.session.scalars(
            select(Place.name).where(Place.kind == "town").order_by(Place.population.desc(), Place.name)
        )
    )


def _ask_remote(query: str, remote: Remote | None) -> tuple[Found | None, bool]:
    """A remembered answer, else the remote geocoder's: (answer, whether it was unreachable)."""
    key = place_key(query)[:200]
    cached = db.session.scalar(select(GeocodeCache).where(GeocodeCache.query == key))
    if cached:
        return Found((cached.latitude, cached.longitude), cached.label), False
    if remote is None:
        return None, False
    try:
        answer = remote(query)
    except GeopyError:
        return None, True
    if answer is None:
        return None, False
    found = Found((answer.latitude, answer.longitude), answer.address.split(",")[0].strip()[:300] or query)
    _remember(key, found)
    return found, False


def _remember(key: str, found: Found) -> None:
    """Stored on its own connection, so a lookup never commits the caller's unfinished work."""
    row = {"query": key, "latitude": found.point[0], "longitude": found.point[1], "label": found.label}
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(GeocodeCache), [row])
    except (IntegrityError, OperationalError):
        pass  # another request remembered it first, or SQLite is busy: only a lookup saved is lost


@dataclass(frozen=True)
class RemoteSettings:
    service: str
    user_agent: str
    timeout: float
    min_delay: float
    domain: str = ""
    scheme: str = ""
    country: str = ""


def remote_geocoder(config: Mapping) -> Remote | None:
    """The configured geopy geocoder behind a rate limiter, or None (the offline default)."""
    if not config.get("GEOCODER"):
        return None
    return _rate_limited(
        RemoteSettings(
            service=config["GEOCODER"],
            user_agent=config["GEOCODER_USER_AGENT"],
            timeout=float(config["GEOCODER_TIMEOUT"]),
            min_delay=float(config["GEOCODER_MIN_DELAY"]),
            domain=config.get("GEOCODER_DOMAIN") or "",
            scheme=config.get("GEOCODER_SCHEME") or "",
            country=config.get("GEOCODER_COUNTRY") or "",
        )
    )


@lru_cache(maxsize=4)
def _rate_limited(settings: RemoteSettings) -> Remote:
    """One limiter per configuration, shared by every request, so the service's usage policy is kept."""
    # geopy logs each request's URL, the place someone typed, at debug level: never let it.
    logging.getLogger("geopy").setLevel(logging.WARNING)
    options = {"user_agent": settings.user_agent, "timeout": settings.timeout}
    options |= {name: value for name, value in (("domain", settings.domain), ("scheme", settings.scheme)) if value}
    geocoder = get_geocoder_for_service(settings.service)(**options)
    limited = RateLimiter(
        geocoder.geocode, min_delay_seconds=settings.min_delay, max_retries=0, swallow_exceptions=False
    )
    # Nominatim searches the world unless told which country we mean.
    extra = {"country_codes": settings.country} if settings.service == "nominatim" and settings.country else {}
    return lambda query: limited(query, **extra)


def limited_per_visitor(remote: Remote | None, limit: str) -> Remote | None:
    """The remote geocoder as one visitor's searches may use it. Each lookup can take
    seconds and the service allows about one a second for everyone, so past `limit`
    a search is answered as if the service were busy (our gazetteer still works)."""
    if remote is None:
        return None

    def ask(query: str) -> GeopyLocation | None:
        try:
            with limiter.limit(limit):
                return remote(query)
        except RateLimitExceeded as exc:
            raise GeocoderQuotaExceeded("this visitor's share of lookups is used up") from exc

    return ask
