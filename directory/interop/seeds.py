"""The demo-data loader, one function shared by `flask seed` and the test fixtures."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from directory import clock, vocab
from directory.extensions import db
from directory.models import Location, Organisation, Schedule, ScheduleException, Service
from directory.places import gazetteer
from directory.schedules import recurrence, rules

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

TERM_FIELDS = {
    "categories": "category",
    "stages": "stage",
    "audiences": "audience",
    "delivery_modes": "mode",
    "referral_routes": "referral",
    "meeting_types": "meeting_type",
}


class SeedError(ValueError):
    """Demo data that does not fit the model; names the file and record."""


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or []


def _time(value: str | None) -> time | None:
    return time.fromisoformat(str(value)) if value else None


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Service))


def load_seeds(seeds_dir: Path = SEEDS_DIR, today: date | None = None, timezone: str = "Europe/London") -> int:
    """Load every seed file in one transaction; returns the number of services loaded."""
    today = today or clock.today_in(timezone)
    orgs = {o["slug"]: _organisation(o) for o in _read(seeds_dir / "organisations.yaml")}
    venues = {v["key"]: _venue(v) for v in _read(seeds_dir / "venues.yaml")}
    services = [
        _service(record, orgs, venues, today, timezone, path.name)
        for path in sorted((seeds_dir / "services").glob("*.yaml"))
        for record in _read(path)
    ]
    db.session.add_all([*orgs.values(), *venues.values(), *services])
    gazetteer.add_demo_places(venues.values())
    db.session.commit()
    return len(services)


def _organisation(o: dict[str, Any]) -> Organisation:
    return Organisation(
        slug=o["slug"], name=o["name"], description=o.get("description", ""),
        website=o.get("website", ""), email=o.get("email", ""), phone=str(o.get("phone", "")),
    )


def _venue(v: dict[str, Any]) -> Location:
    return Location(
        key=v["key"], name=v.get("name", ""), address=v.get("address", ""), town=v.get("town", ""),
        postcode=v.get("postcode", ""), latitude=v.get("latitude"), longitude=v.get("longitude"),
        confidential=bool(v.get("confidential", False)),
    )


def _check_codes(record: dict[str, Any], field: str, vocabulary: dict[str, vocab.Term], where: str) -> list[str]:
    codes = record.get(field) or []
    unknown = [c for c in codes if c not in vocabulary]
    if unknown:
        raise SeedError(f"{where}: unknown {field} {unknown}")
    return list(codes)


def _service(r: dict[str, Any], orgs, venues, today: date, timezone: str, filename: str) -> Service:
    where = f"{filename}: {r.get('slug')}"
    elig = r.get("eligibility") or {}
    try:
        service = Service(
            slug=r["slug"], name=r["name"], organisation=orgs[r["organisation"]],
            summary=r.get("summary", ""), description=(r.get("description") or "").strip(),
            group_type=r.get("group_type"), free=bool(r.get("free", True)), cost=r.get("cost") or "",
            co_occurring=bool(elig.get("co_occurring", True)),
            abstinence_required=bool(elig.get("abstinence_required", False)),
            families_welcome=bool(elig.get("families_welcome", False)),
            min_age=elig.get("min_age"), max_age=elig.get("max_age"), wait=elig.get("wait"),
            eligibility=elig.get("notes") or "",
            referral=(r.get("referral") or "").strip(),
            professional_details=(r.get("professional_details") or "").strip(),
            professional_only=bool(r.get("professional_only", False)),
            languages=list(r.get("languages") or []), accessibility=r.get("accessibility") or "",
            phone=str(r.get("phone") or ""), email=r.get("email") or "", website=r.get("website") or "",
            national=bool(r.get("national", False)), area_served=r.get("area_served") or "",
            last_verified_at=_date(r.get("last_verified")),
            locations=[venues[k] for k in r.get("venues") or []],
        )
    except KeyError as exc:
        raise SeedError(f"{where}: unknown or missing {exc}") from exc
    for field, kind in TERM_FIELDS.items():
        service.set_codes(kind, _check_codes(r, field, vocab.TAG_KINDS[kind], where))
    for hours in r.get("opening_hours") or []:
        service.schedules.append(_opening(hours, venues, today, timezone))
    for session in r.get("sessions") or []:
        service.schedules.append(_session_schedule(session, venues, today, timezone, where))
    return service


def _opening(h: dict[str, Any], venues, today: date, timezone: str) -> Schedule:
    return Schedule(
        kind="opening", freq="WEEKLY", interval=1, byday=",".join(h["days"]),
        dtstart=date(today.year - 1, 1, 1), opens_at=_time(h["opens"]), closes_at=_time(h["closes"]),
        timezone=timezone, location=venues.get(h.get("venue")) if h.get("venue") else None,
    )


def _session_schedule(s: dict[str, Any], venues, today: date, timezone: str, where: str) -> Schedule:
    byday = s.get("byday") or []
    sched = Schedule(
        kind="session", freq=s.get("freq", "WEEKLY"), interval=s.get("interval") or 1,
        byday=",".join(byday) if isinstance(byday, list) else str(byday),
        bymonthday=s.get("bymonthday"), dtstart=_date(s["starts"]), until=_date(s.get("until")),
        count=s.get("count"), opens_at=_time(s["opens"]), closes_at=_time(s.get("closes")),
        timezone=s.get("timezone") or timezone, attending_type=s.get("attending", "in-person"),
        location=venues[s["venue"]] if s.get("venue") else None,
        online_url=s.get("online_url") or "", joining_details=s.get("joining") or "",
        notes=s.get("notes") or "",
    )
    try:
        rules.validate(sched)
    except rules.ScheduleError as exc:
        raise SeedError(f"{where}: {exc}") from exc
    _add_exceptions(sched, s.get("exceptions") or [], venues, today, where)
    return sched


def _add_exceptions(sched: Schedule, items: list[dict[str, Any]], venues, today: date, where: str) -> None:
    """`occurrence: N` names the Nth session from today, so the demo stays current."""
    if not items:
        return
    tz = rules.zone(sched.timezone)
    now = datetime.combine(today, time.min, tzinfo=tz)
    coming = recurrence.upcoming(sched, now, limit=max(i.get("occurrence") or 1 for i in items))
    for item in items:
        day = _date(item.get("date"))
        if day is None:
            n = item["occurrence"]
            if n > len(coming):
                continue  # the schedule ends before then: nothing to change
            day = coming[n - 1].original_date
        sched.exceptions.append(
            ScheduleException(
                original_date=day, status=item["status"], note=item.get("note") or "",
                new_date=_date(item.get("new_date")), new_opens_at=_time(item.get("opens")),
                new_closes_at=_time(item.get("closes")),
                new_location=venues[item["venue"]] if item.get("venue") else None,
            )
        )
    if not all(i.get("status") in ("cancelled", "moved") for i in items):
        raise SeedError(f"{where}: an exception's status must be cancelled or moved")
