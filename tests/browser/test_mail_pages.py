"""Mail's pages in real Chromium: a forgotten password from the form to the .eml file and back through its
link, answering a reminder, unsubscribing, and staff's Email page; each checked with axe."""

from __future__ import annotations

import re
import time
from contextlib import ExitStack
from email import policy
from email.parser import BytesParser

import pytest
from axe_playwright_python.sync_playwright import Axe

from directory.extensions import db
from directory.listings import reminders
from directory.mail import links
from directory.models import ReviewReminder
from tests.browser.conftest import screenshot, served
from tests.support.clock import an_hour_before
from tests.support.factories import PASSWORD, ScheduleFactory, UserFactory

pytestmark = pytest.mark.browser


def _site_with_a_reminder(outbox):
    def prepare(app):
        app.config["MAIL_FILE_PATH"] = str(outbox)
        service = ScheduleFactory(service__name="Oak Street Dual Recovery Anonymous").service
        UserFactory(email="robin@example.org", name="Robin", services=[service])
        UserFactory(email="sam@example.org", name="Sam", role="staff")
        reminder = ReviewReminder(service=service, email="robin@example.org")
        db.session.add(reminder)
        db.session.commit()
        return reminders.token_for(reminder), links.unsubscribe_token("robin@example.org", "reminder")
    return prepare


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory):
    outbox = tmp_path_factory.mktemp("outbox")
    with ExitStack() as stack:
        # Made before each test's "now" (a link signed later than the clock reads would not be valid yet).
        with an_hour_before():
            url, tokens = stack.enter_context(served(tmp_path_factory, "mail-db", _site_with_a_reminder(outbox)))
        yield url, outbox, *tokens


def _written(outbox, pattern: str) -> list:
    """The files once the message is written: just after the page was answered, so wait for it a little."""
    deadline = time.monotonic() + 10
    while not (found := sorted(outbox.glob(pattern))) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def _no_violations(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_forgotten_password_arrives_as_a_file_whose_link_works(page, mail_site):
    site, outbox, _, _ = mail_site
    page.goto(f"{site}/account/forgot-password")
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_role("button", name="Ask for a new password").click()
    assert "we have emailed it a link" in page.inner_text("main")
    _no_violations(page)
    [eml] = _written(outbox, "*-reset.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    link = re.search(r"http://\S+/account/set-password/\S+", message.get_body(("plain",)).get_content()).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("three random words here")
    page.get_by_label("Type the new password again").fill("three random words here")
    page.get_by_role("button", name="Save password").click()
    assert "Your password is set" in page.inner_text("main")


def test_answering_a_reminder_in_one_click(page, mail_site):
    site, _, review, _ = mail_site
    page.goto(f"{site}/review/{review}")
    _no_violations(page)
    screenshot(page, "review-reminder")
    page.get_by_role("button", name="Yes, it's all still right").click()
    assert "Thank you for checking" in page.inner_text("main")
    _no_violations(page)
    page.goto(f"{site}/review/{review}")
    assert "expired or has been used" in page.inner_text("main")
    _no_violations(page)


def test_unsubscribing(page, mail_site):
    site, _, _, unsubscribe = mail_site
    page.goto(f"{site}/mail/unsubscribe/{unsubscribe}")
    _no_violations(page)
    page.get_by_role("button", name="Stop these emails").click()
    assert "You will get no more reminders to check listings" in page.inner_text("main")
    _no_violations(page)


def test_staff_email_page_and_email_settings(page, mail_site):
    site, _, _, _ = mail_site
    page.goto(f"{site}/account/sign-in")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{site}/staff/mail")
    assert "Sent lately" in page.inner_text("main")
    _no_violations(page)
    page.get_by_role("link", name="Email settings").click()
    page.get_by_label("A daily summary of what is waiting for staff").uncheck()
    page.get_by_role("button", name="Save settings").click()
    assert "Your email settings are saved" in page.inner_text("main")
    assert not page.get_by_label("A daily summary of what is waiting for staff").is_checked()
    _no_violations(page)
