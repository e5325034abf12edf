"""The one query builder every surface uses (pages, API, feeds, exports)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Select, String, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.orm import selectinload

from directory import vocab
from directory.extensions import db
from directory.listings import capacity
from directory.listings.status import published
from directory.models import Location, Schedule, Service, ServiceTerm, service_location
from directory.places import geo, index
from directory.schedules import recurrence
from directory.search import fulltext
from directory.search.kept import until_listings_change
from directory.search.query import Distance, Found, Page, ServiceQuery

# "Who are you looking for help for?": what comes first for each choice.
PRIORITY_TERMS = {
    "someone": [("audience", "families"), ("category", "families-carers")],
    "professional": [("audience", "professionals")],
}


NOT_RUN = Found()


# What a result card shows beyond the row (organisation, next session, open now), loaded with
# the page in one query each rather than one query per card.
CARD_LOADS = (selectinload(Service.organisation), selectinload(Service.schedules).selectinload(Schedule.exceptions))


def find(query: ServiceQuery) -> Found:
    """Run the steps the query needs, in order: which services are open, then which of them are near."""
    found = Found(open_ids=open_service_ids(query.open_at) if query.open_at is not None else None)
    if query.near is not None:
        if query.words:
            found = replace(found, ranks=dict(db.session.execute(fulltext.matches(query.words, query.any_word)).tuples().all()))
        found = replace(found, nearby=nearby(query, found))
    return found


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
    languages: list = []
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
    for language in query.languages:
        # The list is stored as JSON text on both databases: a quoted name matches only itself.
        languages.append(cast(Service.languages, String).like(f'%"{_escape_like(language)}"%', escape="\\"))
    if languages:
        clauses.append(or_(*languages))
    if query.words:
        clauses.append(Service.id.in_(select(fulltext.matches(query.words, query.any_word).subquery().c.id)))
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


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Up to this many services matching the words go to the place query as a list of ids.
MATCHES_AS_IDS = 5000
# A service's crisis category: what crisis words put first.
CRISIS_TERM = and_(ServiceTerm.kind == "category", ServiceTerm.code == "crisis")


def _crisis_first():
    return case((exists().where(ServiceTerm.service_id == Service.id, CRISIS_TERM), 0), else_=1)


def select_services(query: ServiceQuery, found: Found | None = None) -> Select:
    """A Select of matching services, ordered for display: who it is for, crisis services first for
    crisis words, then the best match by the words, then by name. Runs find(query) unless given its result."""
    stmt = select(Service).where(*filters(query, find(query) if found is None else found))
    order = [func.lower(Service.name), Service.id]
    words = query.words
    if words:
        ranked = fulltext.matches(words, query.any_word).subquery()
        stmt = stmt.join(ranked, ranked.c.id == Service.id)
        order.insert(0, ranked.c.rank)
    if words.crisis:
        order.insert(0, _crisis_first())
    priority = _priority(query.who)
    if priority is not None:
        order.insert(0, priority)
    return stmt.order_by(*order).options(*CARD_LOADS)


def count_services(query: ServiceQuery, found: Found | None = None) -> int:
    where = filters(query, find(query) if found is None else found)
    return db.session.scalar(select(func.count()).select_from(Service).where(*where)) or 0


def nearby(query: ServiceQuery, found: Found = NOT_RUN) -> dict[int, Distance]:
    """Services with a place within the radius, nearest first, each at its nearest place (the
    distance step of find(); `found` holds the open services when the query asks for those).

    The database starts from the places in a box round the point (SQLite's R*Tree, migration
    0011; PostgreSQL's latitude/longitude B-tree) and checks each candidate's service in a
    correlated subquery, so even a fresh SQLite file with no planner statistics never walks every
    service. Only the matches get a distance, by the plain haversine. Services with no fixed
    place are left to the caller.
    """
    assert query.near is not None
    # The words were matched once, in the index (find): given to the place query as ids (a few) or
    # checked in Python (many). Asked of each candidate place, the index would be searched every time.
    matching = found.ranks
    service_id = service_location.c.service_id
    few = [service_id.in_(sorted(matching))] if matching is not None and len(matching) <= MATCHES_AS_IDS else []
    priority = _priority(query.who)
    # The service is checked in a subquery, never joined: given a join, SQLite with no statistics
    # walks every service of the index on `national` instead of the places in the box.
    wanted = exists().where(
        Service.id == service_id, Service.national.is_(False), *filters(replace(query, near=None, q=""), found)
    )
    stmt = (
        index.in_box(query.near, query.radius_miles)
        .add_columns(
            service_id, Location.latitude, Location.longitude, Location.town, Location.confidential,
            _of_service(Service.name), literal(1) if priority is None else _of_service(priority),
        )
        .join(service_location, service_location.c.location_id == Location.id)
        .where(wanted, *few)
    )
    near, radius, miles_between, coarse = query.near, query.radius_miles, geo.miles_between, geo.coarse
    best: dict[int, tuple] = {}
    for sid, lat, lon, town, confidential, name, rank in db.session.execute(stmt).tuples():
        if matching is not None and sid not in matching:
            continue
        miles = miles_between(near, coarse((lat, lon)) if confidential else (lat, lon))
        if geo.within(miles, radius):
            known = best.get(sid)
            if known is None or miles < known[1].miles:
                best[sid] = (rank, Distance(miles, town, confidential), name.lower())
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1].shown_miles, item[1][2], item[0]))
    return {sid: entry[1] for sid, entry in ranked}


def _of_service(column):
    """One value of the service at a candidate place (nearby's rows come from places)."""
    return select(column).where(Service.id == service_location.c.service_id).scalar_subquery()


def _clamp(page: int, total: int, per_page: int) -> int:
    """A page past the end gives the last page, not an error."""
    return min(max(1, page), max(1, math.ceil(total / per_page)))


def search(query: ServiceQuery, page: int = 1, per_page: int = 20) -> Page:
    """One page of results: the best match first with words, by name without; near a place, within
    the radius, best match or nearest first. When no service matches all the words, those that
    match some of them, so a search with several words never ends at nothing."""
    found = find(query)  # its own step: who is open, and who is near, before the WHERE clause
    widen = len(query.words.groups) > 1 and not query.any_word
    if query.near is not None:
        if widen and not found.nearby and count_services(replace(query, near=None), found) == 0:
            return _some_words(query, page, per_page)
        return _search_near(query, found, page, per_page)
    total = count_services(query, found)
    if widen and total == 0:
        return _some_words(query, page, per_page)
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
    """Nearest first with distances; services with no fixed place come apart, and are never dropped.
    The page's services and those available everywhere are loaded together, in one query."""
    distances = found.nearby
    assert distances is not None
    page = _clamp(page, len(distances), per_page)
    ordered = _crisis_nearby_first(query, list(distances) if query.by_distance else _best_first(found, distances))
    ids = ordered[(page - 1) * per_page : page * per_page]
    everywhere = _everywhere_ids(query, found)
    stmt = select(Service).where(Service.id.in_(ids + everywhere)).options(*CARD_LOADS)
    loaded = {service.id: service for service in db.session.scalars(stmt)}
    return Page(
        items=[loaded[i] for i in ids], total=len(distances), page=page, per_page=per_page,
        distances={i: distances[i] for i in ids}, everywhere=[loaded[i] for i in everywhere if i in loaded],
    )


def _everywhere_ids(query: ServiceQuery, found: Found) -> list[int]:
    """The services with no fixed place that match, in the same order as a search without a place;
    with words, by the ranks find() looked up (a handful of services: no second trip to the index).
    The list for the filters alone is kept until the listings change: every search near a place shows it."""
    plain = replace(query, near=None, q="", order="", any_word=False, radius_miles=0)
    national = until_listings_change(("everywhere", plain), lambda: [
        s.id for s in db.session.scalars(select_services(plain, found).where(Service.national.is_(True)))
    ])
    if found.ranks is None:
        return national
    ranks = found.ranks
    matching = [i for i in national if i in ranks]
    crisis = _crisis_among(matching) if query.words.crisis else set()
    return sorted(matching, key=lambda i: (query.words.crisis and i not in crisis, ranks[i]))


def _some_words(query: ServiceQuery, page: int, per_page: int) -> Page:
    """The services matching any of the words, for when none match them all."""
    result = search(replace(query, any_word=True), page, per_page)
    result.some_words = True
    return result


def _best_first(found: Found, distances: dict[int, Distance]) -> list[int]:
    """The nearby services by how well they match the words (then, as ever, nearest first)."""
    rank = found.ranks or {}
    position = {service_id: i for i, service_id in enumerate(distances)}
    return sorted(distances, key=lambda i: (rank.get(i, 0.0), position[i]))


def _crisis_nearby_first(query: ServiceQuery, ids: list[int]) -> list[int]:
    """For crisis words, the crisis services among those nearby come first, keeping the order otherwise."""
    if not query.words.crisis:
        return ids
    crisis = _crisis_among(ids)
    return sorted(ids, key=lambda i: i not in crisis)


def _crisis_among(ids: list[int]) -> set[int]:
    return set(db.session.scalars(select(ServiceTerm.service_id).where(ServiceTerm.service_id.in_(ids), CRISIS_TERM)))
