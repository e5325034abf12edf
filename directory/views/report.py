"""The public "Report a problem with this listing" form: no account, no IP address kept."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from directory.extensions import limiter
from directory.listings import feedback
from directory.listings.forms import ReportForm
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
        # Post/Redirect/Get: refreshing the thank-you page must not send the report again.
        return redirect(url_for("report.sent", slug=service.slug), 303)
    return render_template("report/form.html", service=service, form=form)


@bp.get("/services/<slug>/report-a-problem/sent")
def sent(slug: str):
    return render_template("report/sent.html", service=published_or_404(slug))
