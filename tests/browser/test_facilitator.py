"""A facilitator signs in, cancels next week's session with a note, and people see it on the page and in the feed."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest

from directory import clock, words
from directory.accounts import members
from directory.extensions import db
from directory.schedules import recurrence
from tests.browser.conftest import screenshot, served
from tests.people import PASSWORD, _weekly_group

pytestmark = pytest.mark.browser


def _facilitator_of_a_weekly_group(app):
    """One facilitator attached to a weekly group; gives (slug, next week's date)."""
    service, sched = _weekly_group()
    user = members.create_user("facilitator@example.org", "facilitator", "Robin", PASSWORD)
    user.services.append(service)
    db.session.commit()
    now = clock.now_in(sched.timezone)
    next_week = next(x for x in recurrence.upcoming(sched, now, limit=3) if x.start > now + timedelta(days=6) and not x.cancelled)
    return service.slug, next_week.original_date


@pytest.fixture(scope="module")
def group_site(tmp_path_factory):
    """A live site with one facilitator attached to a weekly group; yields (url, slug, next week's date)."""
    with served(tmp_path_factory, "facilitator-db", _facilitator_of_a_weekly_group) as (url, found):
        yield (url, *found)


def test_facilitator_cancels_next_weeks_session(page, group_site):
    site, slug, day = group_site
    page.goto(f"{site}/services/{slug}")
    page.get_by_role("link", name="Staff and group facilitators sign in").click()
    page.get_by_label("Email address").fill("facilitator@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/manage/")

    page.locator("#my-services a").first.click()
    page.get_by_role("link", name=f"Cancel or move the session on {words.format_date(day)}").click()
    page.get_by_label("It is cancelled").check()
    page.get_by_label("A note for people coming").fill("Hall closed for repairs – see you the week after")
    page.get_by_role("button", name="Save and publish now").click()
    assert "is cancelled" in page.locator(".govuk-notification-banner").inner_text()
    screenshot(page, "facilitator-cancelled")

    page.goto(f"{site}/services/{slug}")
    sessions = page.locator("#next-sessions")
    assert "Cancelled" in sessions.inner_text()
    assert "Hall closed for repairs – see you the week after" in sessions.inner_text()

    feed = urllib.request.urlopen(f"{site}/services/{slug}.ics").read().decode()
    exdates = [line for line in feed.splitlines() if line.startswith("EXDATE")]
    assert any(day.strftime("%Y%m%d") in line for line in exdates), exdates
