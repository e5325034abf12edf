"""The site's own JSON API (/api/v1): its response models, which make the JSON and its OpenAPI
description both, and the one function that fills them from a service."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from flask import url_for
from pydantic import BaseModel, ConfigDict, create_model

from directory import vocab
from directory.listings import capacity
from directory.models import Service
from directory.schedules import recurrence, wording
from directory.search.services import Distance, Page

NEXT_SESSIONS = 3


class V1Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Eligibility(V1Model):
    co_occurring: bool
    abstinence_required: bool
    families_welcome: bool
    min_age: int | None
    max_age: int | None
    wait: str | None
    notes: str


class Place(V1Model):
    """A venue; a confidential one has its town and nothing else."""

    town: str
    name: str | None = None
    address: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class DistanceOut(V1Model):
    miles: float
    text: str
    town: str


class Spaces(V1Model):
    """Spaces now, as last said in the past 30 days (older is unknown: the field is null)."""

    status: str
    text: str
    said_on: str


class NextSession(V1Model):
    start: str
    end: str | None
    status: str
    note: str


class Rule(V1Model):
    """When a group meets: the HSDS/RFC 5545 rule, in its IANA zone, and in words."""

    kind: str
    description: str
    freq: str
    interval: int
    byday: str
    bymonthday: int | None
    dtstart: str
    until: str | None
    count: int | None
    opens_at: str
    closes_at: str | None
    timezone: str
    attending_type: str
    next_sessions: list[NextSession]


ServiceOut = create_model(  # type: ignore[call-overload]  # the vocabulary lists come from vocab.SEARCH_KINDS, as /search's filters do
    "ServiceOut",
    __base__=V1Model,
    id=(int, ...), slug=(str, ...), name=(str, ...), url=(str, ...), organisation=(str | None, ...),
    summary=(str, ...), description=(str, ...),
    **{kind.field: (list[str], ...) for kind in vocab.SEARCH_KINDS},
    group_type=(str | None, ...), free=(bool, ...), cost=(str, ...), eligibility=(Eligibility, ...),
    referral=(str, ...), languages=(list[str], ...), accessibility=(str, ...), phone=(str, ...), email=(str, ...),
    website=(str, ...), national=(bool, ...), area_served=(str, ...), locations=(list[Place], ...),
    schedules=(list[Rule], ...), last_verified=(str | None, ...), distance=(DistanceOut | None, ...),
    spaces=(Spaces | None, ...),
)


class Near(V1Model):
    label: str
    latitude: float
    longitude: float


class Reading(V1Model):
    """How the search read the words: what it searched for, and any spelling or place it took from them."""

    searched_for: str
    spelling_corrected_from: str | None
    place_from_words: bool
    order: Literal["nearest", "best", "name"]
    crisis: bool
    matched_some_words: bool


class ServicesPage(Reading):
    near: Near | None
    radius_miles: int | None
    total: int
    page: int
    pages: int
    per_page: int
    errors: dict[str, list[str]]
    items: list[ServiceOut]  # type: ignore[valid-type]
    available_everywhere: list[ServiceOut]  # type: ignore[valid-type]


def _distance(distance: Distance | None) -> DistanceOut | None:
    """Miles to the nearest place; a confidential place in whole miles only."""
    if distance is None:
        return None
    return DistanceOut(miles=round(distance.shown_miles, 2), text=distance.text, town=distance.town)


def _rule(s, now: datetime) -> Rule:
    return Rule(
        kind=s.kind, description=wording.describe(s), freq=s.freq, interval=s.interval, byday=s.byday,
        bymonthday=s.bymonthday, dtstart=s.dtstart.isoformat(), until=s.until.isoformat() if s.until else None,
        count=s.count, opens_at=s.opens_at.strftime("%H:%M"),
        closes_at=s.closes_at.strftime("%H:%M") if s.closes_at else None, timezone=s.timezone,
        attending_type=s.attending_type,
        next_sessions=[NextSession(start=x.start.isoformat(), end=x.end.isoformat() if x.end else None,
                                   status=x.status, note=x.note)
                       for x in recurrence.upcoming(s, now, limit=NEXT_SESSIONS)],
    )


def service(s: Service, now: datetime, distance: Distance | None = None) -> BaseModel:
    """The public fields of a service; confidential places give their town only."""
    return ServiceOut(
        id=s.id, slug=s.slug, name=s.name, url=url_for("public.service", slug=s.slug, _external=True),
        organisation=s.organisation.name if s.organisation else None, summary=s.summary, description=s.description,
        **{kind.field: s.codes(kind.code) for kind in vocab.SEARCH_KINDS},
        group_type=s.group_type, free=s.free, cost=s.cost,
        eligibility=Eligibility(co_occurring=s.co_occurring, abstinence_required=s.abstinence_required,
                                families_welcome=s.families_welcome, min_age=s.min_age, max_age=s.max_age,
                                wait=s.wait, notes=s.eligibility),
        referral=s.referral, languages=s.languages, accessibility=s.accessibility, phone=s.contact_phone,
        email=s.email, website=s.website, national=s.national, area_served=s.area_served,
        locations=[Place(town=loc.town) if loc.confidential else
                   Place(town=loc.town, name=loc.name, address=loc.address, postcode=loc.postcode,
                         latitude=loc.latitude, longitude=loc.longitude) for loc in s.locations],
        schedules=[_rule(x, now) for x in s.schedules if recurrence.showable(x)],
        last_verified=s.last_verified_at.isoformat() if s.last_verified_at else None, distance=_distance(distance),
        spaces=_spaces(s, now.date()),
    )


def _spaces(s: Service, today: date) -> Spaces | None:
    code = capacity.spaces_now(s, today)
    if code is None or s.spaces_said_on is None:
        return None
    return Spaces(status=code, text=vocab.label(vocab.SPACE, code), said_on=s.spaces_said_on.isoformat())


def services_page(page: Page, now: datetime, reading: Reading, near: Near | None, radius: int | None,
                  errors: dict[str, list[str]]) -> ServicesPage:
    return ServicesPage(
        **reading.model_dump(),
        near=near, radius_miles=radius, total=page.total, page=page.page, pages=page.pages,
        per_page=page.per_page, errors=errors,
        items=[service(s, now, page.distances.get(s.id)) for s in page.items],
        available_everywhere=[service(s, now) for s in page.everywhere],
    )
