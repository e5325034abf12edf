"""Places where services happen; one venue can host many services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, Float, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.base import Model
from directory.orm import new_uuid

if TYPE_CHECKING:
    from directory.models.service import Service

service_location = Table(
    "service_location",
    db.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("location_id", ForeignKey("location.id", ondelete="CASCADE"), primary_key=True),
    # HSDS's service_at_location id: given once when the link is made (Core applies the default).
    Column("uuid", String(36), unique=True, index=True, default=new_uuid),
    # A distance search goes from nearby locations to their services, without reading the table.
    Index("ix_service_location_location_id", "location_id", "service_id"),
)


class Location(Model):
    __tablename__ = "location"
    __table_args__ = (Index("ix_location_lat_lon", "latitude", "longitude"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, index=True, default=new_uuid)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    town: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    confidential: Mapped[bool] = mapped_column(default=False)
    # "ok"; "approximate" (placed at its postcode district or town); "pending" when the
    # geocoder could not be reached, retried by `flask geocode`; "not-found".
    geocode_status: Mapped[str] = mapped_column(String(20), default="ok")

    services: Mapped[list[Service]] = relationship(
        secondary=service_location, back_populates="locations"
    )

    @property
    def public_address(self) -> str:
        """A confidential place shows its town only."""
        if self.confidential:
            return self.town
        return ", ".join(p for p in (self.name, self.address, self.town, self.postcode) if p)
