"""Sending the outbox: over SMTP (Flask-Mailman) when DIRECTORY_MAIL_SERVER is set, otherwise as .eml
files in instance/outbox/. Each message is claimed before it is sent, so two senders (a request's
after-send and `flask mail send`) never both send it; a failure waits longer each time, then gives up."""

from __future__ import annotations

import re
import threading
import weakref
from datetime import timedelta
from pathlib import Path
from typing import cast

from flask import Flask, current_app, g
from flask_mailman import EmailMultiAlternatives, Mail
from sqlalchemy import CursorResult, select, update

from directory.clock import utcnow
from directory.extensions import db
from directory.models import OutboxMessage

mail = Mail()
_senders: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
# The wait after the 1st, 2nd... failed try; after the last the message is "failed" for staff to see.
BACK_OFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))
MAX_ATTEMPTS = len(BACK_OFF) + 1
# Longer than any send takes (MAIL_TIMEOUT): a claim this old belongs to a sender that died.
STUCK_AFTER = timedelta(minutes=15)


def init_app(app: Flask) -> None:
    app.config.setdefault("MAIL_BACKEND", "smtp")
    mail.init_app(app)
    app.after_request(_send_after_response)


def outbox_folder() -> Path:
    """Where messages go with no mail server: MAIL_FILE_PATH, or instance/outbox/."""
    return Path(current_app.config["MAIL_FILE_PATH"] or Path(current_app.instance_path) / "outbox")


def queued_here() -> list[int]:
    """The ids of the messages this request or command queued (and committed) so far, forgotten once read."""
    return [m.id for m in g.pop("_mail_queued", []) if m.id is not None]


def _send_after_response(response):
    """Messages this request queued (and committed) go in a thread of their own while the page is
    answered: a mail server that is down or slow leaves them queued for `flask mail send`, and never
    holds up or fails the page."""
    ids = queued_here()
    if ids and current_app.config["MAIL_SEND_AFTER_REQUEST"]:
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        def send_now() -> None:
            with app.app_context():
                send_due(ids)

        thread = threading.Thread(target=send_now, name="mail-after-request")
        _senders.add(thread)
        thread.start()
    return response


def wait_for_senders(timeout: float = 30) -> None:
    """Let the sends that requests started finish (a clean shutdown; tests, before they look at the mail)."""
    for thread in list(_senders):
        thread.join(timeout)


def _claim(message_id: int) -> bool:
    """Mark it ours; a sender that dies mid-send leaves it "sending" until next_attempt_at, then it is due again."""
    result = cast(CursorResult, db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, _due())
        .values(status="sending", next_attempt_at=utcnow() + STUCK_AFTER)
    ))
    claimed = result.rowcount
    db.session.commit()
    return claimed == 1


def _build(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(subject=message.subject, body=message.text,
                                   from_email=current_app.config["MAIL_DEFAULT_SENDER"], to=[message.to],
                                   headers=dict(message.headers or {}))
    email.attach_alternative(message.html, "text/html")
    return email


def _deliver(message: OutboxMessage) -> None:
    email = _build(message)
    config = current_app.config
    if not config["MAIL_SERVER"]:
        folder = outbox_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{message.id:06d}-{re.sub(r'[^a-z0-9]+', '-', message.kind)}.eml"
        path.write_bytes(email.message().as_bytes())
        current_app.logger.warning("No mail server is set (DIRECTORY_MAIL_SERVER): wrote %s", path)
        return
    connection = mail.get_connection(host=config["MAIL_SERVER"], port=config["MAIL_PORT"],
                                     timeout=config["MAIL_TIMEOUT"])
    connection.send_messages([email])


def _attempt(message: OutboxMessage) -> bool:
    try:
        _deliver(message)
    except Exception as exc:  # noqa: BLE001 - any failure to send is recorded and retried, never raised
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = "failed"
        else:
            message.status = "queued"
            message.next_attempt_at = utcnow() + BACK_OFF[message.attempts - 1]
        db.session.commit()
        return False
    message.attempts += 1
    message.status, message.sent_at, message.last_error = "sent", utcnow(), ""
    db.session.commit()
    return True


def _due():
    return OutboxMessage.status.in_(("queued", "sending")) & (OutboxMessage.next_attempt_at <= utcnow())


def send_due(ids: list[int] | None = None) -> tuple[int, int]:
    """Send queued messages whose time has come (only `ids` when given): (sent, not sent this time)."""
    stmt = select(OutboxMessage.id).where(_due())
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    sent = unsent = 0
    for message_id in list(db.session.scalars(stmt.order_by(OutboxMessage.id))):
        if not _claim(message_id):
            continue
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            continue
        if _attempt(message):
            sent += 1
        else:
            unsent += 1
    return sent, unsent
