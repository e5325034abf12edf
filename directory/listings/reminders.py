"""Reminders to check a listing: six months after it was last checked, to its facilitators (or the staff
contact when it has none), at most one a listing every 30 days. The signed links work once, for 14 days:
"Yes, it's all still right" marks it checked without signing in; "Something has changed" opens the editor."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from directory import vocab
from directory.clock import utcnow
from directory.extensions import db
from directory.listings import moderation
from directory.listings.status import is_published
from directory.mail import links, outbox
from directory.models import ReviewReminder, Service, User, user_service

EVERY = timedelta(days=30)
LINK_DAYS = 14


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="review-reminder")


def recipients(service: Service) -> list[tuple[str, User | None]]:
    """The listing's active facilitators, or the staff contact; less anyone who opted out."""
    facilitators = db.session.scalars(
        select(User).join(user_service, user_service.c.user_id == User.id)
        .where(user_service.c.service_id == service.id, User.active, User.role == vocab.FACILITATOR).order_by(User.email)
    ).all()
    found: list[tuple[str, User | None]] = [(u.email, u) for u in facilitators]
    if not found and current_app.config["MAIL_STAFF_CONTACT"]:
        found = [(current_app.config["MAIL_STAFF_CONTACT"], None)]
    return [(email, user) for email, user in found if not outbox.opted_out(email, "reminder")]


def due(today: date) -> list[Service]:
    """Listings not checked for six months and not reminded about in the last 30 days."""
    recent = select(ReviewReminder.service_id).where(ReviewReminder.sent_at > utcnow() - EVERY)
    return list(db.session.scalars(moderation.unverified(today).where(Service.id.not_in(recent))))


def send(today: date) -> int:
    """Queue a reminder for each due listing (one unit of work each); how many were queued."""
    count = 0
    for service in due(today):
        for email, user in recipients(service):
            reminder = ReviewReminder(service=service, user=user, email=email)
            db.session.add(reminder)
            db.session.flush()
            outbox.queue(
                "reminder", email, f"Is {service.name} still right?", "review_reminder",
                unsubscribe=links.unsubscribe_link(email, "reminder"), service=service, user=user, days=LINK_DAYS,
                yes=url_for("review.check", token=token_for(reminder), _external=True),
                changed=url_for("manage.details", service_id=service.id, _external=True),
                page=url_for("public.service", slug=service.slug, _external=True),
            )
            count += 1
        db.session.commit()
    return count


def token_for(reminder: ReviewReminder) -> str:
    return _serializer().dumps({"r": reminder.id})


def reminder_for_token(token: str) -> ReviewReminder | None:
    """The reminder a link is for, while it is unused, under 14 days old and its listing still published."""
    try:
        data = _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    reminder = db.session.get(ReviewReminder, data["r"])
    if reminder is None or reminder.used_at is not None or not is_published(reminder.service):
        return None
    return reminder


def confirm(reminder: ReviewReminder, today: date) -> None:
    """"Yes, it's all still right": the listing is checked today and the link is spent, together."""
    reminder.used_at = utcnow()
    moderation.verify(reminder.user, reminder.service, today)
