"""The query object and the one query builder every surface uses (pages, API, feeds, exports)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import selectinload

from directory import vocab
from directory.extensions import db
from directory.listings import capacity
from directory.listings.status import published
from directory.models import (
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceTerm,
    service_location,
)
from directory.places import geo
from directory.schedules import recurrence

# "Who are you looking for help for?": what comes first for each choice.
PRIORITY_TERMS = {
    "someone": [("audience", "families"), ("category", "families-carers")],
    "professional": [("audience", "professionals")],
}


@dataclass(frozen=True)
class ServiceQuery:
    """What a person asked for; the same object drives HTML, JSON, iCal and exports."""

    q: str = ""
    categories: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    referrals: tuple[str, ...] = ()
    free: bool = False
    no_abstinence: bool = False
    families_welcome: bool = False
    group_types: tuple[str, ...] = ()
    open_at: datetime | None = None  # only services whose opening hours cover this moment
    spaces_on: date | None = None  # only services that said "spaces now: yes" in the 30 days to this day
    who: str = ""
    ids: tuple[int, ...] = ()  # only these services (a person's list)
    near: tuple[float, float] | None = None  # (latitude, longitude): nearest first, within the radius
    radius_miles: float = 10


@dataclass
class Page:
    """One page of results with what a pager needs."""

    items: list[Service]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)
    # With `near`: how far each service on this page is, and the services with no fixed place.
    distances: dict[int, Distance] = field(default_factory=dict)
    everywhere: list[Service] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True)
class Distance:
    """How far away a service's nearest place is."""

    miles: float
    town: str
    confidential: bool = False

    @property
    def shown_miles(self) -> float:
        """Confidential places are only ever given, and ordered, in whole miles."""
        return float(round(self.miles)) if self.confidential else self.miles

    @property
    def text(self) -> str:
        return geo.describe_miles(self.miles, rounded=self.confidential)


@dataclass(frozen=True)
class Found:
    """What the steps before the WHERE clause found, each a query of its own with Python after it:
    the services open at `open_at` (opening hours are rules, not rows) and, with `near`, those within
    the radius, nearest first (distances are measured in Python). None: that step has not run."""

    open_ids: list[int] | None = None
    nearby: dict[int, Distance] | None = None


NOT_RUN = Found()


def find(query: ServiceQuery) -> Found:
    """Run the steps the query needs, in order: which services are open, then which of them are near."""
    found = Found(open_ids=open_service_ids(query.open_at) if query.open_at is not None else None)
    if query.near is not None:
        found = replace(found, nearby=nearby(query, found))
    return found


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_term(kind: str, codes: tuple[str, ...]):
    return exists().where(
        ServiceTerm.service_id == Service.id,
        ServiceTerm.kind == kind,
        ServiceTerm.code.in_(codes),
    )


def filters(query: ServiceQuery, found: Found = NOT_RUN) -> list:
    """The WHERE clauses for a query: within one vocabulary any code matches, across them all must.
    Runs no query itself: with `open_at` or `near`, pass what find(query) found."""
    clauses: list = [published()]
    if query.ids:
        clauses.append(Service.id.in_(query.ids))
    for kind in vocab.SEARCH_KINDS:
        codes = getattr(query, kind.query)
        if codes:
            clauses.append(_has_term(kind.code, codes))
    if query.free:
        clauses.append(Service.free.is_(True))
    if query.no_abstinence:
        clauses.append(Service.abstinence_required.is_(False))
    if query.families_welcome:
        clauses.append(Service.families_welcome.is_(True))
    if query.group_types:
        clauses.append(Service.group_type.in_(query.group_types))
    if query.spaces_on is not None:
        clauses.append(capacity.has_spaces(query.spaces_on))
    if query.open_at is not None:
        if found.open_ids is None:
            raise ValueError("The query asks who is open: pass filters() what find(query) found")
        clauses.append(Service.id.in_(found.open_ids))
    if query.near is not None:
        if found.nearby is None:
            raise ValueError("The query has a place: pass filters() what find(query) found")
        clauses.append(or_(Service.id.in_(list(found.nearby)), Service.national.is_(True)))
    for word in query.q.split():
        pattern = f"%{_escape_like(word)}%"
        org_match = exists().where(
            Organisation.id == Service.organisation_id,
            Organisation.name.ilike(pattern, escape="\\"),
        )
        clauses.append(
            or_(
                Service.name.ilike(pattern, escape="\\"),
                Service.summary.ilike(pattern, escape="\\"),
                Service.description.ilike(pattern, escape="\\"),
                org_match,
            )
        )
    return clauses


def open_service_ids(at: datetime) -> list[int]:
    """Services open at this moment, by the same rule as the "Open now" marker on their page."""
    day = at.date()
    stmt = select(Schedule).where(
        Schedule.kind == "opening",
        Schedule.dtstart <= day + timedelta(days=1),
        or_(Schedule.until.is_(None), Schedule.until >= day - timedelta(days=1)),
    )
    return sorted({s.service_id for s in db.session.scalars(stmt) if recurrence.is_open([s], at)})


def _priority(who: str):
    terms = PRIORITY_TERMS.get(who)
    if not terms:
        return None
    match = or_(*(and_(ServiceTerm.kind == k, ServiceTerm.code == c) for k, c in terms))
    first = exists().where(ServiceTerm.service_id == Service.id, match)
    return case((first, 0), else_=1)


def select_services(query: ServiceQuery, found: Found | None = None) -> Select:
    """A Select of matching services, ordered for display; runs find(query) first unless given what it found."""
    stmt = select(Service).where(*filters(query, find(query) if found is None else found))
    priority = _priority(query.who)
    order = [func.lower(Service.name), Service.id]
    if priority is not None:
        order.insert(0, priority)
    return stmt.order_by(*order).options(selectinload(Service.organisation))


def count_services(query: ServiceQuery, found: Found | None = None) -> int:
    where = filters(query, find(query) if found is None else found)
    return db.session.scalar(select(func.count()).select_from(Service).where(*where)) or 0


def nearby(query: ServiceQuery, found: Found = NOT_RUN) -> dict[int, Distance]:
    """Services with a place within the radius, nearest first, each at its nearest place (the
    distance step of find(); `found` holds the open services when the query asks for those).

    The database starts from a bounding box on the indexed latitude/longitude and checks
    each candidate's service in a correlated subquery, so even a fresh SQLite file with
    no planner statistics never walks every service. Only the matches get a great-circle
    distance. Services with no fixed place are left to the caller.
    """
    assert query.near is not None
    # Widened so a confidential place is judged by its grid square alone, not by the box's edge.
    south, north, west, east = geo.bounding_box(query.near, query.radius_miles, margin=geo.CONFIDENTIAL_GRID / 2)
    service_id = service_location.c.service_id
    priority = _priority(query.who)
    wanted = exists().where(
        Service.id == service_id, Service.national.is_(False), *filters(replace(query, near=None), found)
    )
    stmt = (
        select(
            service_id, Location.latitude, Location.longitude, Location.town, Location.confidential,
            _of_service(Service.name).label("name"),
            (literal(1) if priority is None else _of_service(priority)).label("rank"),
        )
        .join_from(Location, service_location, service_location.c.location_id == Location.id)
        .where(Location.latitude.between(south, north), Location.longitude.between(west, east), wanted)
    )
    best: dict[int, tuple] = {}
    for row in db.session.execute(stmt):
        place = (row.latitude, row.longitude)
        miles = geo.miles_between(query.near, geo.coarse(place) if row.confidential else place)
        known = best.get(row.service_id)
        if geo.within(miles, query.radius_miles) and (known is None or miles < known[1].miles):
            best[row.service_id] = (row.rank, Distance(miles, row.town, row.confidential), row.name.lower())
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1].shown_miles, item[1][2], item[0]))
    return {service_id: entry[1] for service_id, entry in ranked}


def _of_service(column):
    """One value of the service at a candidate location (nearby's rows come from locations)."""
    return select(column).where(Service.id == service_location.c.service_id).scalar_subquery()


def _clamp(page: int, total: int, per_page: int) -> int:
    """A page past the end gives the last page, not an error."""
    return min(max(1, page), max(1, math.ceil(total / per_page)))


def search(query: ServiceQuery, page: int = 1, per_page: int = 20) -> Page:
    """One page of results: by name, or nearest first when the query has `near`."""
    found = find(query)  # its own step: who is open, and who is near, before the WHERE clause
    if query.near is not None:
        return _search_near(query, found, page, per_page)
    total = count_services(query, found)
    page = _clamp(page, total, per_page)
    stmt = select_services(query, found).limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.scalars(stmt))
    return Page(items=items, total=total, page=page, per_page=per_page)


def suggested_for_stage(stage: str, categories: list[str]) -> list[Service]:
    """A short starting list for a stage: the first service (by name) of each suggested kind of support."""
    candidates = list(db.session.scalars(select_services(ServiceQuery(stages=(stage,), categories=tuple(categories)))))
    chosen: dict[int, Service] = {}
    for category in categories:
        first = next((s for s in candidates if s.id not in chosen and category in s.codes("category")), None)
        if first is not None:
            chosen[first.id] = first
    return list(chosen.values())


def _search_near(query: ServiceQuery, found: Found, page: int, per_page: int) -> Page:
    """Nearest first with distances; services with no fixed place come apart, and are never dropped."""
    distances = found.nearby
    assert distances is not None
    page = _clamp(page, len(distances), per_page)
    ids = list(distances)[(page - 1) * per_page : page * per_page]
    stmt = select(Service).where(Service.id.in_(ids)).options(selectinload(Service.organisation))
    loaded = {service.id: service for service in db.session.scalars(stmt)}
    everywhere = select_services(replace(query, near=None), found).where(Service.national.is_(True))
    return Page(
        items=[loaded[i] for i in ids], total=len(distances), page=page, per_page=per_page,
        distances={i: distances[i] for i in ids}, everywhere=list(db.session.scalars(everywhere)),
    )
