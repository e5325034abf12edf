"""How fast are the calendar feeds? `python -m tests.bench.bench_feeds` (or `make bench`).

Generates 1,000 groups with 5,000 session schedules (weekly, fortnightly, monthly by
position and by date, counted courses; some cancelled and moved sessions) into a
temporary migrated database, then times through the real app:

- `flask feeds warm` writing and keeping every event (done once after a deploy or a bulk
  import, never in a calendar app's request, so it has no target);
- /calendar.ics on a newly started app server (nothing in memory; events kept in the database);
- a calendar app revalidating it (If-None-Match: 304 from the change counter and the kept version),
  and the first revalidation on a new app server (the version counted by one query);
- the next 3 sessions of 1,000 schedules (what /meetings and service pages ask).

Baselines in the same run: the feed as one VEVENT per session for the next 400 days
(what meeting finders publish instead of an RRULE), and next sessions found by
walking each rule from its first session. Runs on SQLite, and on PostgreSQL too when
TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as time_of

from flask_migrate import upgrade
from icalendar import Event
from sqlalchemy import delete, insert, select

from directory import clock, create_app
from directory.extensions import db
from directory.feeds import ical, responses
from directory.feeds.responses import site
from directory.models import Location, Organisation, Schedule, ScheduleException, ScheduleRendering, Service
from directory.schedules import occurrences, recurrence, rules
from directory.search import kept
from directory.search.schedules import MeetingQuery, select_schedules
from tests.bench import databases

GROUPS = 1_000
PER_GROUP = 5
BUILDS = 7
WARM_UPS = 3  # each writes every event: seconds
REVALIDATIONS = 200
NEXT_RUNS = 20
BASELINE_SCHEDULES = 500  # the per-occurrence feed is slow; measured on a tenth and scaled up
LONDON = rules.zone("Europe/London")
TARGETS = {"cold": 500.0, "revalidate": 5.0, "next3": 50.0}


def a_rule(rng: random.Random) -> dict:
    """A mix like the demo data: mostly weekly, some fortnightly, monthly and short courses."""
    kind = rng.choices(["weekly", "fortnightly", "position", "date", "course"], [50, 15, 20, 5, 10])[0]
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
    day = rules.DAY_CODES[start.weekday()]
    rule = {"freq": "WEEKLY", "interval": 1, "byday": day, "bymonthday": None, "dtstart": start, "count": None}
    if kind == "fortnightly":
        rule["interval"] = 2
    elif kind == "position":
        rule.update(freq="MONTHLY", byday=f"{rng.choice([1, 2, 3, 4, -1])}{day}")
    elif kind == "date":
        rule.update(freq="MONTHLY", byday="", bymonthday=rng.randint(1, 28))
    elif kind == "course":
        rule.update(dtstart=clock.today_in("Europe/London") + timedelta(days=rng.randrange(-30, 60)), count=rng.choice([6, 8, 10]))
    hour = rng.choice([10, 13, 18, 19])
    return {**rule, "opens_at": time_of(hour, rng.choice([0, 30])), "closes_at": time_of(hour + 1, 30)}


def fill(rng: random.Random) -> None:
    db.session.execute(insert(Organisation), [{"slug": "bench", "name": "Bench Trust"}])
    org = db.session.scalar(select(Organisation.id))
    db.session.execute(insert(Service), [
        {"id": i, "slug": f"group-{i}", "name": f"Group {i}, Tuesdays; all welcome", "organisation_id": org,
         "summary": "A peer group for people living with mental health and substance use needs.",
         "group_type": "dra", "languages": []}
        for i in range(1, GROUPS + 1)
    ])
    db.session.execute(insert(Location), [
        {"id": i, "key": f"venue-{i}", "name": "Community Centre", "address": f"{i} High Street", "town": "Town",
         "postcode": "M1 1AA", "latitude": 53.4 + i / 10_000, "longitude": -2.2, "confidential": i % 50 == 0}
        for i in range(1, GROUPS + 1)
    ])
    rows, exceptions = [], []
    for n in range(1, GROUPS * PER_GROUP + 1):
        group = (n - 1) // PER_GROUP + 1
        attending = rng.choices(["in-person", "online", "hybrid", "phone"], [70, 15, 10, 5])[0]
        rows.append({
            "id": n, "service_id": group, "kind": "session", "timezone": "Europe/London", "attending_type": attending,
            "location_id": group if attending in ("in-person", "hybrid") else None,
            "online_url": f"https://meet.example/{n}" if attending in ("online", "hybrid") else "",
            "notes": "Newcomers welcome.\nTea, coffee; biscuits.", **a_rule(rng),
        })
    db.session.execute(insert(Schedule), rows)
    for row in rows[:: 10]:
        first = rules.first_date(Schedule(**{k: v for k, v in row.items() if k != "id"}))
        exceptions.append({"schedule_id": row["id"], "original_date": first, "status": "cancelled", "note": "No meeting"})
    db.session.execute(insert(ScheduleException), exceptions)
    db.session.commit()


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def per_occurrence_feed(schedules: list[Schedule], feed_site: ical.Site, now: datetime) -> bytes:
    """The baseline: a plain VEVENT for every session in the next 400 days, no RRULE."""
    events = []
    for s in schedules:
        for x in recurrence.sessions_between(s, now, now + timedelta(days=400)):
            event = Event()
            event.add("uid", f"schedule-{s.id}-{x.original_date:%Y%m%d}@{feed_site.host}")
            event.add("dtstamp", ical.last_changed(s))
            event.add("summary", s.service.name)
            event.add("dtstart", x.start)
            event.add("dtend", x.end)
            event.add("description", s.notes)
            event.add("url", feed_site.service_url(s.service))
            events.append(event)
    return ical.calendar("Baseline", ical.timezones_for((s.timezone, s.dtstart) for s in schedules), events).to_ical()


def walked_next3(s: Schedule, now: datetime) -> list[datetime]:
    """The baseline: dateutil walks the rule from its first session to now."""
    rule = rules.build_rrule(s)
    return [t for t, _ in zip(rule.xafter(now.replace(tzinfo=None)), range(3), strict=False)]


def next3_cold(schedules: list[Schedule], now: datetime) -> None:
    """A newly started app server: no rule worked out yet."""
    for cache in (recurrence._timing, recurrence._weekdays, occurrences._offsets):
        cache.cache_clear()
    for s in schedules:
        recurrence.upcoming(s, now, 3)


def run(url: str) -> dict[str, float]:
    rng = random.Random(5_000)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SERVER_NAME": "bench.example"})
    with app.app_context():
        upgrade()
        fill(rng)
        client = app.test_client()
        first = client.get("/calendar.ics")
        assert first.status_code == 200 and first.data.count(b"BEGIN:VEVENT") >= GROUPS * PER_GROUP
        etag = first.headers["ETag"]

        def cold() -> None:
            """A newly started app server: nothing in memory; events kept in the database."""
            ical.vtimezone.cache_clear()
            responses.events().clear()
            kept.answers().clear()
            db.session.remove()
            assert client.get("/calendar.ics").status_code == 200

        def warm_up() -> None:
            """`flask feeds warm` with nothing written anywhere yet: every event written by icalendar."""
            with db.engine.begin() as connection:
                connection.execute(delete(ScheduleRendering))
            ical.vtimezone.cache_clear()
            db.session.remove()
            result = app.test_cli_runner().invoke(args=["feeds", "warm", "--url", "http://bench.example/"])
            assert f"Wrote the events of {GROUPS * PER_GROUP:,} of" in result.output, result.output

        def warm() -> None:
            db.session.remove()
            assert client.get("/calendar.ics").status_code == 200

        def revalidate() -> None:
            db.session.remove()
            assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304

        def revalidate_first() -> None:
            kept.answers().clear()
            revalidate()

        now = clock.now_in("Europe/London")
        schedules = db.session.scalars(select_schedules(MeetingQuery())).unique().all()[:GROUPS]
        with app.test_request_context():
            feed_site = site()
            sample = schedules[:BASELINE_SCHEDULES]
            baseline_feed = per_occurrence_feed(sample, feed_site, now)
            rrule_feed = ical.feed(sample, feed_site, "RRULE")
            results = {
                "warm_up": median_ms(warm_up, WARM_UPS),
                "cold": median_ms(cold, BUILDS),
                "warm": median_ms(warm, BUILDS),
                "revalidate": median_ms(revalidate, REVALIDATIONS),
                "revalidate_first": median_ms(revalidate_first, REVALIDATIONS // 4),
                "next3_cold": median_ms(lambda: next3_cold(schedules, now), NEXT_RUNS),
                "next3": median_ms(lambda: [recurrence.upcoming(s, now, 3) for s in schedules], NEXT_RUNS),
                "walked": median_ms(lambda: [walked_next3(s, now) for s in schedules], 3),
                "copies": median_ms(lambda: per_occurrence_feed(sample, feed_site, now), 3) * GROUPS * PER_GROUP / BASELINE_SCHEDULES,
                "feed_kb": len(first.data) / 1024,
                "copies_kb": len(baseline_feed) / 1024 * GROUPS * PER_GROUP / BASELINE_SCHEDULES,
                "rrule_sample_kb": len(rrule_feed) / 1024,
            }
        db.session.remove()
        db.engine.dispose()
    return results


def report(backend: str, r: dict[str, float]) -> None:
    n = GROUPS * PER_GROUP
    print(f"\n{backend}: {n:,} session schedules in {GROUPS:,} groups (medians)")
    print(f"{'measure':<58} {'target':>9} {'measured':>10} {'baseline':>10}  baseline is")
    rows = [
        ("warm_up", f"flask feeds warm: all {n:,} schedules' events, once *", None, r["copies"], "one VEVENT per session, 400 days (scaled)"),
        ("cold", f"/calendar.ics, {n:,} schedules, new server (events in DB)", "cold", r["warm_up"], "writing every event"),
        ("warm", "  the same, events kept in memory", "cold", r["warm_up"], "writing every event"),
        ("revalidate", "/calendar.ics revalidation (304)", "revalidate", r["cold"], "building it again"),
        ("revalidate_first", "  the same, first one on a new app server *", None, r["cold"], "building it again"),
        ("next3", f"next 3 sessions of {GROUPS:,} schedules", "next3", r["walked"], "walking each rule from its start"),
        ("next3_cold", "  the same, first request on a new app server *", None, r["walked"], "walking each rule from its start"),
    ]
    for key, name, target, baseline, what in rows:
        if target is None:
            print(f"{name:<58} {'-':>9} {r[key]:>8.1f}ms {baseline:>8.1f}ms  {what}")
            continue
        verdict = "ok" if r[key] <= TARGETS[target] else "MISSED"
        limit = f"≤ {TARGETS[target]:.0f} ms"
        print(f"{name:<58} {limit:>9} {r[key]:>8.1f}ms {baseline:>8.1f}ms  {what}  [{verdict}]")
    print("* reported, no target: `flask feeds warm` runs once after a deploy or bulk import, never in a request;")
    print("  a new app server counts each feed's version once, then reads only the change counter until something changes,")
    print("  and works out each schedule's rule once (nothing depends on the day, so later days cost the same)")
    print(f"feed size: {r['feed_kb']:,.0f} KiB with RRULEs; about {r['copies_kb']:,.0f} KiB as per-session copies")


def main() -> None:
    for label, url in databases.each("bench_feeds"):
        report(label, run(url))


if __name__ == "__main__":
    main()
