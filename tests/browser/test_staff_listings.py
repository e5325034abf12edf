"""Staff describe a housing service from nothing in the browser and find it under its filters;
a facilitator's phone number change, and a schedule change, wait until staff approve them from a word-level diff."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from directory import clock
from tests.browser.conftest import _local_only, screenshot, served
from tests.support.factories import PASSWORD, ScheduleFactory, UserFactory

pytestmark = pytest.mark.browser


def _accounts(app):
    sched = ScheduleFactory(service__name="Oak Street Dual Recovery Anonymous", service__phone="0115 496 0123")
    UserFactory(email="facilitator@example.org", name="Robin", services=[sched.service])
    UserFactory(email="staff@example.org", name="Sam", role="staff")
    return sched.service.id, sched.service.slug, sched.id, sched.service.locations[0].id


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served(tmp_path_factory, "staff-listings-db", _accounts) as (url, found):
        yield (url, *found)


STAFF_PAGES = ("/manage/services/{service}", "/manage/services/{service}/details", "/manage/services/{service}/check",
               "/manage/services/{service}/schedules/{schedule}/delete", "/staff/services/{service}/venues/new",
               "/staff/venues/{venue}", "/staff/organisations/new", "/staff/audit", "/staff/unverified")


@pytest.fixture(scope="module")
def staff_tab(browser, site):
    """One signed-in staff tab for the module's page checks: sign-in is rate limited (5 a minute an account)."""
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    context.route("**/*", _local_only)
    tab = context.new_page()
    _sign_in(tab, site[0], "staff@example.org")
    yield tab
    context.close()


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_have_no_accessibility_violations(staff_tab, site, path):
    url, service_id, _, schedule_id, venue_id = site
    staff_tab.goto(url + path.format(service=service_id, schedule=schedule_id, venue=venue_id))
    _no_axe_violations(staff_tab)


def _sign_in(page, site, email):
    page.goto(f"{site}/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda u: "sign-in" not in u)


def _no_axe_violations(page):
    page.wait_for_load_state()
    page.locator("h1").wait_for()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_staff_create_a_housing_service_from_nothing_and_find_it_by_its_filters(page, site):
    url = site[0]
    _sign_in(page, url, "staff@example.org")
    page.goto(f"{url}/staff/organisations/")
    page.get_by_role("link", name="Add an organisation").click()
    page.get_by_label("Name").fill("Riverside Housing Trust")
    page.get_by_role("button", name="Save").click()
    assert "Riverside Housing Trust" in page.locator("#organisations").inner_text()
    _no_axe_violations(page)

    page.goto(f"{url}/staff/services")
    page.get_by_role("link", name="Add a new listing").click()
    page.wait_for_url("**/manage/new")
    _no_axe_violations(page)
    page.get_by_label("Organisation").select_option(label="Riverside Housing Trust")
    page.get_by_label("Name", exact=True).fill("Riverside Safe Rooms")
    page.get_by_label("Summary").fill("Supported rooms for people in recovery")
    page.get_by_role("group", name="Types of support").get_by_label("Housing", exact=True).check()
    page.get_by_role("group", name="Stages it suits").get_by_label("Engagement").check()
    page.get_by_role("group", name="Stages it suits").get_by_label("Active treatment").check()
    page.get_by_label("Venue name").fill("Riverside House")
    page.get_by_label("Address", exact=True).fill("4 Hidden Lane")
    page.get_by_label("Town", exact=True).fill("Testham")
    page.get_by_label("Postcode", exact=True).fill("TE1 1AA")
    page.get_by_label("Keep the address private").check()
    page.get_by_role("button", name="Save as a draft").click()
    assert "saved as a draft" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Add a schedule").click()
    page.get_by_label("Opening hours").check()
    page.locator("#day").select_option(label="Monday")
    first = page.get_by_role("group", name="Date of the first session")
    today = clock.today_in("Europe/London")
    first.get_by_label("Day").fill(str(today.day))
    first.get_by_label("Month").fill(str(today.month))
    first.get_by_label("Year").fill(str(today.year))
    page.locator("[name=opens_at]").fill("9am")
    page.locator("[name=closes_at]").fill("5pm")
    page.get_by_role("button", name="Save schedule").click()
    assert "The schedule is saved" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Check your answers and publish").click()
    answers = page.locator("#check-answers").inner_text()
    assert "Housing" in answers and "Engagement, Active treatment" in answers and "Riverside Housing Trust" in answers
    _no_axe_violations(page)
    page.get_by_role("button", name="Publish this listing").click()
    assert "is published" in page.locator(".govuk-notification-banner").inner_text()
    screenshot(page, "staff-published-housing")

    page.goto(f"{url}/search?category=housing&stage=engagement&near=Testham")
    page.locator("#results").get_by_role("link", name="Riverside Safe Rooms").click()
    body = page.locator("main").inner_text()
    assert "4 Hidden Lane" not in body and "Testham" in body
    page.get_by_role("link", name="Riverside Housing Trust").click()
    assert page.locator("h1").inner_text() == "Riverside Housing Trust"
    assert page.locator("#organisation-services").get_by_role("link", name="Riverside Safe Rooms").count() == 1
    _no_axe_violations(page)


def test_a_facilitators_new_phone_number_waits_until_staff_approve_it(page, site):
    url, service_id, slug = site[:3]
    _sign_in(page, url, "facilitator@example.org")
    page.goto(f"{url}/manage/services/{service_id}/details")
    page.get_by_label("Phone", exact=True).fill("0115 496 0999")
    page.get_by_role("button", name="Save changes").click()
    assert "once staff have checked them" in page.locator(".govuk-notification-banner").inner_text()
    assert "Phone" in page.locator("#pending-changes").inner_text()
    page.goto(f"{url}/services/{slug}")
    assert "0115 496 0999" not in page.locator("main").inner_text()

    page.context.clear_cookies()
    _sign_in(page, url, "staff@example.org")
    page.goto(f"{url}/staff/changes")
    page.locator("#change-queue").get_by_role("link", name="Oak Street Dual Recovery Anonymous").click()
    row = page.locator("#diff tr", has_text="Phone")
    assert " ".join(row.locator("del").inner_text().split()) == "removed: 0123"
    assert " ".join(row.locator("ins").inner_text().split()) == "added: 0999"
    _no_axe_violations(page)
    screenshot(page, "staff-word-diff")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    page.goto(f"{url}/services/{slug}")
    assert "0115 496 0999" in page.locator("main").inner_text()


def test_a_facilitators_schedule_change_waits_and_staff_read_it_in_words(page, site):
    url, service_id, slug, schedule_id = site[:4]
    _sign_in(page, url, "facilitator@example.org")
    page.goto(f"{url}/manage/services/{service_id}/schedules/{schedule_id}")
    page.locator("#day").select_option(label="Thursday")
    page.locator("[name=opens_at]").fill("6pm")
    page.locator("[name=closes_at]").fill("7:30pm")
    page.get_by_role("button", name="Save schedule").click()
    assert "once staff have checked it" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(f"{url}/services/{slug}")
    assert "Every Thursday" not in page.locator("main").inner_text()

    page.context.clear_cookies()
    _sign_in(page, url, "staff@example.org")
    page.goto(f"{url}/staff/changes")
    page.locator("#change-queue tr", has_text="Changed schedule").get_by_role("link").click()
    row = page.locator("#diff tr", has_text="When")
    assert "removed: Tuesday," in " ".join(row.locator("del").first.inner_text().split())
    assert "added: Thursday," in " ".join(row.locator("ins").first.inner_text().split())
    _no_axe_violations(page)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    page.goto(f"{url}/services/{slug}")
    assert "Every Thursday, 6pm to 7:30pm" in page.locator("main").inner_text()
