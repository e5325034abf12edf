"""The pages and feeds anyone can see, asked again after each accepted change that touched the database.

Which services a change touched is read from the rows that changed, so a schedule, a
cancelled session, a venue or an organisation leads back to the service pages it shows on.
"""

from __future__ import annotations

from tests.fuzz.snapshot import Snapshot

ALWAYS = ("/", "/search", "/meetings", "/calendar.ics", "/meetings.ics", "/api/v1/services")
# Tables whose rows point at a service through another table: (table, column, via table, via column).
INDIRECT = (("schedule_exception", "schedule_id", "schedule", "id"),
            ("location", "id", "service_location", "location_id"),
            ("organisation", "id", "service", "organisation_id"))


def _rows(snap: Snapshot, table: str, keys: list[tuple]) -> list[tuple]:
    return [row for key in keys if (row := snap.rows.get(table, {}).get(key)) is not None]


def touched_services(before: Snapshot, after: Snapshot) -> set[int]:
    """Ids of the services whose public page could show something that changed."""
    ids: set[int] = set()
    for table, keys in before.changes(after).items():
        for snap in (before, after):
            rows = _rows(snap, table, keys)
            columns = snap.columns[table]
            if table == "service":
                ids.update(snap.value(table, row, "id") for row in rows)
            elif "service_id" in columns:
                ids.update(snap.value(table, row, "service_id") for row in rows)
            for source, column, via, via_column in INDIRECT:
                if table != source:
                    continue
                wanted = {snap.value(table, row, column) for row in rows}
                for row in snap.rows.get(via, {}).values():
                    if snap.value(via, row, via_column) in wanted:
                        ids.add(snap.value(via, row, "service_id" if via != "service" else "id"))
    return {i for i in ids if i is not None}


def pages(before: Snapshot, after: Snapshot, all_stages: tuple[str, ...]) -> list[tuple[str, int]]:
    """(path, the status it must answer with) for every public page a change could have reached."""
    wanted = [(path, 200) for path in ALWAYS]
    stages: set[str] = set()
    for service_id in sorted(touched_services(before, after)):
        row = after.rows["service"].get((service_id,))
        if row is None:
            continue
        slug, status = after.value("service", row, "slug"), after.value("service", row, "status")
        expected = 200 if status == "published" else 404
        wanted += [(f"/services/{slug}", expected), (f"/services/{slug}.ics", expected),
                   (f"/api/v1/services/{service_id}", expected)]
        for snap in (before, after):
            stages.update(snap.value("service_term", row, "code") for key, row in snap.rows["service_term"].items()
                          if key[0] == service_id and snap.value("service_term", row, "kind") == "stage")
    wanted += [(f"/stages/{code}", 200) for code in sorted(stages or all_stages[:1])]
    return wanted
