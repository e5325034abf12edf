"""Reminders to check a listing, sent to a real SMTP server, and their links followed as a person would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from directory.extensions import db
from directory.models import ReviewReminder, Service
from tests.support.clock import after, pinned, travel
from tests.support.factories import ServiceFactory, reload
from tests.support.forms import csrf_token
from tests.support.mailbox import addressed_to, links, parts
from tests.support.people import sign_in

SUBJECT = "Is Oak Street Dual Recovery Anonymous still right? - Dual Diagnosis Support Directory"


def _send(runner) -> str:
    result = runner.invoke(args=["reminders", "send", "--url", "https://directory.example.org/"])
    assert result.exit_code == 0, result.output
    return result.output


def _checked_long_ago(app, service_id: int, days: int = 200) -> None:
    with app.app_context():
        db.session.get(Service, service_id).last_verified_at = pinned().date() - timedelta(days=days)
        db.session.commit()


def _yes_link(message) -> str:
    return next(u for u in links(message) if u.startswith("/review/"))


def test_a_listing_not_checked_for_six_months_asks_its_facilitator(app, people, smtp, runner):
    _checked_long_ago(app, people.service_a.id)
    assert "Queued 2 reminders; sent 2 now" in _send(runner), "group A, and group B which was never checked"
    [message] = addressed_to(smtp, "fac.a@example.org")
    assert message["Subject"] == SUBJECT
    assert message["List-Unsubscribe"].strip().startswith("<https://directory.example.org/mail/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    assert "Hello Ash" in text and "It was last checked on" in text and "Testham" in text
    assert "Yes, it's all still right</a>" in html and "Something has changed</a>" in html
    assert "https://directory.example.org/review/" in text and "Stop these emails: https://" in text

    client = app.test_client()
    yes = _yes_link(message)
    page = client.get(yes)
    assert page.status_code == 200 and "Oak Street Dual Recovery Anonymous" in page.get_data(as_text=True)
    assert reload(app, people.service_a).last_verified_at != pinned().date(), "opening the link marks nothing"
    done = client.post(yes, data={"csrf_token": csrf_token(client, yes)})
    assert done.status_code == 303 and "Thank you for checking" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert reload(app, people.service_a).last_verified_at == pinned().date()
    assert app.test_client().get(yes).status_code == 404, "the link works once"
    assert "Queued 0 reminders" in _send(runner), "checked today: nothing more to ask"


def test_something_has_changed_opens_the_editor_after_signing_in(app, people, smtp, runner):
    _send(runner)
    [message] = addressed_to(smtp, "fac.a@example.org")
    changed = next(u for u in links(message) if u.endswith("/details"))
    client = app.test_client()
    asked = client.get(changed)
    assert asked.status_code == 302 and "/account/sign-in" in asked.headers["Location"]
    signed_in = sign_in(client, "fac.a@example.org", next=changed)
    assert signed_in.headers["Location"] == changed
    assert client.get(changed).status_code == 200


def test_at_most_one_reminder_a_listing_every_30_days_and_links_last_14(app, people, smtp, runner):
    _send(runner)
    yes = _yes_link(addressed_to(smtp, "fac.a@example.org")[0])
    assert "Queued 0" in _send(runner)
    with travel(after(timedelta(days=15))):
        assert app.test_client().get(yes).status_code == 404, "14 days have passed"
    with travel(after(timedelta(days=29))):
        assert "Queued 0" in _send(runner)
    with travel(after(timedelta(days=31))):
        assert "Queued 2" in _send(runner)
    assert len(addressed_to(smtp, "fac.a@example.org")) == 2


def test_a_listing_without_a_facilitator_asks_the_staff_contact(app, people, smtp, runner):
    app.config["MAIL_STAFF_CONTACT"] = "listings@example.org"
    with app.app_context():
        orphan = ServiceFactory(name="Riverside Family Group").id
        # Only this one is due: every other listing was checked today.
        for service in db.session.scalars(select(Service).where(Service.id != orphan)):
            service.last_verified_at = pinned().date()
        db.session.commit()
    assert "Queued 1 reminder;" in _send(runner)
    [message] = smtp.received
    assert message["To"] == "listings@example.org" and "Riverside Family Group" in message["Subject"]
    assert "Hello," in parts(message)[0]
    with app.app_context():
        assert db.session.scalar(select(ReviewReminder.user_id)) is None


def test_unsubscribing_stops_reminders_and_one_click_needs_no_form(app, people, smtp, runner):
    _send(runner)
    message = addressed_to(smtp, "fac.a@example.org")[0]
    unsubscribe = next(u for u in links(message) if u.startswith("/mail/unsubscribe/"))
    client = app.test_client()
    assert "Stop reminders to check listings?" in client.get(unsubscribe).get_data(as_text=True)
    # What a mail program sends for List-Unsubscribe-Post (RFC 8058): no CSRF token, no cookies.
    response = client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 303
    assert app.test_client().get("/mail/unsubscribe/forged-token").status_code == 404
    with travel(after(timedelta(days=31))):
        _send(runner)
    assert len(addressed_to(smtp, "fac.a@example.org")) == 1 and len(addressed_to(smtp, "fac.b@example.org")) == 2
