"""iCalendar feeds built with the icalendar library: one VEVENT per schedule, with its RRULE.

Pure functions (no Flask): the caller passes a Site saying the host for UIDs and
the address of each service's page. Times go out as local wall time with a TZID
and its VTIMEZONE, so calendar apps keep a 7pm meeting at 7pm after a clock change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import icalendar
from icalendar import Calendar, Event, Timezone, vDuration, vRecur, vUri

from directory import vocab, words
from directory.schedules import recurrence, rules, wording

PRODID = "-//Dual Diagnosis Support Directory//Peer-group schedules//EN"
# Raise it whenever the events written change (layout, wording, what they hold):
# kept events and every feed's ETag carry it, so a deploy never serves ones written before.
FEED_FORMAT = 1
# Written events depend on our code and on the library's; a new icalendar may write differently.
LAYOUT = f"{FEED_FORMAT}/icalendar-{icalendar.__version__}"
# How often calendar apps should look for changes; they revalidate cheaply (ETag).
REFRESH = timedelta(hours=6)
# VTIMEZONE transitions are written out to this date; apps that know the zone by
# name (all the common ones) use their own rules beyond it.
TZ_LAST_DATE = date(2038, 1, 1)


@dataclass(frozen=True)
class Site:
    """What the feed needs from the web app: the host for UIDs and each service's page address."""

    host: str
    service_url: Callable[[Any], str]
    origin: str = ""  # scheme and host of those addresses: written events are kept per origin


def uid(s: Any, host: str) -> str:
    """Stable for the life of the schedule, so an edit updates the event instead of adding one."""
    return f"schedule-{s.id}@{host}"


def _utc(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC)


def last_changed(s: Any) -> datetime:
    """When anything shown in this schedule's events last changed (UTC)."""
    stamps = [s.updated_at, s.service.updated_at, *(e.created_at for e in s.exceptions)]
    return _utc(max(t for t in stamps if t is not None))


def _at(s: Any, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=rules.zone(s.timezone))


def _rrule(s: Any) -> vRecur:
    rule: dict[str, Any] = {"FREQ": s.freq, "INTERVAL": s.interval}
    if s.byday:
        rule["BYDAY"] = [f"{n or ''}{d}" for n, d in rules.parse_byday(s.byday)]
    elif s.bymonthday:
        rule["BYMONTHDAY"] = s.bymonthday
    if s.count:
        rule["COUNT"] = s.count
    elif s.until:
        # RFC 5545: with a TZID start, UNTIL is in UTC; the whole last day counts.
        rule["UNTIL"] = _at(s, s.until, time(23, 59, 59)).astimezone(UTC)
    return vRecur(rule)


def _attending(s: Any) -> str:
    return vocab.label(vocab.ATTENDING_TYPE, s.attending_type)


def _place(event: Event, s: Any, location: Any) -> None:
    """LOCATION for everyone; GEO only where the address is public (never for a refuge)."""
    if s.attending_type in ("online", "phone") or location is None:
        if s.attending_type != "in-person":
            event.add("location", _attending(s))
        return
    event.add("location", location.public_address)
    if not location.confidential and location.latitude is not None and location.longitude is not None:
        event.add("geo", (location.latitude, location.longitude))


def _description(s: Any, site: Site, note: str = "") -> str:
    service = s.service
    lines = [service.summary, "", wording.describe(s) + f" ({_attending(s).lower()})."]
    if note:
        lines += ["", note]
    if s.notes:
        lines += ["", s.notes]
    if s.online_url:
        lines += ["", f"Join online: {s.online_url}"]
    if s.joining_details:
        lines += ["", f"Joining details: {s.joining_details}"]
    cancelled = [e for e in s.exceptions if e.status == "cancelled"]
    if cancelled:
        lines += ["", "Cancelled sessions:"]
        lines += [f"- {words.format_date(e.original_date)}: {e.note or 'no meeting'}" for e in cancelled]
    lines += ["", f"More about this group: {site.service_url(service)}"]
    return "\n".join(lines).strip()


def _base_event(s: Any, site: Site, start: datetime, end: datetime | None, location: Any, note: str = "") -> Event:
    changed = last_changed(s)
    event = Event()
    event.add("uid", uid(s, site.host))
    # A published feed has no METHOD, so DTSTAMP is when the information last changed.
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", s.sequence or 0)
    event.add("summary", s.service.name)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("description", _description(s, site, note))
    _place(event, s, location)
    event.add("url", site.service_url(s.service))
    if s.online_url:
        event.add("conference", vUri(s.online_url, params={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join online"}))
    return event


def schedule_events(s: Any, site: Site) -> list[Event]:
    """The recurring VEVENT, plus one override (RECURRENCE-ID) for each moved session;
    nothing for a row no form would have accepted (the feed still answers, without it)."""
    if not recurrence.showable(s):
        return []
    first = rules.first_date(s) or s.dtstart
    master = _base_event(s, site, _at(s, first, s.opens_at), s.closes_at and _at(s, first, s.closes_at), s.location)
    master.add("rrule", _rrule(s))
    cancelled = [_at(s, e.original_date, s.opens_at) for e in s.exceptions if e.status == "cancelled"]
    if cancelled:
        master.add("exdate", cancelled)
    overrides = []
    for e in s.exceptions:
        x = recurrence.session_on(s, e.original_date) if e.status == "moved" else None
        if x is not None:
            override = _base_event(s, site, x.start, x.end, x.location, note=_note(x))
            override.add("recurrence-id", _at(s, e.original_date, s.opens_at))
            overrides.append(override)
    return [master, *overrides]


def _note(x: recurrence.Session) -> str:
    if not x.note:
        return ""
    return f"Cancelled: {x.note}" if x.cancelled else f"Changed this time only: {x.note}"


def session_event(x: recurrence.Session, site: Site) -> Event:
    """One session on its own, for "Add to calendar"."""
    s = x.schedule
    event = _base_event(s, site, x.start, x.end, x.location, note=_note(x))
    event["uid"] = f"schedule-{s.id}-{x.original_date:%Y%m%d}@{site.host}"
    if x.cancelled:
        event.add("status", "CANCELLED")
    return event


@lru_cache(maxsize=64)
def vtimezone(name: str, first: date) -> Timezone:
    """The VTIMEZONE for a zone from `first` on; slow to work out, so kept."""
    return Timezone.from_tzinfo(rules.zone(name), tzid=name, first_date=first, last_date=TZ_LAST_DATE)


def timezones_for(starts: Iterable[tuple[str, date]]) -> list[Timezone]:
    """One VTIMEZONE per zone used, covering from the year before its first session."""
    earliest: dict[str, date] = {}
    for name, day in starts:
        earliest[name] = min(day, earliest.get(name, day))
    return [vtimezone(name, date(day.year - 1, 1, 1)) for name, day in sorted(earliest.items())]


def calendar(name: str, timezones: Iterable[Timezone], events: Iterable[Event] = ()) -> Calendar:
    """A calendar with its name, refresh interval, time zones and events."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for component in (*timezones, *events):
        cal.add_component(component)
    return cal


def session_calendar(x: recurrence.Session, site: Site) -> bytes:
    """The "Add to calendar" file: one session, its time zone, no recurrence."""
    zones = timezones_for([(x.schedule.timezone, x.start.date())])
    return bytes(calendar(x.schedule.service.name, zones, [session_event(x, site)]).to_ical())


class EventCache:
    """Written-out VEVENTs by schedule version. icalendar takes about 1 ms to write
    one event and most of a feed is the same from one request to the next, so only
    schedules that changed are loaded and written again. The key relies on every edit
    moving the schedule's SEQUENCE/updated_at or its service's updated_at (see models),
    and on LAYOUT moving whenever the code that writes events does."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._items: dict[tuple[Any, ...], bytes] = {}

    def events(
        self,
        stamps: Sequence[Any],
        load: Callable[[list[int] | None], Iterable[Any]],
        site: Site,
        store: Any = None,
    ) -> tuple[dict[int, bytes], int]:
        """Each schedule's written events by id, and how many schedules had to be written now.

        `stamps` give each schedule's id and version (id, sequence, updated_at,
        service_updated_at). Events not kept here are looked for in `store` (get/put by
        schedule id and version key), then written; `load(ids)` fetches the schedules to
        write, `load(None)` all of them when most are missing."""
        keys = {st.id: (st.id, st.sequence, st.updated_at, st.service_updated_at, site.host, site.origin, LAYOUT) for st in stamps}
        found = {sid: self._items[key] for sid, key in keys.items() if key in self._items}
        if store is not None and len(found) < len(keys):
            wanted = {sid: repr(key) for sid, key in keys.items() if sid not in found}
            found.update(store.get(wanted))
        missing = [st.id for st in stamps if st.id not in found]
        fresh: dict[int, bytes] = {}
        if missing:
            wanted_ids = set(missing)
            loaded = load(missing if len(missing) * 2 < len(stamps) else None)
            fresh = {s.id: _written(s, site) for s in loaded if s.id in wanted_ids}
            found.update(fresh)
            if store is not None:
                store.put({sid: (repr(keys[sid]), body) for sid, body in fresh.items()})
        for sid, body in found.items():
            self._store(keys[sid], body)
        return found, len(fresh)

    def feed(
        self,
        stamps: Sequence[Any],
        load: Callable[[list[int] | None], Iterable[Any]],
        site: Site,
        name: str,
        store: Any = None,
    ) -> bytes:
        """The feed for schedules given by their stamps, which also hold each one's timezone
        and dtstart: kept events where their version matches, the rest written (see events)."""
        found, _ = self.events(stamps, load, site, store)
        events = b"".join(found.get(st.id, b"") for st in stamps)
        return _assemble(name, [(st.timezone, st.dtstart) for st in stamps], events)

    def _store(self, key: tuple[Any, ...], written: bytes) -> None:
        if key in self._items:
            return
        if len(self._items) >= self.size:
            self._items.pop(next(iter(self._items)))
        self._items[key] = written

    def clear(self) -> None:
        self._items.clear()


def _written(s: Any, site: Site) -> bytes:
    return b"".join(event.to_ical() for event in schedule_events(s, site))


def _assemble(name: str, starts: list[tuple[str, date]], events: bytes) -> bytes:
    shell = bytes(calendar(name, timezones_for(starts)).to_ical())
    end = b"END:VCALENDAR\r\n"
    return shell[: -len(end)] + events + end


def feed(schedules: Iterable[Any], site: Site, name: str) -> bytes:
    """The .ics bytes for these schedules: one VEVENT each, plus overrides for moved sessions."""
    schedules = list(schedules)
    return _assemble(name, [(s.timezone, s.dtstart) for s in schedules], b"".join(_written(s, site) for s in schedules))
