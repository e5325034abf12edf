"""The place index as a query: the located places inside a box round a point (SQLite's R*Tree,
migration 0011; PostgreSQL's latitude/longitude B-tree)."""

from __future__ import annotations

from sqlalchemy import Select, column, select, table

from directory.extensions import db
from directory.models import Location
from directory.places import geo
from directory.places.geo import Point

# SQLite's R*Tree of located places (migration 0011): each a point, id the location's id.
_BOX = table("location_box", column("id"), column("south"), column("north"), column("west"), column("east"))


def in_box(near: Point, radius_miles: float) -> Select:
    """The located places in a box holding the radius, widened so a confidential place is judged by
    its grid square alone, not by the box's edge: a Select to add columns to."""
    south, north, west, east = geo.bounding_box(near, radius_miles, margin=geo.CONFIDENTIAL_GRID / 2)
    if db.session.get_bind().dialect.name == "sqlite":
        return select().select_from(_BOX).join(Location, Location.id == _BOX.c.id).where(
            _BOX.c.north >= south, _BOX.c.south <= north, _BOX.c.east >= west, _BOX.c.west <= east
        )
    return select().select_from(Location).where(
        Location.latitude.between(south, north), Location.longitude.between(west, east)
    )
