"""The meeting list: upcoming peer-group sessions by day, with the same filters as /meetings.ics."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from directory.schedules import recurrence
from directory.search import meetings
from directory.search.forms import MeetingsForm
from directory.views import local_now

bp = Blueprint("meetings", __name__)

DAYS_SHOWN = 7


@bp.get("/meetings")
def index():
    form = MeetingsForm(request.args)
    form.validate()
    now = local_now()
    return render_template(
        "meetings/index.html",
        form=form,
        days=meetings.by_day(form.to_query(), now, DAYS_SHOWN),
        days_shown=DAYS_SHOWN,
        now=now,
        progress=recurrence.progress,
    )
