"""Lighthouse (npm lighthouse@12.2.3, Debian's Chromium, mobile mode) on the key public pages of a
freshly seeded local site; prints each category's score, CLS and the bytes transferred.

Not part of `make test`: it measures, it does not pass or fail. `make lighthouse` installs
Lighthouse into build/lighthouse/node_modules first."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from sqlalchemy import select
from werkzeug.serving import make_server

from directory import create_app
from directory.extensions import db
from directory.models import Service
from tests.support.databases import build_database

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "build" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def pages(app) -> list[tuple[str, str]]:
    """The pages issue 13 names, with a group and a stage from the demo data."""
    with app.app_context():
        group = db.session.scalar(
            select(Service.slug).where(Service.group_type.is_not(None), Service.status == "published").order_by(Service.slug)
        )
        db.session.remove()
    return [
        ("home", "/"),
        ("search words", "/search?q=housing"),
        ("search near", "/search?near=Bolton"),
        ("group page", f"/services/{group}"),
        ("meetings", "/meetings"),
        ("stage", "/stages/engagement"),
        ("list", "/list"),
        ("glossary", "/glossary"),
    ]


def audit(url: str, out: Path) -> dict:
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         "--chrome-path=/usr/bin/chromium", "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
         f"--only-categories={','.join(CATEGORIES)}"],
        check=True,
    )
    report = json.loads(out.read_text())
    audits = report["audits"]
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    cls = audits["cumulative-layout-shift"]["numericValue"]
    transfer = sum(item.get("transferSize", 0) for item in audits["network-requests"]["details"]["items"])
    return {**scores, "cls": cls, "kb": transfer / 1024}


def main() -> int:
    for name in ("werkzeug", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/lighthouse.db"
        build_database(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        print(f"{'page':<14} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'CLS':>7} {'KB':>7}")
        try:
            for name, path in pages(app):
                r = audit(base + path, Path(tmp) / "report.json")
                print(f"{name:<14} {r['performance']:>5} {r['accessibility']:>5} {r['best-practices']:>5} "
                      f"{r['seo']:>5} {r['cls']:>7.3f} {r['kb']:>7.1f}", flush=True)
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
