"""The Meeting Guide JSON feed (code4recovery's spec), read by the Meeting Guide app and TSML UI.

The format is weekly only: a meeting is a day (or days) and a time, every week. Our groups that
meet fortnightly, monthly or on "the 2nd Tuesday" are left out rather than shown as weekly:
someone who trusted the app would turn up on a week with no meeting. They stay in /meetings,
the iCal feeds and the HSDS API, which carry any rule. A weekly group with a last date (a course)
is given until that date has passed, with the dates in its notes.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select
from sqlalchemy.orm import contains_eager

from directory.models import Schedule, Service
from directory.schedules import recurrence, rules, wording
from directory.search.schedules import MeetingQuery, select_schedules

# Sunday is 0 in Meeting Guide.
DAY_NUMBERS = {code: (i + 1) % 7 for i, code in enumerate(rules.DAY_CODES)}
ONLINE = ("online", "hybrid")
# Our codes that are not the spec's: documented in the README and the OpenAPI description.
CUSTOM_TYPES = {"FAM": "Families and carers"}
MAX_SLUG = 64


class Meeting(BaseModel):
    """One weekly meeting, as the spec names its fields; fields that do not apply are left out."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=255)
    slug: str = Field(max_length=MAX_SLUG)
    day: int | list[int]
    time: str
    end_time: str | None = None
    timezone: str
    types: list[str]
    notes: str | None = None
    updated: str
    url: str
    group: str | None = None
    location: str | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    formatted_address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    approximate: str | None = None
    region: str | None = None
    conference_url: str | None = None
    conference_url_notes: str | None = None
    conference_phone: str | None = None
    conference_phone_notes: str | None = None


def select_published() -> Select:
    """Every published session, with the organisation and tags each meeting names: the shared
    select leaves a service's relations unloaded (the iCal feeds don't read them), which here
    would be two queries a group."""
    service = contains_eager(Schedule.service)
    return select_schedules(MeetingQuery()).options(
        service.selectinload(Service.terms), service.selectinload(Service.organisation)
    )


def weekly_days(s: Schedule) -> list[int] | None:
    """The days of a plain weekly rule, or None for any other rule (fortnightly, monthly, "2TU")."""
    if s.freq != "WEEKLY" or s.interval != 1 or s.bymonthday is not None:
        return None
    days = rules.parse_byday(s.byday)
    if not days or any(n is not None for n, _ in days):
        return None
    return sorted({DAY_NUMBERS[code] for _, code in days})


def slug(s: Schedule, service: Service) -> str:
    """Unique (the schedule id is in it), stable and at most 64 characters."""
    suffix = f"-{s.id}"
    return service.slug[: MAX_SLUG - len(suffix)] + suffix


def _place(s: Schedule) -> dict:
    loc = s.location
    if loc is None:
        return {"region": "Online"} if s.attending_type in (*ONLINE, "phone") else {}
    if loc.confidential:
        return {"city": loc.town, "country": "GB", "formatted_address": f"{loc.town}, UK", "approximate": "yes",
                "region": loc.town}
    return {"location": loc.name or None, "address": loc.address or None, "city": loc.town or None,
            "postal_code": loc.postcode or None, "country": "GB", "latitude": loc.latitude,
            "longitude": loc.longitude, "approximate": "no", "region": loc.town or None}


def _joining(s: Schedule, service: Service) -> dict:
    joining = s.joining_details or None
    if s.attending_type == "phone":
        return {"conference_phone": service.contact_phone or None, "conference_phone_notes": joining}
    if s.attending_type in ONLINE and s.online_url:
        return {"conference_url": s.online_url, "conference_url_notes": joining}
    return {}


def _types(s: Schedule, service: Service) -> list[str]:
    codes = service.codes("meeting_type")
    if s.attending_type in ONLINE and "ONL" not in codes:
        codes.append("ONL")
    return codes


def _stamp(*moments: datetime) -> str:
    return max(moments).strftime("%Y-%m-%d %H:%M:%S")


def meeting(s: Schedule, days: list[int], now: datetime) -> Meeting | None:
    """The meeting for one weekly schedule, or None when it has no session to come."""
    service = s.service
    if not recurrence.upcoming(s, now, limit=1):
        return None
    notes = [service.summary, s.notes]
    if s.count or s.until:
        notes.append(wording.describe(s))
    return Meeting(
        name=service.name[:255], slug=slug(s, service), day=days[0] if len(days) == 1 else days,
        time=s.opens_at.strftime("%H:%M"), end_time=s.closes_at.strftime("%H:%M") if s.closes_at else None,
        timezone=s.timezone, types=_types(s, service), notes="\n\n".join(n for n in notes if n) or None,
        updated=_stamp(s.updated_at, service.updated_at),
        url=url_for("public.service", slug=service.slug, _external=True),
        group=service.organisation.name if service.organisation else None,
        **_place(s), **_joining(s, service),
    )


def meetings(schedules: list[Schedule], now: datetime) -> list[dict]:
    """The feed: every published weekly group session that has a session to come."""
    found = []
    for s in schedules:
        days = weekly_days(s) if recurrence.showable(s) else None
        item = meeting(s, days, now) if days else None
        if item is not None:
            found.append(item.model_dump(mode="json", exclude_none=True))
    return found
