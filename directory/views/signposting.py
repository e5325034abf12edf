"""Staff's signposting sheet: the person's list with the professional referral details the public page hides."""

from __future__ import annotations

from flask import Blueprint, render_template, session

from directory.accounts.auth import STAFF_ROLES, guard
from directory.signposting import lists
from directory.views.shortlist import details

bp = Blueprint("signposting", __name__)
guard(bp, STAFF_ROLES)


@bp.get("/list/sheet")
def sheet():
    return render_template("shortlist/sheet.html", rows=details(lists.resolve(lists.items(session))))
