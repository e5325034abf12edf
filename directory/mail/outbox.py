"""Queueing a message: rendered now (text and HTML from templates/messages/), added to the caller's
session, so the caller's commit keeps it with the change it tells someone about, or neither."""

from __future__ import annotations

from flask import current_app, g, render_template
from sqlalchemy import Select, delete, select

from directory.extensions import db
from directory.models import MailOptOut, OutboxMessage

# The kinds a person may opt out of; password links and invitations always go.
OPTIONAL_KINDS = ("reminder", "digest")


def queue(kind: str, to: str, subject: str, template: str, unsubscribe: str = "", **context: object) -> OutboxMessage:
    """Add `templates/messages/<template>.txt` and `.html` for `to` to the session; the caller commits.
    `unsubscribe` (a link) adds the footer line and the List-Unsubscribe headers."""
    site = current_app.config["SITE_NAME"]
    subject = " ".join(subject.split())  # a line break in a listing's name must not end the header
    context.update(site_name=site, subject=subject, unsubscribe=unsubscribe)
    headers = {}
    if unsubscribe:
        headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    message = OutboxMessage(
        kind=kind, to=to, subject=f"{subject} - {site}", headers=headers,
        text=render_template(f"messages/{template}.txt", **context),
        html=render_template(f"messages/{template}.html", **context),
    )
    db.session.add(message)
    # Sent straight after the response when a request queued it (directory.mail.sending.after_request).
    if "_mail_queued" not in g:
        g._mail_queued = []
    g._mail_queued.append(message)
    return message


def opted_out(email: str, kind: str) -> bool:
    return db.session.scalar(select(MailOptOut.id).where(MailOptOut.email == email, MailOptOut.kind == kind)) is not None


def opt_out(email: str, kind: str) -> None:
    """No more mail of `kind` to `email`; asking twice is the same as once."""
    choose(email, {kind: False})


def choose(email: str, wanted: dict[str, bool]) -> None:
    """Turn each optional kind on or off for `email`, in one unit of work."""
    for kind, on in wanted.items():
        if kind not in OPTIONAL_KINDS:
            continue
        if on:
            db.session.execute(delete(MailOptOut).where(MailOptOut.email == email, MailOptOut.kind == kind))
        elif not opted_out(email, kind):
            db.session.add(MailOptOut(email=email, kind=kind))
    db.session.commit()


def waiting() -> Select:
    """What staff see: messages not yet sent (queued, being sent, or given up on), oldest first."""
    return (select(OutboxMessage).where(OutboxMessage.status != "sent")
            .order_by(OutboxMessage.created_at, OutboxMessage.id))


def recently_sent() -> Select:
    return (select(OutboxMessage).where(OutboxMessage.status == "sent")
            .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()))
