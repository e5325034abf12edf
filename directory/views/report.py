"""The public "Report a problem with this listing" form: no account, no IP address kept."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from directory import feedback
from directory.extensions import db, limiter
from directory.listing_forms import ReportForm
from directory.models import Service

bp = Blueprint("report", __name__)


@bp.route("/services/<slug>/report-a-problem", methods=["GET", "POST"])
@limiter.limit("5 per hour; 20 per day", methods=["POST"])
def report_problem(slug: str):
    service = db.session.scalar(select(Service).where(Service.slug == slug, Service.status == "published")) or abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        # A filled-in honeypot is a bot: thank it the same way and keep nothing.
        if not form.website.data:
            feedback.report(service, form.message.data)
        return render_template("report/sent.html", service=service)
    return render_template("report/form.html", service=service, form=form)
