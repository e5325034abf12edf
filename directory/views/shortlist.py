"""A person's list of services: add, reorder, note, print, share with a link and QR code."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from directory.accounts.auth import safe_next
from directory.content import guide
from directory.extensions import db
from directory.feeds.responses import feed_response
from directory.fields import ConfirmForm
from directory.models import Service
from directory.schedules import recurrence
from directory.search.schedules import MeetingQuery
from directory.search.services import ServiceQuery, suggested_for_stage
from directory.signposting import lists, privacy
from directory.signposting.forms import AddForm, ChangeForm, NoteForm
from directory.views import local_now
from directory.views.same_site import same_site_only

bp = Blueprint("shortlist", __name__)


def _back(default: str) -> ResponseReturnValue:
    """Back to the page the button was on (same site only)."""
    return redirect(safe_next(request.form.get("next"), default), code=303)


def details(entries: list[lists.Entry]) -> list[dict]:
    """What the list and its print layout show for each service."""
    now = local_now()
    out = []
    for entry in entries:
        sessions = [s for s in entry.service.schedules if s.kind == "session"]
        out.append(
            {
                "entry": entry,
                "sessions": sessions,
                "opening": [s for s in entry.service.schedules if s.kind == "opening"],
                "next_sessions": recurrence.merge_upcoming(sessions, now, limit=3),
                "note_form": NoteForm(formdata=None, service_id=entry.service.id, note=entry.note),
            }
        )
    return out


def _wants_json() -> bool:
    """static/js/list.mjs asks for JSON, so the page stays where it is; a plain form gets a redirect."""
    return request.accept_mimetypes.best == "application/json"


@bp.post("/list/add")
@same_site_only
def add():
    """Add one service, then back to where the button was (its card, by the `next` anchor)."""
    form = AddForm()
    service = db.session.get(Service, form.service_id.data) if form.validate() else None
    category, message = "error", Markup("That service could not be added. Try again.")
    if service is not None:
        try:
            added = lists.add(session, [service.id])
            category = "message"
            message = Markup('{} {} your list. <a class="govuk-notification-banner__link" href="{}">View your list ({})</a>').format(
                service.name, "added to" if added else "is already on", url_for(".show"), len(lists.ids(session))
            )
        except lists.ListFull as exc:
            message = escape(str(exc))
    if _wants_json():
        return {"ok": category != "error", "message": str(message), "count": len(lists.ids(session))}
    flash(message, category)
    return _back(url_for(".show"))


@bp.post("/list/add-stage/<code>")
@same_site_only
def add_stage(code: str):
    entry = guide.stage(code) or abort(404)
    chosen = suggested_for_stage(code, entry.get("you_might_look_for", []))
    try:
        added = lists.add(session, [s.id for s in chosen])
        flash(f"Added {added} suggested services to your list")
    except lists.ListFull as exc:
        flash(str(exc), "error")
    return _back(url_for(".show"))


@bp.post("/list/change")
def change():
    form = ChangeForm()
    if form.validate():
        if form.action.data == "remove":
            lists.remove(session, form.service_id.data)
            flash("Removed from your list")
        else:
            lists.move(session, form.service_id.data, -1 if form.action.data == "up" else 1)
    return _back(url_for(".show"))


@bp.post("/list/note")
def note():
    form = NoteForm()
    if form.validate():
        lists.set_note(session, form.service_id.data, form.note.data)
        flash("Note saved")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for(".show"), code=303)


@bp.post("/list/clear")
def clear():
    if ConfirmForm().validate():
        lists.clear(session)
        flash("Your list is empty")
    return redirect(url_for(".show"), code=303)


@bp.get("/list")
def show():
    entries = lists.resolve(lists.items(session))
    return render_template(
        "shortlist/list.html", rows=details(entries), confirm=ConfirmForm(), max_note=lists.MAX_NOTE,
        personal_patterns=privacy.patterns_for_browser(), personal_warning=privacy.WARNING,
    )


@bp.get("/list.ics")
def calendar():
    return _feed(lists.ids(session), "list.ics")


@bp.post("/list/share")
def share():
    entries = lists.items(session)
    if not ConfirmForm().validate() or not entries:
        return redirect(url_for(".show"), code=303)
    shared = lists.share(entries)
    return redirect(url_for(".shared", token=shared.token), code=303)


def _shared_or_kind_page(token: str):
    shared = lists.find_shared(token)
    if shared is None or lists.expired(shared):
        status = 404 if shared is None else 410
        return None, (render_template("shortlist/expired.html"), status, {"X-Robots-Tag": "noindex"})
    return shared, None


@bp.get("/s/<token>")
def shared(token: str):
    item, kind_page = _shared_or_kind_page(token)
    if kind_page:
        return kind_page
    link = url_for(".shared", token=token, _external=True)
    qr = Markup(segno.make(link, error="m").svg_inline(scale=4, title="QR code for this list", svgclass="qr-code"))
    body = render_template(
        "shortlist/shared.html", rows=details(lists.resolve(item.items)), shared=item, link=link, qr=qr
    )
    return body, 200, {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store"}


@bp.get("/s/<token>.ics")
def shared_calendar(token: str):
    item, kind_page = _shared_or_kind_page(token)
    if kind_page:
        return kind_page
    return _feed([e["id"] for e in item.items], "list.ics")


def _feed(service_ids: list[int], filename: str) -> Response:
    query = MeetingQuery(services=ServiceQuery(ids=tuple(service_ids) or (0,)))
    return feed_response(query, f"My list – {current_app.config['SITE_NAME']}", filename)
