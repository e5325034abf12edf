"""Data sources: other directories' feeds, fetched when due and imported through the same plan as a
spreadsheet. A source that is down, answers badly or has a row in error changes nothing, and says why."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from directory import clock
from directory.extensions import db
from directory.imports import apply, feeds, plan
from directory.imports.fetch import FeedProblem
from directory.imports.layout import SPREADSHEET
from directory.models import DataSource, Service


def all_sources() -> list[DataSource]:
    return list(db.session.scalars(select(DataSource).order_by(DataSource.name)))


def add(name: str, kind: str, url: str, refresh_hours: int) -> DataSource:
    source = DataSource(name=name, kind=kind, url=url, refresh_hours=refresh_hours, last_result="Not fetched yet")
    db.session.add(source)
    db.session.commit()
    return source


def is_due(source: DataSource, now: datetime) -> bool:
    return source.last_checked_at is None or source.last_checked_at + timedelta(hours=source.refresh_hours) <= now


def preview(source: DataSource) -> plan.Plan:
    """What fetching the source now would do; FeedProblem when it cannot be fetched or read."""
    return plan.make(feeds.table(source.kind, source.url), source.key)


def refresh(source: DataSource) -> bool:
    """Fetch and import one source, all or nothing, and record what happened on it; True when imported."""
    now = clock.utcnow()
    try:
        made = preview(source)
    except FeedProblem as exc:
        return _record(source, now, False, str(exc))
    if made.errors:
        shown = "; ".join(str(p) for p in made.errors[:5])
        more = f" and {len(made.errors) - 5} more" if len(made.errors) > 5 else ""
        return _record(source, now, False, f"{len(made.errors)} problems, so nothing was changed: {shown}{more}")
    counts = apply.run(made, None)
    missing = f"; {len(made.missing)} listings no longer in the feed, for staff to archive" if made.missing else ""
    return _record(source, now, True, f"{counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged{missing}")


def _record(source: DataSource, now: datetime, ok: bool, result: str) -> bool:
    source.last_checked_at, source.last_ok, source.last_result = now, ok, result
    db.session.commit()
    return ok


def due() -> list[DataSource]:
    """Every source whose refresh interval has passed."""
    now = clock.utcnow()
    return [s for s in all_sources() if is_due(s, now)]


def provenance(service: Service) -> str:
    """Where an imported listing came from, in words: "" for one typed in here."""
    if not service.source:
        return ""
    if service.source == SPREADSHEET:
        return f"from a spreadsheet (its id there: {service.source_id})"
    found = db.session.get(DataSource, int(service.source.split(":")[1])) if service.source.startswith("source:") else None
    return f"from {found.name} ({found.url})" if found else f"from {service.source}"
