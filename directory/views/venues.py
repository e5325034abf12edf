"""Staff pages for venues: add one to a listing (new, or one already listed), change one, take one off."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from directory import vocab
from directory.accounts import auth
from directory.extensions import db
from directory.fields import ConfirmForm
from directory.listings import venues
from directory.listings.forms import VenueForm
from directory.models import Location, Service

bp = Blueprint("venues", __name__, url_prefix="/staff")
auth.guard(bp, vocab.STAFF_ROLES)


@bp.route("/services/<int:service_id>/venues/new", methods=["GET", "POST"])
def add(service_id: int):
    service = db.get_or_404(Service, service_id)
    form = VenueForm()
    form.existing.choices = [("", "No, add a new venue"), *venues.choices()]
    if form.validate_on_submit():
        existing = db.session.get(Location, int(form.existing.data)) if form.existing.data else None
        try:
            venue = venues.add(current_user, service, existing, form.values())
        except venues.VenueError as exc:
            form.existing.errors.append(str(exc))
        else:
            flash(f"Venue added: {venue.public_address}. {_placed(venue)}")
            return redirect(url_for("manage.service", service_id=service.id))
    return render_template("staff/venue.html", service=service, venue=None, form=form)


@bp.route("/venues/<int:location_id>", methods=["GET", "POST"])
def edit(location_id: int):
    venue = db.get_or_404(Location, location_id)
    form = VenueForm()
    del form.existing
    if form.validate_on_submit():
        venues.update(current_user, venue, form.values())
        flash(f"Venue saved for every listing there. {_placed(venue)}")
        return redirect(url_for("venues.edit", location_id=venue.id))
    if not form.is_submitted():
        form.process(data=venues.values_of(venue))
    return render_template("staff/venue.html", service=None, venue=venue, form=form)


@bp.post("/services/<int:service_id>/venues/<int:location_id>/remove")
def remove(service_id: int, location_id: int):
    service = db.get_or_404(Service, service_id)
    venue = db.get_or_404(Location, location_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        venues.remove(current_user, service, venue)
    except venues.VenueError as exc:
        flash(str(exc), "error")
    else:
        flash(f"{venue.public_address or 'The venue'} is no longer on this listing.")
    return redirect(url_for("manage.service", service_id=service.id))


def _placed(venue: Location) -> str:
    if venue.latitude is not None:
        return "It is placed on the map" + (" near its town or postcode." if venue.geocode_status == "approximate" else ".")
    return "It could not be placed on the map yet, so it is left out of distance searches until it is."
