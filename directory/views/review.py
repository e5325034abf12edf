"""Answering a reminder to check a listing: the signed link from the email, no sign-in needed."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from directory.fields import ConfirmForm
from directory.listings import reminders
from directory.views import local_today

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.route("/<token>", methods=["GET", "POST"])
def check(token: str):
    """A page with one button rather than a link that marks it: mail scanners follow links, and must
    not mark listings checked that nobody looked at."""
    reminder = reminders.reminder_for_token(token)
    if reminder is None:
        return render_template("review/expired.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        reminders.confirm(reminder, local_today())
        return redirect(url_for("review.thanks"), 303)
    return render_template("review/check.html", form=form, service=reminder.service)


@bp.get("/thanks")
def thanks():
    return render_template("review/thanks.html")
