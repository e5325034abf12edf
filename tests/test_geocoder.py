"""The remote geocoder path, against a small local server that answers like Nominatim's /search.

It can find a place, find nothing, be rate limited (429), fail (500) or hang past the
timeout; in every case the page answers kindly and nothing typed in is lost.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from directory.extensions import db
from directory.models import GeocodeCache, Location
from directory.places import geocoder, lookup
from tests.support.factories import reload, snapshot

HITSVILLE = {"lat": "52.4862", "lon": "-1.8904", "display_name": "Hitsville, West Midlands, England, United Kingdom"}
TIMEOUT = 0.4
HANG = 3.0  # well past the timeout


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers by what is asked for, unless the server is told to misbehave."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        self.server.asked.append(query)
        mode = self.server.mode
        if mode == "hang":
            time.sleep(HANG)
        if mode in ("429", "500"):
            self._send(int(mode), {"error": "no"})
        else:
            self._send(200, [HITSVILLE] if "hitsville" in query.lower() else [])

    def _send(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as it should

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def nominatim(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    server.daemon_threads = True
    server.asked, server.mode = [], None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(
        GEOCODER="nominatim", GEOCODER_USER_AGENT="directory-tests", GEOCODER_DOMAIN=f"127.0.0.1:{server.server_port}",
        GEOCODER_SCHEME="http", GEOCODER_TIMEOUT=TIMEOUT, GEOCODER_MIN_DELAY=0,
    )
    yield server
    server.shutdown()
    server.server_close()


def remembered(app) -> list:
    """The geocoder's answers kept in the database (snapshots)."""
    with app.app_context():
        return [snapshot(row) for row in db.session.scalars(db.select(GeocodeCache))]


def test_a_place_found_remotely_is_searched_from_and_remembered(app, client, nominatim):
    html = client.get("/search?near=Hitsville").get_data(as_text=True)
    assert "near Hitsville, within 10 miles" in html
    assert nominatim.asked == ["Hitsville"]
    cached = next(row for row in remembered(app) if row.query == "hitsville")
    assert (cached.latitude, cached.longitude, cached.label) == (52.4862, -1.8904, "Hitsville")

    again = client.get("/search?near=hitsville%20").get_data(as_text=True)
    assert "near Hitsville" in again
    assert nominatim.asked == ["Hitsville"], "the second search is answered from the cache"


def test_the_gazetteer_answers_before_the_remote_geocoder(client, nominatim):
    for near in ("Salford", "M14 5RX", "BL1", "53.5,-2.2"):
        assert "Remove filter: </span>Near " in client.get("/search", query_string={"near": near}).get_data(as_text=True)
    assert nominatim.asked == []


def test_nothing_found_remotely_is_a_kind_message(client, nominatim):
    response = client.get("/search?near=Nowhereshire")
    assert response.status_code == 200
    assert "We couldn&#39;t find “Nowhereshire”" in response.get_data(as_text=True)
    assert nominatim.asked == ["Nowhereshire"]


@pytest.mark.parametrize("mode", ["429", "500", "hang"])
def test_a_failing_geocoder_gives_a_page_that_says_so(app, client, nominatim, mode):
    nominatim.mode = mode
    started = time.monotonic()
    response = client.get("/search?near=Hitsville")
    assert time.monotonic() - started < HANG - 0.5, "the person is not kept waiting for the hang"
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "We couldn&#39;t look up “Hitsville” just now. Try a postcode or a nearby town" in html
    assert "<h2" in html and "service-card" in html, "the rest of the search still shows services"
    assert remembered(app) == [], "failures are not remembered"


def test_an_unknown_full_postcode_falls_back_to_its_district_when_the_geocoder_is_down(client, nominatim):
    nominatim.mode = "500"
    html = client.get("/search?near=M14%209ZZ").get_data(as_text=True)
    assert "so these are near M14" in html


def test_a_full_postcode_we_do_not_hold_is_never_sent_away_or_remembered(app, client, nominatim):
    html = client.get("/search?near=M14%209ZZ").get_data(as_text=True)
    assert "so these are near M14" in html
    assert nominatim.asked == []
    client.get("/search?near=ZZ9%209ZZ")
    assert nominatim.asked == ["ZZ9"], "only the district is asked for"
    assert remembered(app) == []


def test_one_visitor_cannot_keep_the_geocoder_busy(app, client, nominatim):
    app.config["GEOCODER_SEARCH_LIMIT"] = "2 per minute"
    for place in ("Hitsville", "Nowhereshire", "Elsewhere"):
        html = client.get("/search", query_string={"near": place}).get_data(as_text=True)
    assert nominatim.asked == ["Hitsville", "Nowhereshire"]
    assert "We couldn&#39;t look up “Elsewhere” just now. Try a postcode or a nearby town" in html
    assert "near Salford" in client.get("/search?near=Salford").get_data(as_text=True)


def new_location(**fields) -> Location:
    location = Location(key="new-venue", name="The Hall", latitude=None, longitude=None, **fields)
    db.session.add(location)
    return location


@pytest.mark.parametrize("mode", ["429", "500", "hang"])
def test_a_location_saved_while_the_geocoder_is_down_is_pending_then_retried(app, runner, nominatim, mode):
    nominatim.mode = mode
    with app.app_context():
        location = new_location(address="1 Record Row", town="Hitsville", postcode="ZZ9 9ZZ")
        lookup.geocode_location(location, geocoder.remote_geocoder(app.config))
        db.session.commit()
        location = snapshot(location)
    saved = reload(app, location)
    assert (saved.geocode_status, saved.latitude, saved.address, saved.postcode) == ("pending", None, "1 Record Row", "ZZ9 9ZZ")

    nominatim.mode = None
    result = runner.invoke(args=["geocode"])
    assert result.exit_code == 0 and "ok: 1" in result.output
    saved = reload(app, location)
    assert (saved.geocode_status, saved.latitude, saved.longitude) == ("ok", 52.4862, -1.8904)


def test_a_location_keeps_an_approximate_place_while_pending(app, nominatim, database):
    nominatim.mode = "500"
    location = new_location(address="2 Unknown Street", town="Manchester", postcode="M14 9ZZ")
    lookup.geocode_location(location, geocoder.remote_geocoder(app.config))
    m14 = lookup.locate("M14")
    assert location.geocode_status == "pending"
    assert (location.latitude, location.longitude) == m14.point


def test_offline_a_known_postcode_is_exact_and_a_district_approximate(app, runner):
    with app.app_context():
        exact = new_location(address="8 Spindle Street", town="Manchester", postcode="m1 2nt")
        db.session.commit()
        exact = snapshot(exact)
    result = runner.invoke(args=["geocode"])
    assert result.exit_code == 0 and "ok: 1" in result.output
    exact = reload(app, exact)
    assert exact.geocode_status == "ok" and exact.latitude is not None
    with app.app_context():
        rough = Location(key="rough", town="Nowhere", postcode="BL1 9ZZ")
        lookup.geocode_location(rough)
        assert rough.geocode_status == "approximate" and (rough.latitude, rough.longitude) == lookup.locate("BL1").point
        lost = Location(key="lost", town="Atlantis", postcode="")
        lookup.geocode_location(lost)
        assert (lost.geocode_status, lost.latitude) == ("not-found", None)


def test_places_typed_are_never_logged(client, nominatim, caplog):
    caplog.set_level(logging.DEBUG)
    client.get("/search?near=Hitsville")
    nominatim.mode = "500"
    client.get("/search?near=Hitsvillage")
    assert nominatim.asked == ["Hitsville", "Hitsvillage"]
    assert "Hitsvill" not in caplog.text
