"""A result card's time in words: open now or closed (never "open" when the hours are unknown),
and a group's next session, at fixed moments so the answer does not depend on the hour."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest

from directory.models import Schedule
from directory.schedules import rules, status
from tests.support.forms import post

LONDON = rules.zone("Europe/London")


def _schedule(kind: str, byday: str, opens: time, closes: time | None) -> Schedule:
    return Schedule(
        kind=kind, freq="WEEKLY", interval=1, byday=byday, dtstart=date(2026, 1, 5), opens_at=opens,
        closes_at=closes, timezone="Europe/London", attending_type="in-person", exceptions=[],
    )


OFFICE = _schedule("opening", "MO,TU,WE,TH,FR", time(9), time(17))
GROUP = _schedule("session", "TU", time(19), time(20, 30))


@pytest.mark.parametrize(("now", "said"), [
    (datetime(2026, 12, 1, 10, 0, tzinfo=LONDON), (True, "Open now, until 5pm")),
    (datetime(2026, 12, 1, 18, 45, tzinfo=LONDON), (False, "Closed, opens 9am tomorrow")),
    (datetime(2026, 12, 4, 18, 0, tzinfo=LONDON), (False, "Closed, opens 9am Monday")),
    (datetime(2026, 12, 2, 7, 0, tzinfo=LONDON), (False, "Closed, opens 9am today")),
])
def test_opening_hours_in_words(now, said):
    assert status.opening([OFFICE], now) == said


def test_unknown_hours_are_never_shown_as_open():
    now = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    assert status.opening([], now) is None
    assert status.opening([_schedule("opening", "MO,TU,WE,TH,FR", time(9), None)], now) is None
    assert status.opening([GROUP], now) is None, "a group's sessions are not opening hours"


@pytest.mark.parametrize(("now", "said"), [
    (datetime(2026, 12, 1, 18, 45, tzinfo=LONDON), "Next: today, 7pm"),
    (datetime(2026, 12, 1, 19, 30, tzinfo=LONDON), "On now, until 8:30pm"),
    (datetime(2026, 12, 2, 10, 0, tzinfo=LONDON), "Next: Tuesday 7pm"),
    (datetime(2026, 11, 30, 10, 0, tzinfo=LONDON), "Next: tomorrow, 7pm"),
])
def test_a_groups_next_session_in_words(now, said):
    assert status.next_session([GROUP], now) == said


def test_cards_and_lists_offer_tap_to_call(client):
    html = client.get("/search?q=housing").get_data(as_text=True)
    assert re.search(r'class="service-card__phone">Call <a class="govuk-link contact-link" href="tel:\+?\d{10,}"', html)
    slug = re.search(r'href="/services/([^"]+)"', html)[1]
    service = client.get(f"/services/{slug}").get_data(as_text=True)
    assert re.search(r'href="tel:\+?\d{10,}"', service)
    ids = re.findall(r'name="service_id" value="(\d+)"', html)
    for service_id in ids[:2]:
        post(client, "/list/add", {"service_id": service_id})
    listed = client.get("/list").get_data(as_text=True)
    assert len(re.findall(r'<dd class="govuk-summary-list__value"><a class="govuk-link contact-link" href="tel:', listed)) >= 1


def test_a_service_page_puts_contact_and_where_first_with_directions_to_the_place_only(client):
    html = client.get("/search?category=peer-support").get_data(as_text=True)
    slug = re.search(r'href="/services/([^"]+)"', html)[1]
    page = client.get(f"/services/{slug}").get_data(as_text=True)
    assert page.index('id="contact"') < page.index('id="sessions"') < page.index("About this service")
    directions = re.findall(r'href="(https://www.openstreetmap.org/directions\?[^"]+)"', page)
    assert directions and all(re.fullmatch(r"https://www.openstreetmap.org/directions\?route=%3B-?[\d.]+%2C-?[\d.]+", d) for d in directions)
