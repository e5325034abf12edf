"""Other directories' feeds read into the spreadsheet layout, so a feed is previewed, checked and
imported by the same plan as a file: an Open Referral HSDS 3 API (walking its pages) or HSDS JSON,
and a Meeting Guide JSON feed."""

from __future__ import annotations

from typing import Any

from directory import vocab
from directory.imports import cells
from directory.imports.fetch import FeedProblem, get_json
from directory.imports.reading import MAX_ROWS, Table
from directory.interop import hsds, taxonomy
from directory.schedules import rules

HSDS, MEETING_GUIDE = "hsds", "meeting-guide"
KINDS = ((HSDS, "Open Referral HSDS 3 API"), (MEETING_GUIDE, "Meeting Guide JSON feed"))
_TAG_FIELDS = {k.code: k.field for k in vocab.TAG_KINDS}
_FLAGS = {"co-occurring": "co_occurring", "abstinence-required": "abstinence_required", "families-welcome": "families_welcome"}
_WAITS = {t.label.lower(): t.code for t in vocab.WAIT_TIMES}
NOTE = "\x00note"  # a row's notes for staff ({column: message}), taken out before the plan reads the row
MG_DAYS = dict(enumerate(("SU", "MO", "TU", "WE", "TH", "FR", "SA")))


def table(kind: str, url: str) -> Table:
    """The feed at `url` as rows; FeedProblem when it cannot be fetched or is not that kind of feed."""
    records = _hsds_services(url) if kind == HSDS else _meetings(url)
    rows: list[dict[str, Any]] = [hsds_row(r) if kind == HSDS else meeting_row(r) for r in records]
    headers = sorted({h for r in rows for h in r} - {NOTE})
    notes = [(n, column, message) for n, r in enumerate(rows, start=2) for column, message in r.pop(NOTE, {}).items()]
    found = Table(headers or ["source_id", "name"], [(n, r) for n, r in enumerate(rows, start=2)])
    found.notes = notes
    return found


def _hsds_services(url: str) -> list[dict[str, Any]]:
    """Every service of an HSDS API (its /services pages, then each service in full), or of an HSDS JSON file."""
    first = get_json(url)
    if isinstance(first, list):
        return [_object(s, url) for s in first]
    if isinstance(first, dict) and "contents" not in first and "version" in first:  # the API's root
        base = url.rstrip("/")
        found, page = [], 1
        while True:
            listing = get_json(f"{base}/services?page={page}&per_page=50")
            if not isinstance(listing, dict) or not isinstance(listing.get("contents"), list):
                raise FeedProblem(f"{base}/services did not answer with an HSDS page of services")
            found += [_object(get_json(f"{base}/services/{s['id']}"), url) for s in listing["contents"]]
            if len(found) > MAX_ROWS:
                raise FeedProblem(f"{url} has more than {MAX_ROWS:,} services; the most we import at once is {MAX_ROWS:,}")
            if listing.get("last_page", True) or not listing["contents"]:
                return found
            page += 1
    if isinstance(first, dict) and isinstance(first.get("contents"), list):
        return [_object(s, url) for s in first["contents"]]
    raise FeedProblem(f"{url} is not an HSDS API or HSDS JSON file (no services found in it)")


def _object(value: Any, url: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not value.get("id"):
        raise FeedProblem(f"{url} gave a service that is not an HSDS service object (it has no id)")
    return value


def _slot(s: dict[str, Any]) -> str:
    try:
        return cells.Slot(s.get("freq") or "WEEKLY", int(s.get("interval") or 1), s.get("byday") or "",
                          int(s["bymonthday"]) if s.get("bymonthday") else None,
                          cells._time(s["opens_at"][:5]), cells._time(s["closes_at"][:5]) if s.get("closes_at") else None).text()
    except (KeyError, ValueError, TypeError, rules.ScheduleError):
        return f"{s.get('byday') or ''} {s.get('opens_at') or ''}".strip() or "?"  # reported by the plan, row by row


def hsds_row(s: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"source_id": str(s["id"]), "name": s.get("name") or "", "description": s.get("description") or "",
           "website": s.get("url") or "", "email": s.get("email") or "",
           "phone": next((p.get("number") or "" for p in s.get("phones") or []), ""),
           "organisation": (s.get("organization") or {}).get("name") or "",
           "eligibility": s.get("eligibility_description") or "",
           "min_age": str(s.get("minimum_age") or ""), "max_age": str(s.get("maximum_age") or ""),
           "wait": _WAITS.get((s.get("wait_time") or "").lower(), s.get("wait_time") or ""),
           "languages": ", ".join(x.get("name") or "" for x in s.get("languages") or [])}
    cost: dict[str, Any] = next(iter(s.get("cost_options") or []), {})
    row["free"] = "yes" if cost.get("option") == "Free" or s.get("fees_description") == "Free" else "no"
    row["cost"] = cost.get("amount_description") or ""
    ours: dict[str, list[str]] = {}
    for attribute in s.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        found = taxonomy.BY_ID.get(term.get("taxonomy_id", ""))
        if found is not None:
            ours.setdefault(found.code, []).append(term.get("code") or "")
    for code, field in _TAG_FIELDS.items():
        row[field] = ", ".join(ours.get(code, []))
    if ours:
        row["group_type"] = ", ".join(ours.get("group_type", []))
        for code, field in _FLAGS.items():
            row[field] = "yes" if code in ours.get("eligibility", []) else "no"
    venues = s.get("service_at_locations") or []
    here = next(iter(venues), None)
    if len(venues) > 1:
        others = ", ".join((v.get("location") or {}).get("name") or "a venue with no name" for v in venues[1:])
        row[NOTE] = {"venue_name": f"this listing is at {len(venues)} venues in the feed, and a row holds one: the first "
                                   f"is imported. Add the others ({others}) on the listing's page after importing"}
    if here:
        place = here.get("location") or {}
        address: dict[str, Any] = next(iter(place.get("addresses") or []), {})
        private = place.get("description") == hsds.CONFIDENTIAL_NOTE
        row |= {"venue_name": "" if private else place.get("name") or "", "address": address.get("address_1") or "",
                "town": address.get("city") or "", "postcode": address.get("postal_code") or "",
                "confidential": "yes" if private else "no"}
    schedules = s.get("schedules") or []
    row["sessions"] = "; ".join(_slot(x) for x in schedules)
    row["attending"] = next((x.get("attending_type") or "" for x in schedules), "")
    return row


def _meetings(url: str) -> list[dict[str, Any]]:
    found = get_json(url)
    if not isinstance(found, list) or not all(isinstance(m, dict) for m in found):
        raise FeedProblem(f"{url} is not a Meeting Guide feed (a JSON list of meetings)")
    return found


def meeting_row(m: dict[str, Any]) -> dict[str, Any]:
    days = m.get("day")
    days = days if isinstance(days, list) else [days]
    byday = ",".join(MG_DAYS.get(d, "?") if isinstance(d, int) else str(d) for d in days)
    times = f"{m.get('time') or ''}" + (f"-{m['end_time']}" if m.get("end_time") else "")
    online = bool(m.get("conference_url"))
    in_person = bool(m.get("address") or m.get("postal_code") or m.get("location"))
    types = [str(t) for t in m.get("types") or []]
    known = [t for t in types if t in vocab.MEETING_TYPE and t != "ONL"]  # ONL: from how it is attended
    unknown = [t for t in types if t not in vocab.MEETING_TYPE]
    note = {NOTE: {"meeting_types": f"the feed's meeting types {', '.join(unknown)} are not ones we use, so they are "
                                    "left out"}} if unknown else {}
    return note | {"source_id": str(m.get("slug") or ""), "name": m.get("name") or "", "summary": "",
            "description": m.get("notes") or "", "organisation": m.get("group") or "",
            "categories": "peer-support", "meeting_types": ", ".join(known),
            "venue_name": m.get("location") or "", "address": m.get("address") or "", "town": m.get("city") or "",
            "postcode": m.get("postal_code") or "", "sessions": f"{byday} {times}".strip(),
            "attending": "hybrid" if online and in_person else "online" if online else "in-person",
            "online_url": m.get("conference_url") or "", "website": m.get("url") or ""}
