"""Staff add venues to a listing (new, or one already listed), change them for every listing there,
mark them private, and take them off; new and moved venues are placed when saved."""

from __future__ import annotations

from sqlalchemy import select

from directory.extensions import db
from directory.models import Location, Service
from tests.support.factories import LocationFactory, snapshot
from tests.support.forms import post
from tests.support.people import client_as


def _venues(app, service_id: int) -> list:
    with app.app_context():
        return [snapshot(v) for v in db.session.get(Service, service_id).locations]


def test_staff_reuse_a_venue_add_a_private_one_and_remove_one(app, people):
    a, b = people.service_a, people.service_b
    staff = client_as(app, people, "staff")
    (b_venue,) = _venues(app, b.id)
    page = staff.get(f"/staff/services/{a.id}/venues/new").get_data(as_text=True)
    assert "Use a venue already listed" in page
    assert post(staff, f"/staff/services/{a.id}/venues/new", {"existing": str(b_venue.id)}).status_code == 302
    assert b_venue.id in [v.id for v in _venues(app, a.id)]
    again = post(staff, f"/staff/services/{a.id}/venues/new", {"existing": str(b_venue.id)}).get_data(as_text=True)
    assert "That venue is already on this listing" in again

    post(staff, f"/staff/services/{a.id}/venues/new", {"name": "Safe House", "address": "1 Secret Row", "town": "Wigan",
                                                         "postcode": "WN1 1AA", "confidential": "y"})
    new = next(v for v in _venues(app, a.id) if v.name == "Safe House")
    assert new.confidential and new.latitude is not None, "placed when saved"
    public = app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
    assert "1 Secret Row" not in public and "Wigan" in public
    assert "Give the new venue&#39;s town or postcode" in post(staff, f"/staff/services/{a.id}/venues/new", {}).get_data(as_text=True)

    post(staff, f"/staff/services/{a.id}/venues/{b_venue.id}/remove")
    assert b_venue.id not in [v.id for v in _venues(app, a.id)]
    assert b_venue.id in [v.id for v in _venues(app, b.id)], "the venue stays for the other listing"


def test_changing_a_venue_changes_it_for_every_listing_there_and_places_it_again(app, people):
    a = people.service_a
    staff = client_as(app, people, "staff")
    (venue,) = _venues(app, a.id)
    response = post(staff, f"/staff/venues/{venue.id}", {"name": "Wigan Library", "address": "Library Street",
                                                           "town": "Wigan", "postcode": "WN1 1AA"})
    assert response.status_code == 302
    with app.app_context():
        moved = db.session.get(Location, venue.id)
        assert moved.town == "Wigan" and (moved.latitude, moved.longitude) != (venue.latitude, venue.longitude)
    assert "Library Street" in app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)


def test_facilitators_cannot_reach_venue_pages(app, people):
    facilitator = client_as(app, people, "facilitator_a")
    with app.app_context():
        other = LocationFactory()
        other_id = other.id
        assert db.session.scalar(select(Location.id).where(Location.id == other_id))
    assert facilitator.get(f"/staff/venues/{other_id}").status_code == 403
    assert facilitator.get(f"/staff/services/{people.service_a.id}/venues/new").status_code == 403
