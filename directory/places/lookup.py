"""Where a place is: our gazetteer table first, then answers remembered from the remote
geocoder, then the remote geocoder itself, only when one is configured, so the default
works offline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from geopy.exc import GeopyError
from sqlalchemy import insert, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from directory.extensions import db
from directory.models import GeocodeCache, Location, Place
from directory.places.geo import Point, normalise_postcode, outward_code, parse_lat_lon, place_key, suggest
from directory.places.geocoder import Remote


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
        assert district is not None  # every full postcode has its district
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


def in_gazetteer(text: str) -> Found | None:
    """A postcode, district or town our own gazetteer knows; never the remote geocoder, so words
    searched for are not sent anywhere."""
    postcode, district = normalise_postcode(text), outward_code(text)
    if postcode:
        return _gazetteer("postcode", postcode)
    if district:
        return _gazetteer("district", district)
    key = place_key(text)
    return _gazetteer("town", key) if key else None
