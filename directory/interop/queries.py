"""What the HSDS lists hold: the site's own search (directory.search) narrowed by the HSDS
filters, and paged as the standard's Page object."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, or_, select

from directory.extensions import db
from directory.interop import taxonomy
from directory.models import Location, Organisation, Schedule, Service, service_location
from directory.places import geo
from directory.places.geo import Point
from directory.schedules import limits
from directory.search.services import ServiceQuery, filters, find, select_services

MAX_PER_PAGE = 100
METRES_PER_MILE = 1609.344


@dataclass(frozen=True)
class HsdsQuery:
    """The HSDS filters, all of which must hold."""

    search: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: datetime | None = None
    near: Point | None = None  # a postcode's centre: service_at_locations within proximity_metres
    proximity_metres: int = 16_093
    day: str = ""  # rules.DAY_CODES
    start_time: time | None = None
    end_time: time | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None

    def services(self) -> ServiceQuery:
        miles = self.proximity_metres / METRES_PER_MILE
        return ServiceQuery(q=self.search, near=self.near, radius_miles=miles)


@dataclass(frozen=True)
class Paged:
    """One page of a list: the numbers of the standard's Page object, and the rows."""

    rows: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page)

    def numbers(self) -> dict[str, Any]:
        return {"total_items": self.total, "total_pages": self.pages, "page_number": self.page,
                "size": len(self.rows), "first_page": self.page == 1, "last_page": self.page >= self.pages,
                "empty": not self.rows}


def page_of(stmt: Select, page: int, per_page: int) -> Paged:
    """A page past the end is empty (with the totals), as an API client walking pages expects."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Paged([row[0] if len(row) == 1 else row for row in rows], total, page, per_page)


def page_of_list(items: Sequence[Any], page: int, per_page: int) -> Paged:
    return Paged(list(items[(page - 1) * per_page : page * per_page]), len(items), page, per_page)


def _schedule_clauses(query: HsdsQuery) -> list:
    clauses: list = []
    if query.day:
        clauses.append(or_(Schedule.bymonthday.is_not(None), Schedule.byday.contains(query.day)))
    if query.start_time is not None:
        clauses.append(or_(Schedule.closes_at > query.start_time,
                           and_(Schedule.closes_at.is_(None), Schedule.opens_at >= query.start_time)))
    if query.end_time is not None:
        clauses.append(Schedule.opens_at < query.end_time)
    return clauses


def hsds_filters(query: HsdsQuery) -> list:
    """The HSDS filters the site's search does not have, as WHERE clauses over Service."""
    clauses: list = []
    if query.taxonomy_term_id:
        clauses.append(taxonomy.term_clause(query.taxonomy_term_id) if query.taxonomy_term_id in taxonomy.TERMS_BY_ID
                       else false())
    if query.taxonomy_id:
        vocabulary = taxonomy.BY_ID.get(query.taxonomy_id)
        clauses.append(or_(*(vocabulary.clause(t.code) for t in vocabulary.terms)) if vocabulary else false())
    if query.organization_id:
        clauses.append(exists().where(Organisation.id == Service.organisation_id,
                                      Organisation.uuid == query.organization_id))
    if query.modified_after is not None:  # a schedule's change is the service's (its last_modified says so)
        clauses.append(or_(Service.updated_at >= query.modified_after,
                           exists().where(Schedule.service_id == Service.id, Schedule.updated_at >= query.modified_after)))
    if query.minimum_age is not None:
        clauses.append(or_(Service.max_age.is_(None), Service.max_age >= query.minimum_age))
    if query.maximum_age is not None:
        clauses.append(or_(Service.min_age.is_(None), Service.min_age <= query.maximum_age))
    when = _schedule_clauses(query)
    if when:
        clauses.append(exists().where(Schedule.service_id == Service.id, limits.showable_clause(Schedule), *when))
    return clauses


def select_hsds_services(query: HsdsQuery) -> Select:
    """The site's search for `search` (by name, without a place), narrowed by the HSDS filters."""
    base = query.services()
    return select_services(ServiceQuery(q=base.q)).where(*hsds_filters(query))


def _link_rows(query: HsdsQuery) -> Select:
    matching = select(Service.id).where(*filters(ServiceQuery(q=query.search)), *hsds_filters(query))
    return (
        select(Service, Location, service_location.c.uuid)
        .join(service_location, service_location.c.service_id == Service.id)
        .join(Location, Location.id == service_location.c.location_id)
        .where(Service.id.in_(matching))
        .order_by(func.lower(Service.name), Service.id, Location.id)
    )


def _metres_away(near: Point, loc: Location) -> float | None:
    if loc.latitude is None or loc.longitude is None:
        return None
    place = (loc.latitude, loc.longitude)
    return geo.miles_between(near, geo.coarse(place) if loc.confidential else place) * METRES_PER_MILE


def service_at_locations(query: HsdsQuery, page: int, per_page: int) -> Paged:
    """(service, location, id) rows; with a postcode, those within `proximity` metres, nearest first
    (confidential venues measured from their grid square, as /search does)."""
    if query.near is None:
        return page_of(_link_rows(query), page, per_page)
    nearby = find(query.services()).nearby or {}
    rows = db.session.execute(_link_rows(query).where(Service.id.in_(list(nearby)))).all()
    measured = [(_metres_away(query.near, row[1]), row) for row in rows]
    limit = query.proximity_metres + geo.BOUNDARY_SLACK_MILES * METRES_PER_MILE
    kept = sorted(((d, row) for d, row in measured if d is not None and d <= limit), key=lambda x: x[0])
    return page_of_list([tuple(row) for _, row in kept], page, per_page)


def links_of(services: Sequence[Service]) -> dict[int, dict[int, str]]:
    """Each service's service_at_location ids, by location id."""
    found: dict[int, dict[int, str]] = {s.id: {} for s in services}
    if services:
        rows = db.session.execute(
            select(service_location.c.service_id, service_location.c.location_id, service_location.c.uuid)
            .where(service_location.c.service_id.in_(list(found)))
        )
        for service_id, location_id, link_id in rows:
            found[service_id][location_id] = link_id
    return found
