"""Unsubscribing from reminders and digests by the link in one: no sign-in, the signed link is enough."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from directory.extensions import csrf
from directory.mail import links, outbox
from directory.mail.forms import UnsubscribeForm

bp = Blueprint("mail", __name__, url_prefix="/mail")

WHAT = {"reminder": "reminders to check listings", "digest": "daily summaries for staff"}


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail programs' one-click unsubscribe (RFC 8058) posts with no token of ours; the link is signed
def unsubscribe(token: str):
    found = links.read_unsubscribe(token)
    if found is None:
        return render_template("mail/unsubscribe_expired.html"), 404
    email, kind = found
    form = UnsubscribeForm()
    if form.validate_on_submit():
        outbox.opt_out(email, kind)
        return redirect(url_for("mail.unsubscribed", kind=kind), 303)
    return render_template("mail/unsubscribe.html", form=form, email=email, what=WHAT[kind])


@bp.get("/unsubscribed")
def unsubscribed():
    return render_template("mail/unsubscribed.html", what=WHAT.get(request.args.get("kind", ""), "these emails"))
