"""iCal feeds: every published session, the /meetings filters, one service, one session.

Thin: each route parses the request and returns what feeds.responses gives it.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, request

from directory.extensions import db
from directory.feeds.responses import feed_response, json_response, session_response
from directory.interop import meeting_guide
from directory.models import Schedule
from directory.schedules import recurrence
from directory.search.forms import MeetingsForm
from directory.search.schedules import MeetingQuery
from directory.views import local_now, published_or_404

bp = Blueprint("feeds", __name__)


@bp.get("/calendar.ics")
def everything():
    return feed_response(MeetingQuery(), f"All group sessions – {current_app.config['SITE_NAME']}", "calendar.ics")


@bp.get("/meetings.ics")
def meetings():
    form = MeetingsForm(request.args)
    form.validate()
    return feed_response(form.to_query(), f"Group sessions – {current_app.config['SITE_NAME']}", "meetings.ics")


@bp.get("/meetings.json")
def meeting_guide_feed():
    """Every published weekly group, in the Meeting Guide format (no parameters, as its spec asks)."""
    schedules = list(db.session.scalars(meeting_guide.select_published()))
    return json_response(meeting_guide.meetings(schedules, local_now()))


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
    return session_response(x, f"{slug}-{day}.ics")


@bp.app_template_filter("webcal")
def webcal(url: str) -> str:
    """The subscribe address: calendar apps open webcal:// links as a subscription."""
    return "webcal://" + url.split("://", 1)[-1]
