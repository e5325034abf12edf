"""Password links and invitations by email, sent to a real SMTP server; the outbox when it is down."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, timedelta
from pathlib import Path

from sqlalchemy import select

from directory.extensions import db
from directory.mail import outbox, sending
from directory.models import OutboxMessage, User
from tests.support.clock import after, travel
from tests.support.factories import PASSWORD
from tests.support.forms import post
from tests.support.mailbox import addressed_to, links, parts
from tests.support.people import client_as, sign_in


def _ask_for_reset(app, email: str):
    return post(app.test_client(), "/account/forgot-password", {"email": email}, follow_redirects=True)


def test_a_forgotten_password_is_emailed_a_link_that_works_once(app, people, smtp):
    page = _ask_for_reset(app, "FAC.A@example.org")
    assert "we have emailed it a link" in page.get_data(as_text=True)
    [message] = smtp.received
    assert message["To"] == "fac.a@example.org" and message["X-Envelope-To"] == "fac.a@example.org"
    assert message["Subject"] == "Choose a new password - Dual Diagnosis Support Directory"
    text, html = parts(message)
    assert "Hello Ash" in text and "It works once, for 1 hour" in text and "Choose a new password</a>" in html
    [link] = [u for u in links(message) if "set-password" in u]

    client = app.test_client()
    assert client.get(link).status_code == 200
    new = "a brand new passphrase"
    done = post(client, link, {"password": new, "confirm": new}, token_from=link)
    assert done.status_code == 302
    assert sign_in(app.test_client(), "fac.a@example.org", new).status_code == 302
    assert app.test_client().get(link).status_code == 404, "the link is spent once used"


def test_a_reset_link_lasts_an_hour(app, people, smtp):
    _ask_for_reset(app, "fac.a@example.org")
    [link] = [u for u in links(smtp.received[0]) if "set-password" in u]
    with travel(after(timedelta(minutes=59))):
        assert app.test_client().get(link).status_code == 200
    with travel(after(timedelta(minutes=61))):
        assert app.test_client().get(link).status_code == 404


def test_no_mail_and_the_same_page_for_an_address_without_an_account(app, people, smtp):
    page = _ask_for_reset(app, "nobody@example.org")
    assert page.status_code == 200 and "If there is an account with that email address" in page.get_data(as_text=True)
    assert smtp.received == []
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage)) is None


def test_an_invitation_carries_a_set_password_link(app, people, smtp):
    staff = client_as(app, people, "staff")
    response = post(staff, "/staff/accounts", {"email": "new.person@example.org", "name": "Noor", "role": "facilitator",
                                               "service": str(people.service_a.id)}, token_from="/staff/accounts")
    assert response.status_code == 303
    [message] = addressed_to(smtp, "new.person@example.org")
    text, html = parts(message)
    assert message["Subject"] == "You have been invited to help keep listings up to date - Dual Diagnosis Support Directory"
    assert "Hello Noor" in text and "Oak Street Dual Recovery Anonymous" in text and "for 7 days" in text
    assert "Choose a password to start</a>" in html
    [link] = [u for u in links(message) if "set-password" in u]
    client = app.test_client()
    post(client, link, {"password": PASSWORD, "confirm": PASSWORD}, token_from=link)
    assert sign_in(app.test_client(), "new.person@example.org").status_code == 302


def test_pages_answer_while_the_mail_server_is_down_and_each_message_goes_once(app, people, smtp, runner):
    smtp.stop()
    for email in ("fac.a@example.org", "fac.b@example.org"):
        assert _ask_for_reset(app, email).status_code == 200
    sending.wait_for_senders()
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        assert [(r.to, r.status, r.attempts) for r in rows] == [("fac.a@example.org", "queued", 1),
                                                               ("fac.b@example.org", "queued", 1)]
        assert "ConnectionRefusedError" in rows[0].last_error

    assert "Sent 0" in runner.invoke(args=["mail", "send"]).output, "the next try waits a minute"
    smtp.start()
    with travel(after(timedelta(minutes=2))):
        result = runner.invoke(args=["mail", "send"])
        assert result.exit_code == 0 and "Sent 2" in result.output, result.output
        assert "Sent 0" in runner.invoke(args=["mail", "send"]).output
    assert sorted(m["To"] for m in smtp.received) == ["fac.a@example.org", "fac.b@example.org"]


def test_without_a_mail_server_messages_are_written_as_eml_files(app, people):
    _ask_for_reset(app, "fac.a@example.org")
    sending.wait_for_senders()
    [written] = Path(app.config["MAIL_FILE_PATH"]).iterdir()
    assert written.suffix == ".eml" and "reset" in written.name
    assert "Choose a new password" in written.read_text()


def test_staff_see_messages_waiting_and_why(app, people, smtp):
    smtp.stop()
    _ask_for_reset(app, "fac.a@example.org")
    sending.wait_for_senders()
    page = client_as(app, people, "staff").get("/staff/mail").get_data(as_text=True)
    assert "fac.a@example.org" in page and "Choose a new password" in page and "ConnectionRefusedError" in page


def test_a_message_that_cannot_be_sent_is_tried_less_often_then_given_up_on(app, people, smtp, runner):
    smtp.stop()
    _ask_for_reset(app, "fac.a@example.org")
    sending.wait_for_senders()
    waits = []
    for _ in sending.BACK_OFF:
        with app.app_context():
            message = db.session.scalar(select(OutboxMessage))
            waits.append(round((message.next_attempt_at - message.created_at).total_seconds() / 60))
            next_try = message.next_attempt_at.replace(tzinfo=UTC)
        with travel(next_try + timedelta(seconds=1)):
            assert "1 failed" in runner.invoke(args=["mail", "send"]).output
    assert waits == [1, 6, 36, 156, 876], "minutes after the first try: 1, then 5, 30, 120 and 720 more"
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert (message.status, message.attempts) == ("failed", sending.MAX_ATTEMPTS)
    page = client_as(app, people, "staff").get("/staff/mail").get_data(as_text=True)
    assert f"Gave up after {sending.MAX_ATTEMPTS} tries" in page


def test_a_mail_server_that_never_answers_does_not_hold_up_the_page(app, people):
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=3)
        started = time.monotonic()
        assert _ask_for_reset(app, "fac.a@example.org").status_code == 200
        assert time.monotonic() - started < 2, "the page came back while the mail server kept silent"
        sending.wait_for_senders()
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert (message.status, message.attempts) == ("queued", 1) and "timed out" in message.last_error


def test_two_senders_at_once_deliver_each_message_exactly_once(app, people, smtp):
    smtp.stop()
    with app.test_request_context():
        for n in range(12):
            outbox.queue("reset", f"person{n}@example.org", "Choose a new password", "reset_password",
                         user=User(email=f"person{n}@example.org"), link="http://example.org/", hours=1)
        db.session.commit()
    smtp.start()
    results = []

    def sender() -> None:
        with app.app_context():
            results.append(sending.send_due())

    senders = [threading.Thread(target=sender) for _ in range(2)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join(60)
    assert sum(sent for sent, _ in results) == 12 and all(unsent == 0 for _, unsent in results)
    assert sorted(m["To"] for m in smtp.received) == sorted(f"person{n}@example.org" for n in range(12))
