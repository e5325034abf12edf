"""Other directories' feeds, served by real HTTP servers on 127.0.0.1: an HSDS 3 API walked page by
page (our own /hsds/, so the round trip is checked), a Meeting Guide feed whose meetings then show on
/meetings at their local times, and sources that are down, slow or answer HTML, which change nothing."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flask_migrate import upgrade
from sqlalchemy import func, select

from directory import create_app
from directory.extensions import db
from directory.imports import apply, export, feeds, plan, sources, uploads
from directory.listings.status import published
from directory.models import DataSource, Service
from tests.support.forms import post
from tests.support.people import client_as
from tests.support.servers import free_port, serving

MEETINGS = [
    {"name": "Harbour Dual Recovery", "slug": "harbour-dra-7", "day": 3, "time": "19:30", "end_time": "21:00",
     "location": "Harbour Church Hall", "address": "1 Quay Street", "city": "Lancaster", "postal_code": "LA1 1NN",
     "types": ["O", "DD", "ONL", "XYZ"], "timezone": "Europe/London", "group": "Harbour Recovery"},
    {"name": "Harbour Online Circle", "slug": "harbour-online-8", "day": [1, 4], "time": "12:00",
     "conference_url": "https://meet.example/harbour", "types": ["O"], "group": "Harbour Recovery"},
]


@contextmanager
def http_server(routes: dict[str, tuple[int, str, bytes, float]]) -> Iterator[str]:
    """path -> (status, content type, body, seconds to wait first), on a free port of 127.0.0.1."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            status, kind, body, delay = routes.get(self.path, (404, "text/html", b"<h1>Not found</h1>", 0))
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _source(app, kind: str, url: str) -> int:
    with app.app_context():
        return sources.add("Neighbours", kind, url, 6).id


def _refresh(app, source_id: int) -> tuple[bool, str]:
    with app.app_context():
        source = db.session.get(DataSource, source_id)
        ok = sources.refresh(source)
        return ok, source.last_result


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Service))


def test_a_meeting_guide_feed_imports_and_its_meetings_show_at_their_local_times(app, runner):
    with http_server({"/meetings.json": (200, "application/json", json.dumps(MEETINGS).encode(), 0)}) as base:
        source_id = _source(app, "meeting-guide", f"{base}/meetings.json")
        ok, result = _refresh(app, source_id)
        assert ok and result.startswith("2 new"), result
        again = runner.invoke(args=["sources", "refresh", "--all"])
        assert again.exit_code == 0 and "0 new, 0 changed, 2 unchanged" in again.output
    page = app.test_client().get("/meetings?q=harbour").get_data(as_text=True)
    assert "Harbour Dual Recovery" in page and "7:30pm" in page
    assert "Harbour Online Circle" in page and "midday" in page
    with app.app_context():
        hall = db.session.scalar(select(Service).where(Service.source_id == "harbour-dra-7"))
        assert hall.source == f"source:{source_id}" and hall.codes("meeting_type") == ["DD", "O"]
        assert [(s.byday, f"{s.opens_at:%H:%M}", s.timezone) for s in hall.schedules] == [("WE", "19:30", "Europe/London")]
        online = db.session.scalar(select(Service).where(Service.source_id == "harbour-online-8"))
        assert [(s.byday, s.attending_type, s.online_url) for s in online.schedules] == [
            ("MO,TH", "online", "https://meet.example/harbour")]


def _listings(app, where=None) -> dict[str, dict]:
    with app.app_context():
        stmt = select(Service) if where is None else select(Service).where(where)
        return {s.name: plan.current(s) | {"contact": s.contact_phone, "venues": [(v.address, v.postcode) for v in s.locations]}
                for s in db.session.scalars(stmt)}


def _empty_site(tmp_path, name: str):
    site = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / name}.sqlite3", "TESTING": True, "SECRET_KEY": "t"})
    with site.app_context():
        upgrade()
    return site


def _same(copies: dict[str, dict], originals: dict[str, dict], keys: tuple[str, ...]) -> None:
    assert set(copies) == set(originals)
    for name, was in originals.items():
        now = copies[name]
        for key in keys:
            assert now[key] == was[key], (name, key)
        if was["confidential"]:
            assert now["confidential"] and now["address"] == "" and now["postcode"] == "", "never exported"
        else:  # the layout carries one venue a listing: of several, the database's first (its order varies)
            assert (now["address"], now["postcode"]) in was["venues"] or not was["venues"], name


SHARED = ("categories", "stages", "meeting_types", "group_type", "town", "organisation", "contact", "languages")


def test_the_demo_through_our_hsds_api_comes_back_the_same_in_an_empty_site(app, tmp_path):
    originals = _listings(app, published())
    empty = _empty_site(tmp_path, "from-hsds")
    with serving(app) as site:
        ok, result = _refresh(empty, _source(empty, "hsds", f"{site}/hsds/"))
    assert ok, result
    copies = _listings(empty)
    _same(copies, originals, SHARED)
    for name, was in originals.items():
        # HSDS does not tell opening hours from sessions: they come back as sessions.
        times = lambda v: sorted(t for t in (*v["sessions"].split("; "), *v["opening_hours"].split("; ")) if t)  # noqa: E731
        assert times(copies[name]) == times(was), name


def test_the_demo_as_csv_comes_back_the_same_in_an_empty_site(app, tmp_path):
    originals = _listings(app)
    with app.app_context():
        body = export.csv_text().encode()
    empty = _empty_site(tmp_path, "from-csv")
    with empty.app_context():
        made = uploads.preview(body, "listings.csv")
        assert not made.errors, made.errors[:3]
        private = [p for p in made.problems if "private" in p.message]
        assert private and all(p.column == "address" for p in private), "the report asks for the address again"
        apply.run(made, None)
    # The layout names a listing's organisation, not the organisation's own phone: compare the listing's.
    keys = (*(k for k in SHARED if k != "contact"), "name", "summary", "description", "phone", "sessions",
            "opening_hours", "free", "cost")  # not status: an empty site has no gazetteer, so they wait as pending
    _same(_listings(empty), originals, keys)


def test_a_source_that_is_down_slow_or_answers_html_changes_nothing(app):
    app.config.update(FEED_TIMEOUT=0.5, FEED_TRIES=2)
    before = _count(app)
    routes = {"/html": (200, "text/html", b"<html>Sign in</html>", 0), "/slow": (200, "application/json", b"[]", 2.0),
              "/broken": (503, "text/plain", b"busy", 0)}
    with http_server(routes) as base:
        for path, words in (("/html", "did not answer with JSON (it sent text/html)"), ("/slow", "took too long"),
                            ("/broken", "answered 503")):
            ok, result = _refresh(app, _source(app, "meeting-guide", base + path))
            assert not ok and words in result, result
    ok, result = _refresh(app, _source(app, "hsds", f"http://127.0.0.1:{free_port()}/hsds/"))
    assert not ok and "did not answer" in result and "nothing was changed" in result
    assert _count(app) == before


def test_staff_register_a_feed_and_fetch_it_now(app, people):
    staff = client_as(app, people, "staff")
    with http_server({"/meetings.json": (200, "application/json", json.dumps(MEETINGS).encode(), 0)}) as base:
        page = post(staff, "/staff/imports/sources", {"name": "Harbour", "kind": "meeting-guide", "url": "not a url",
                                                       "refresh_hours": "0"}).get_data(as_text=True)
        assert "Web addresses start with https://" in page and "Between 1 and 720 hours" in page
        post(staff, "/staff/imports/sources", {"name": "Harbour", "kind": "meeting-guide", "url": f"{base}/meetings.json",
                                                "refresh_hours": "6"})
        with app.app_context():
            source_id = db.session.scalar(select(DataSource.id).where(DataSource.name == "Harbour"))
        post(staff, f"/staff/imports/sources/{source_id}/refresh")
    page = staff.get("/staff/imports/sources").get_data(as_text=True)
    assert "2 new, 0 changed, 0 unchanged" in page


def test_a_feed_listing_at_several_venues_says_which_venues_it_leaves_for_staff_to_add(app):
    venue = lambda name, town: {"location": {"name": name, "addresses": [{"address_1": "1 High Street",  # noqa: E731
                                                                          "city": town, "postal_code": ""}]}}
    service = {"id": "far-1", "name": "Two Towns Family Group", "description": "For families",
               "service_at_locations": [venue("Mill Hall", "Bolton"), venue("Quay Rooms", "Lancaster")]}
    with http_server({"/hsds.json": (200, "application/json", json.dumps([service]).encode(), 0)}) as site:
        with app.app_context():
            made = plan.make(feeds.table(feeds.HSDS, f"{site}/hsds.json"), "neighbours")
    notes = [p for p in made.problems if p.column == "venue_name"]
    assert not made.errors
    assert len(notes) == 1 and "Quay Rooms" in notes[0].message and "2 venues" in notes[0].message


def test_a_listing_at_several_venues_exports_them_all_and_an_empty_site_is_told_to_add_the_others(app, tmp_path):
    with app.app_context():
        several = {s.name: [v.name for v in s.locations[1:]] for s in db.session.scalars(select(Service))
                   if len(s.locations) > 1}
        body = export.csv_text().encode()
        again = uploads.preview(body, "listings.csv")
    assert several, "the demo has listings at more than one venue"
    assert not [p for p in again.problems if p.column == "other_venues"], "the same site already has them"
    empty = _empty_site(tmp_path, "venues")
    with empty.app_context():
        made = uploads.preview(body, "listings.csv")
    told = {r.name: " ".join(p.message for p in made.problems_on(r.row) if p.column == "other_venues")
            for r in made.rows if r.name in several}
    assert not made.errors
    for name, others in several.items():
        assert all(other in told[name] for other in others), name
