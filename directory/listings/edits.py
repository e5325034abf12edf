"""A listing's editable details as plain values: read them from a service, write them back."""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import current_app

from directory.listings import schema
from directory.models import Location, Service
from directory.orm import touch
from directory.places import geocoder, lookup

FIELDS = tuple((f.name, f.label) for f in schema.FIELDS)
LABELS = schema.LABELS
VENUE_FIELDS = schema.VENUE_FIELDS
# Everything the public sees waits for staff when a facilitator changes a published listing;
# only cancelling or moving one session, and capacity, stay instant (they are not edited here).
MODERATED = frozenset(LABELS)
_NULLABLE = frozenset(f.name for f in schema.FIELDS if f.kind in ("int", "choice", "organisation"))


def snapshot(service: Service) -> dict[str, Any]:
    """The current values of every editable field, as JSON-safe plain values."""
    values: dict[str, Any] = {}
    venue = service.locations[0] if service.locations else None
    for field in schema.FIELDS:
        if field.name in VENUE_FIELDS:
            values[field.name] = getattr(venue, VENUE_FIELDS[field.name]) if venue else (False if field.kind == "bool" else "")
        elif field.kind == "codes":
            values[field.name] = service.codes(field.tag)
        elif field.kind == "list":
            values[field.name] = list(service.languages or [])
        else:
            value = getattr(service, field.name)
            values[field.name] = "" if value is None and field.kind == "choice" else value
    return values


def apply(service: Service, values: dict[str, Any]) -> None:
    """Write values onto the service, and onto a venue that only this service uses."""
    for field, value in values.items():
        if field in schema.CODE_KINDS:
            service.set_codes(schema.CODE_KINDS[field], list(value or []))
        elif field in LABELS and field not in VENUE_FIELDS:
            setattr(service, field, (value if value not in ("", None) else None) if field in _NULLABLE else value)
    venue_values = {VENUE_FIELDS[f]: v for f, v in values.items() if f in VENUE_FIELDS}
    if venue_values:
        _apply_venue(service, venue_values)
    # Always an UPDATE of the row, so even a venue-only change gives the service a new version.
    touch(service)


def _apply_venue(service: Service, values: dict[str, str]) -> None:
    venue = service.locations[0] if service.locations else None
    if venue is not None and all(getattr(venue, k) == v for k, v in values.items()):
        return
    if venue is None and not any(values.values()):
        return  # online or by phone only: no venue to make
    if venue is None or len(venue.services) > 1:
        # A shared venue is not ours to change: this service moves to a venue of its own.
        venue = Location(
            key=f"{service.slug}-{secrets.token_hex(3)}", confidential=bool(venue and venue.confidential)
        )
        service.locations = [venue, *service.locations[1:]]
    set_venue(venue, values)


def set_venue(venue: Location, values: dict[str, Any]) -> None:
    """Write a venue's values and place it again if it has moved town or postcode (or was never placed)."""
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
