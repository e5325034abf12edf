"""Venues staff manage: add a new one or reuse one already listed, change one (every service
there sees it), take one off a service. Each function is one unit of work and commits it."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from directory.accounts import audit
from directory.extensions import db
from directory.listings import edits
from directory.models import Location, Service, User
from directory.orm import touch

FIELDS = ("name", "address", "town", "postcode", "confidential")


class VenueError(ValueError):
    """A venue change that cannot be made as asked; the message says why."""


def values_of(venue: Location) -> dict[str, Any]:
    return {f: getattr(venue, f) for f in FIELDS}


def choices() -> list[tuple[str, str]]:
    """Every venue, for "use a venue already listed": a confidential one by its name and town only."""
    stmt = select(Location).order_by(Location.town, Location.name, Location.id)
    return [(str(v.id), ", ".join(p for p in (v.name, v.town if v.confidential else v.public_address) if p)
             or f"Venue {v.id}") for v in db.session.scalars(stmt)]


def add(user: User, service: Service, existing: Location | None, values: dict[str, Any]) -> Location:
    """Put a venue on the service: `existing` if given, otherwise a new one made (and placed) from `values`."""
    if existing is not None:
        if existing in service.locations:
            raise VenueError("That venue is already on this listing")
        venue = existing
    else:
        if not (values.get("town") or values.get("postcode")):
            raise VenueError("Give the new venue's town or postcode, or choose a venue already listed")
        venue = Location(key=f"{service.slug}-{secrets.token_hex(3)}")
        edits.set_venue(venue, values)
    service.locations.append(venue)
    touch(service)
    audit.record(user, "venue-added", service, None, {"venue": venue.public_address or venue.town})
    db.session.commit()
    return venue


def update(user: User, venue: Location, values: dict[str, Any]) -> None:
    """Change a venue for every service there, placing it again if it moved."""
    before = values_of(venue)
    edits.set_venue(venue, values)
    for service in venue.services:
        touch(service)
    changed_before, changed_after = audit.changed(before, values_of(venue))
    audit.record(user, "venue-changed", venue, changed_before, changed_after)
    db.session.commit()


def remove(user: User, service: Service, venue: Location) -> None:
    """Take the venue off this service; the venue stays for any other service there."""
    if venue not in service.locations:
        raise VenueError("That venue is not on this listing")
    service.locations.remove(venue)
    for sched in service.schedules:
        if sched.location_id == venue.id:
            sched.location = None
    touch(service)
    audit.record(user, "venue-removed", service, {"venue": venue.public_address or venue.town}, None)
    db.session.commit()
