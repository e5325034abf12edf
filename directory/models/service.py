"""What is offered: services and peer groups, with their vocabulary tags."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.clock import utcnow
from directory.models.base import Model
from directory.models.location import Location, service_location
from directory.orm import new_uuid

if TYPE_CHECKING:
    from directory.models.organisation import Organisation
    from directory.models.schedule import Schedule


class ServiceTerm(Model):
    """One vocabulary code on a service: (kind, code) is what filters match on."""

    __tablename__ = "service_term"
    __table_args__ = (Index("ix_service_term_kind_code", "kind", "code", "service_id"),)

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)


class Service(Model):
    __tablename__ = "service"
    __table_args__ = (Index("ix_service_source_source_id", "source", "source_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, index=True, default=new_uuid)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    group_type: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)

    free: Mapped[bool] = mapped_column(default=True, index=True)
    cost: Mapped[str] = mapped_column(String(500), default="")

    # Eligibility that matters for dual diagnosis, as filterable attributes.
    co_occurring: Mapped[bool] = mapped_column(default=True)
    abstinence_required: Mapped[bool] = mapped_column(default=False)
    families_welcome: Mapped[bool] = mapped_column(default=False)
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    wait: Mapped[str | None] = mapped_column(String(20))
    eligibility: Mapped[str] = mapped_column(Text, default="")

    referral: Mapped[str] = mapped_column(Text, default="")
    professional_details: Mapped[str] = mapped_column(Text, default="")
    professional_only: Mapped[bool] = mapped_column(default=False)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    accessibility: Mapped[str] = mapped_column(Text, default="")

    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(500), default="")

    national: Mapped[bool] = mapped_column(default=False, index=True)
    area_served: Mapped[str] = mapped_column(String(200), default="")

    # "Spaces now" (vocab.SPACES) and the day it was last said: instant, and unknown after 30 days.
    spaces: Mapped[str | None] = mapped_column(String(20))
    spaces_said_on: Mapped[date | None] = mapped_column(Date)

    last_verified_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Provenance: where an imported listing came from (a source name and its id there), when it
    # was last imported, and the values that import set, so an edit made here since is seen.
    source: Mapped[str] = mapped_column(String(120), default="", server_default="")
    source_id: Mapped[str | None] = mapped_column(String(200))
    imported_at: Mapped[datetime | None]
    imported_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Every UPDATE adds one; an edit made from an older version is a conflict, not an overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    organisation: Mapped[Organisation | None] = relationship(back_populates="services")
    terms: Mapped[list[ServiceTerm]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    locations: Mapped[list[Location]] = relationship(
        secondary=service_location, back_populates="services", lazy="selectin"
    )
    schedules: Mapped[list[Schedule]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Schedule.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def codes(self, kind: str) -> list[str]:
        """The codes of one vocabulary on this service, in a stable order."""
        return sorted(t.code for t in self.terms if t.kind == kind)

    def set_codes(self, kind: str, codes: list[str]) -> None:
        self.terms = [t for t in self.terms if t.kind != kind] + [
            ServiceTerm(kind=kind, code=c) for c in dict.fromkeys(codes)
        ]

    @property
    def contact_phone(self) -> str:
        return self.phone or (self.organisation.phone if self.organisation else "")
