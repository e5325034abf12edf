"""Staff pages for organisations: the list, adding one and changing one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from directory import vocab
from directory.accounts import auth
from directory.extensions import db
from directory.listings import organisations
from directory.listings.forms import OrganisationForm
from directory.models import Organisation

bp = Blueprint("organisations", __name__, url_prefix="/staff/organisations")
auth.guard(bp, vocab.STAFF_ROLES)


@bp.get("/")
def index():
    return render_template("staff/organisations.html", items=list(db.session.scalars(organisations.all_organisations())))


@bp.route("/new", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/<int:organisation_id>", methods=["GET", "POST"])
def edit(organisation_id: int | None):
    org = db.get_or_404(Organisation, organisation_id) if organisation_id is not None else None
    form = OrganisationForm()
    if form.validate_on_submit():
        org = organisations.save(current_user, org, form.values())
        flash(f"{org.name} is saved.")
        return redirect(url_for("organisations.index"))
    if not form.is_submitted() and org is not None:
        form.process(data=organisations.values_of(org))
    return render_template("staff/organisation.html", org=org, form=form)
