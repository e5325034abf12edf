"""How fast is a spreadsheet import? `python -m tests.bench.bench_import` (or `make bench`).

Writes a 5,000-row CSV in the import layout (each row a listing with a venue placed from the
gazetteer and weekly sessions) and times, through the one import path, on a temporary migrated
database: the preview (reading, checking and comparing every row), the import (one transaction),
and the same file previewed again (all unchanged). The baseline, in the same run, is adding
listings one at a time as the listing editor does (propose_new, a commit each), measured on a
tenth of the rows and scaled up. Runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
import time

from flask_migrate import upgrade
from sqlalchemy import insert

from directory import create_app
from directory.extensions import db
from directory.imports import apply, layout, uploads
from directory.listings import moderation
from directory.models import Place, User
from tests.bench import databases

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 5_000))
BASELINE_ROWS = max(ROWS // 10, 1)
TARGETS = {"preview": 10.0, "import": 20.0}
POSTCODES = [f"BN{n} {n % 9 + 1}AA" for n in range(1, 21)]


def csv_body() -> bytes:
    rows = [{"source_id": f"row-{n}", "name": f"Group {n}", "organisation": f"Trust {n % 40}",
             "summary": "A peer group for people living with mental health and substance use needs.",
             "categories": "peer-support, education", "stages": "engagement", "delivery_modes": "in-person",
             "group_type": "dra", "meeting_types": "O, DD", "venue_name": "Community Centre",
             "address": f"{n} High Street", "town": "Brighton", "postcode": POSTCODES[n % len(POSTCODES)],
             "free": "yes", "sessions": "TU 19:00-20:30; 2SA 10:00-12:00", "languages": "English"}
            for n in range(ROWS)]
    return layout.write_csv(rows).encode()


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(url: str) -> dict[str, float]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    body = csv_body()
    with app.app_context():
        upgrade()
        db.session.execute(insert(Place), [{"key": p, "kind": "postcode", "name": p, "latitude": 50.8,
                                            "longitude": -0.1, "population": 0} for p in POSTCODES])
        staff = User(email="bench@example.org", role="staff", name="Bench")
        db.session.add(staff)
        db.session.commit()
        preview_s, made = timed(lambda: uploads.preview(body, "bench.csv"))
        assert not made.errors, made.errors[:3]
        import_s, counts = timed(lambda: apply.run(made, staff))
        assert counts["new"] == ROWS, counts
        again_s, again = timed(lambda: uploads.preview(body, "bench.csv"))
        assert again.count("unchanged") == ROWS, [(r.row, r.action, r.changed, r.held) for r in again.rows if r.action != "unchanged"][:2]
        values = {"name": "Baseline group", "summary": "A peer group", "categories": ["peer-support"], "town": "Brighton",
                  "postcode": POSTCODES[0], "address": "1 High Street"}
        baseline_s, _ = timed(lambda: [moderation.propose_new(staff, values) for _ in range(BASELINE_ROWS)])
        db.session.remove()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    return {"preview": preview_s, "import": import_s, "again": again_s, "baseline": baseline_s * ROWS / BASELINE_ROWS}


def report(backend: str, r: dict[str, float]) -> None:
    print(f"\n{backend}: a {ROWS:,}-row CSV (seconds)")
    print(f"{'measure':<44} {'target':>7} {'measured':>9} {'baseline':>9}  ratio")
    for key, name in (("preview", "preview (read, check, compare every row)"), ("import", "import (one transaction)"),
                      ("again", "the same file previewed again (all unchanged)")):
        target = TARGETS.get(key)
        verdict = "" if target is None else ("  [ok]" if r[key] <= target else "  [SLOW]")
        print(f"{name:<44} {target or '-':>7} {r[key]:>8.1f}s {r['baseline']:>8.1f}s  {r['baseline'] / r[key]:.1f}x{verdict}")
    print(f"baseline: adding {ROWS:,} listings one at a time as the editor does (measured on {BASELINE_ROWS}, scaled up)")


def main() -> None:
    for label, url in databases.each("bench_import"):
        report(label, run(url))


if __name__ == "__main__":
    main()
