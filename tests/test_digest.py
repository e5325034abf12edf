"""The daily staff digest, sent to a real SMTP server: who gets it, what it says and leaves out, opting out."""

from __future__ import annotations

from datetime import timedelta

from directory.extensions import db
from directory.models import Feedback, Service
from tests.support.clock import after, travel
from tests.support.forms import post
from tests.support.mailbox import addressed_to, links, parts
from tests.support.people import client_as, waiting_for_staff


def _send(runner) -> str:
    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def test_staff_hear_each_day_what_came_in_and_nothing_anyone_wrote(app, people, smtp, runner):
    waiting_for_staff(people)
    assert "Queued 2 digests; sent 2 now" in _send(runner)
    assert sorted(m["To"] for m in smtp.received) == ["admin@example.org", "staff@example.org"]
    message = addressed_to(smtp, "staff@example.org")[0]
    assert message["Subject"] == "New for staff today - Dual Diagnosis Support Directory"
    assert message["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:5000/mail/unsubscribe/")
    text, html = parts(message)
    assert "Hello Sam" in text and "Problems reported with listings" in text and "Requests to facilitate" in text
    assert "Oak Street Dual Recovery Anonymous" in text and "Changes to check" in html
    assert "The phone number is wrong" not in text + html, "what people wrote stays on the site"
    assert "kim@example.org" not in text + html and "Kim" not in text
    assert "Queued 0" in _send(runner), "one a day"


def test_no_digest_when_nothing_new_came_in(app, people, smtp, runner):
    waiting_for_staff(people)
    _send(runner)
    with travel(after(timedelta(days=2))):
        assert "Queued 0" in _send(runner)


def test_a_member_of_staff_can_stop_the_digest(app, people, smtp, runner):
    waiting_for_staff(people)
    _send(runner)
    unsubscribe = next(u for u in links(addressed_to(smtp, "staff@example.org")[0]) if "/mail/unsubscribe/" in u)
    client = app.test_client()
    assert "Stop daily summaries for staff?" in client.get(unsubscribe).get_data(as_text=True)
    response = client.post(unsubscribe)
    assert response.status_code == 303
    assert "You will get no more daily summaries for staff" in client.get(response.headers["Location"]).get_data(as_text=True)
    with travel(after(timedelta(days=1, hours=1))):
        with app.app_context():
            db.session.add(Feedback(service=db.session.get(Service, people.service_b.id), message="Closed now"))
            db.session.commit()
        assert "Queued 1 digest;" in _send(runner)
    assert len(addressed_to(smtp, "staff@example.org")) == 1 and len(addressed_to(smtp, "admin@example.org")) == 2


def test_email_settings_turn_the_digest_and_reminders_off_and_on_again(app, people, smtp, runner):
    staff = client_as(app, people, "staff")
    page = staff.get("/account/email").get_data(as_text=True)
    assert "A daily summary of what is waiting for staff" in page and "Reminders to check my listings" in page
    saved = post(staff, "/account/email", {"reminder": "y"}, token_from="/account/email")
    assert saved.status_code == 303
    waiting_for_staff(people)
    _send(runner)
    assert [m["To"] for m in smtp.received] == ["admin@example.org"]
    post(staff, "/account/email", {"reminder": "y", "digest": "y"}, token_from="/account/email")
    with travel(after(timedelta(days=1, hours=1))):
        with app.app_context():
            db.session.add(Feedback(service=db.session.get(Service, people.service_b.id), message="Closed now"))
            db.session.commit()
        _send(runner)
    assert len(addressed_to(smtp, "staff@example.org")) == 1

    facilitator = client_as(app, people, "facilitator_a")
    page = facilitator.get("/account/email").get_data(as_text=True)
    assert "Reminders to check my listings" in page and "daily summary" not in page
    post(facilitator, "/account/email", {}, token_from="/account/email")
    assert "Queued 1 reminder;" in runner.invoke(args=["reminders", "send"]).output, "group B's facilitator only"
