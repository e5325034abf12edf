"""The meeting list: upcoming peer-group sessions by day, with the same filters as /meetings.ics."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from directory import vocab, words
from directory.schedules import recurrence
from directory.search import meetings, summary
from directory.search.forms import MeetingsForm
from directory.search.services import find
from directory.views import local_now

bp = Blueprint("meetings", __name__)

DAYS_SHOWN = 7


@bp.get("/meetings")
def index():
    form = MeetingsForm(request.args)
    form.validate()
    now = local_now()
    query = form.to_query()
    found = find(query.services)
    days = meetings.by_day(query, now, DAYS_SHOWN, found)
    count = sum(len(day.sessions) for day in days)
    types = [vocab.label(vocab.GROUP_TYPE, code) for code in query.services.group_types]
    searched = query.services.q or (words.join(types, "or") if types else "")
    place = form.place.label if form.place else ""
    return render_template(
        "meetings/index.html",
        form=form,
        days=days,
        distances=found.nearby or {},
        heading=summary.heading(count, "session", searched, place, form.radius.miles(), "soonest first"),
        page_title=summary.title(searched, place, f"Group meetings in the next {DAYS_SHOWN} days"),
        tags=summary.tags(form, place),
        days_shown=DAYS_SHOWN,
        now=now,
        progress=recurrence.progress,
    )
