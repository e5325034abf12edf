"""A listing's editable details as plain values: read them from a service, write them back."""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import current_app

from directory.clock import utcnow
from directory.models import Location, Service
from directory.places import geocoder, lookup

# (field, label) in the order people see them; venue fields live on the service's first location.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("summary", "Summary"),
    ("description", "Description"),
    ("group_type", "Type of group"),
    ("venue_name", "Venue name"),
    ("address", "Address"),
    ("town", "Town"),
    ("postcode", "Postcode"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("website", "Website"),
    ("free", "Free"),
    ("cost", "Cost"),
    ("families_welcome", "Families and carers welcome"),
    ("abstinence_required", "Must have stopped using"),
    ("eligibility", "Other eligibility"),
    ("referral", "How to get referred"),
    ("accessibility", "Accessibility"),
)
LABELS = dict(FIELDS)
VENUE_FIELDS = {"venue_name": "name", "address": "address", "town": "town", "postcode": "postcode"}
# What people rely on to find and trust a published listing: changes wait for staff.
MODERATED = frozenset({"name", "description", *VENUE_FIELDS})


def snapshot(service: Service) -> dict[str, Any]:
    """The current values of every editable field."""
    values = {f: getattr(service, f) for f, _ in FIELDS if f not in VENUE_FIELDS}
    venue = service.locations[0] if service.locations else None
    for field, attr in VENUE_FIELDS.items():
        values[field] = getattr(venue, attr) if venue else ""
    values["group_type"] = values["group_type"] or ""
    return values


def apply(service: Service, values: dict[str, Any]) -> None:
    """Write values onto the service, and onto a venue that only this service uses."""
    for field, value in values.items():
        if field in LABELS and field not in VENUE_FIELDS:
            setattr(service, field, (value or None) if field == "group_type" else value)
    venue_values = {VENUE_FIELDS[f]: v for f, v in values.items() if f in VENUE_FIELDS}
    if venue_values:
        _apply_venue(service, venue_values)
    # Always an UPDATE of the row, so even a venue-only change gives the service a new version.
    service.updated_at = utcnow()


def _apply_venue(service: Service, values: dict[str, str]) -> None:
    venue = service.locations[0] if service.locations else None
    if venue is not None and all(getattr(venue, k) == v for k, v in values.items()):
        return
    if venue is None or len(venue.services) > 1:
        # A shared venue is not ours to change: this service moves to a venue of its own.
        venue = Location(
            key=f"{service.slug}-{secrets.token_hex(3)}", confidential=bool(venue and venue.confidential)
        )
        service.locations = [venue, *service.locations[1:]]
    moved = any(getattr(venue, k) != values.get(k, getattr(venue, k)) for k in ("postcode", "town"))
    for key, value in values.items():
        setattr(venue, key, value)
    if moved or venue.latitude is None:
        # Placed now from the gazetteer (or the configured geocoder); if that cannot
        # answer, it stays "pending" for `flask geocode` and out of distance searches.
        venue.latitude = venue.longitude = None
        lookup.geocode_location(venue, geocoder.remote_geocoder(current_app.config))


def slug_for(name: str, taken: Any) -> str:
    """A URL-safe slug from a name, with a number added until `taken(slug)` is false."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100] or "group"
    slug, n = base, 1
    while taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug
