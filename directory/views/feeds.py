"""iCal feeds: every published session, the /meetings filters, one service, one session.

Calendar apps poll these, so each answers If-None-Match / If-Modified-Since before
building anything, from a version counted once and kept until the change counter moves.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date

from flask import Blueprint, Response, abort, current_app, request, url_for
from werkzeug.http import is_resource_modified

from directory.feeds import ical
from directory.schedules import recurrence
from directory.extensions import db
from directory.search.forms import MeetingsForm
from directory.models import Schedule
from directory.feeds.store import RenderingStore, loader
from directory.search.services import MeetingQuery, change_count, schedule_stamps, schedules_version
from directory.views import published_or_404

bp = Blueprint("feeds", __name__)

# Feed versions kept per app; past this many (filters times change counts) they start again.
VERSIONS_KEPT = 2_000
CACHE_CONTROL = "public, max-age=300, must-revalidate"
ICS = "text/calendar; charset=utf-8"


def events() -> ical.EventCache:
    """This app's written events (each app, and so each test, has its own)."""
    return current_app.extensions.setdefault("feed_events", ical.EventCache())


def versions() -> dict:
    """This app's feed versions by change count and query (each app has its own)."""
    return current_app.extensions.setdefault("feed_versions", {})


def version(query: MeetingQuery):
    """schedules_version(query), counted again only once the change counter has moved."""
    # Read first: a write committed after this read can only make the version counted below newer.
    changes = change_count()
    if changes is None:  # a database not made by the migrations has no counter: count every time
        return schedules_version(query)
    kept = versions()
    found = kept.get((changes, query))
    if found is None:
        if len(kept) >= VERSIONS_KEPT:
            kept.clear()
        found = kept[changes, query] = schedules_version(query)
    return found


def site() -> ical.Site:
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


@bp.get("/calendar.ics")
def everything():
    return feed_response(MeetingQuery(), f"All group sessions – {current_app.config['SITE_NAME']}", "calendar.ics")


@bp.get("/meetings.ics")
def meetings():
    form = MeetingsForm(request.args)
    form.validate()
    return feed_response(form.to_query(), f"Group sessions – {current_app.config['SITE_NAME']}", "meetings.ics")


@bp.get("/services/<slug>.ics")
def service(slug: str):
    item = published_or_404(slug)
    return feed_response(MeetingQuery(slug=slug), item.name, f"{slug}.ics")


@bp.get("/services/<slug>/sessions/<int:schedule_id>/<day>.ics")
def session(slug: str, schedule_id: int, day: str):
    """One session as a file for "Add to calendar"; a date the group does not meet is a 404."""
    item = published_or_404(slug)
    sched = db.session.get(Schedule, schedule_id)
    if sched is None or sched.service_id != item.id or sched.kind != "session":
        abort(404)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    x = recurrence.session_on(sched, when) or abort(404)
    response = Response(ical.session_calendar(x, site()), content_type=ICS)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-{day}.ics"'
    return response


@bp.app_template_filter("webcal")
def webcal(url: str) -> str:
    """The subscribe address: calendar apps open webcal:// links as a subscription."""
    return "webcal://" + url.split("://", 1)[-1]
