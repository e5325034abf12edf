"""The public "Report a problem with this listing" form: no account, no IP address kept."""

from __future__ import annotations

from flask import Blueprint, render_template

from directory import feedback
from directory.extensions import limiter
from directory.listing_forms import ReportForm
from directory.views import published_or_404

bp = Blueprint("report", __name__)


@bp.route("/services/<slug>/report-a-problem", methods=["GET", "POST"])
@limiter.limit("5 per hour; 20 per day", methods=["POST"])
def report_problem(slug: str):
    service = published_or_404(slug)
    form = ReportForm()
    if form.validate_on_submit():
        # A filled-in honeypot is a bot: thank it the same way and keep nothing.
        if not form.website.data:
            feedback.report(service, form.message.data)
        return render_template("report/sent.html", service=service)
    return render_template("report/form.html", service=service, form=form)
