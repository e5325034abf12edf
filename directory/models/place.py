"""The gazetteer (towns, postcodes and postcode districts with coordinates) and remembered geocoder answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.clock import utcnow
from directory.models.base import Model

PLACE_KINDS = ("town", "postcode", "district")


class Place(Model):
    """A named point people search from; the unique (key, kind) index makes a lookup one probe."""

    __tablename__ = "place"
    __table_args__ = (UniqueConstraint("key", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(120))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    area: Mapped[str] = mapped_column(String(120), default="")
    # Picks the best-known of several towns with one name (there are many Newports).
    population: Mapped[int] = mapped_column(default=0)
    # "geonames", "postal" or "demo": reference data replaces what the demo data guessed.
    source: Mapped[str] = mapped_column(String(20), default="")


class GeocodeCache(Model):
    """An answer from the remote geocoder, so each place is asked for once."""

    __tablename__ = "geocode_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200), unique=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
