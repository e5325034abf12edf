"""Feed responses: each answers If-None-Match / If-Modified-Since before building anything,
then serves events written once and kept (in this app and in the database)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from flask import Response, current_app, request, url_for
from werkzeug.http import is_resource_modified

from directory.feeds import ical
from directory.feeds.store import RenderingStore, loader
from directory.feeds.versions import version
from directory.schedules.recurrence import Session
from directory.search.schedules import MeetingQuery, schedule_stamps

CACHE_CONTROL = "public, max-age=300, must-revalidate"
ICS = "text/calendar; charset=utf-8"


def events() -> ical.EventCache:
    """This app's written events (each app, and so each test, has its own)."""
    return current_app.extensions.setdefault("feed_events", ical.EventCache())


def site() -> ical.Site:
    """The site as this request reaches it: the host for UIDs, links back to each service."""
    return ical.Site(
        host=current_app.config.get("SITE_HOST") or request.host.split(":")[0],
        service_url=lambda service: url_for("public.service", slug=service.slug, _external=True),
        origin=request.host_url,
    )


def _validated(response: Response, etag: str, last_modified, filename: str) -> Response:
    response.set_etag(etag)
    response.last_modified = last_modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_response(query: MeetingQuery, name: str, filename: str) -> Response:
    """The feed for a query, or 304 when the caller already has this version."""
    current = version(query)
    stamps = (current.schedules_changed, current.services_changed, current.exceptions_changed)
    changed = [t for t in stamps if t is not None]
    last_modified = max(changed).replace(tzinfo=UTC) if changed else None
    etag = hashlib.sha256(repr((ical.LAYOUT, tuple(current), query, request.host_url, name)).encode()).hexdigest()[:32]
    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        return _validated(Response(status=304), etag, last_modified, filename)
    body = events().feed(schedule_stamps(query), loader(query), site(), name, store=RenderingStore())
    return _validated(Response(body, content_type=ICS), etag, last_modified, filename)


def session_response(x: Session, filename: str) -> Response:
    """One session as a file for "Add to calendar"."""
    response = Response(ical.session_calendar(x, site()), content_type=ICS)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON feed or API answer with an ETag of its bytes, so a client that has it gets a 304 (like
    the iCal feeds). Made first and then compared: these are quick to make, and an ETag from the
    bytes is right whatever they depend on (the clock, the host, the change counter)."""
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode()
    response = Response(data, status=status, content_type="application/json")
    if status == 200:
        response.set_etag(hashlib.sha256(data).hexdigest()[:32])
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.make_conditional(request)
    return response
