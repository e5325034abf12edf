"""Accounts: creating and inviting people, passwords, set-password links, requests to facilitate."""

from __future__ import annotations

from functools import cache

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from directory import vocab
from directory.accounts import audit
from directory.clock import utcnow
from directory.extensions import db
from directory.mail import outbox
from directory.models import FacilitatorRequest, Service, User
from directory.models.user import new_session_token

# An invitation's link works for a week; a reset link, which anyone who can type an address asks for, an hour.
LINK_MAX_AGE = {"invite": 7 * 24 * 3600, "reset": 3600}
MIN_PASSWORD = 10


class AccountError(ValueError):
    """Something about an account request that the person can fix; the message says what."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


@cache
def _dummy_hash() -> str:
    return generate_password_hash("a password nobody has")


def authenticate(email: str, password: str) -> User | None:
    """The user if the email and password match an active account. An unknown email costs the
    same hash check as a wrong password, so timing does not tell which it was."""
    user = find_by_email(email)
    stored = user.password_hash if user is not None and user.password_hash else _dummy_hash()
    ok = check_password_hash(stored, password or "")
    if user is None or not user.password_hash or not user.active or not ok:
        return None
    return user


def create_user(email: str, role: str, name: str = "", password: str | None = None) -> User:
    if role not in vocab.ROLE_CODES:
        raise AccountError(f"The role must be one of {', '.join(vocab.ROLE_CODES)}")
    if find_by_email(email) is not None:
        raise AccountError("There is already an account with that email address")
    user = User(email=normalise_email(email), name=name.strip(), role=role)
    if password is not None:
        _hash_into(user, password)
    db.session.add(user)
    return user


def _hash_into(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Passwords must be {MIN_PASSWORD} characters or more")
    user.password_hash = generate_password_hash(password)
    # A new token signs out every other session and spends any set-password link.
    user.session_token = new_session_token()
    user.reset_requested_at = None


def set_password(user: User, password: str, actor: User | None = None) -> None:
    _hash_into(user, password)
    audit.record(actor or user, "password-set", user)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        raise AccountError("Your current password is not right")
    set_password(user, new)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="set-password")


def password_token(user: User, kind: str = "invite") -> str:
    """A link token that works until used (the session token changes) or LINK_MAX_AGE[kind] passes."""
    return _serializer().dumps({"u": user.id, "t": user.session_token, "k": kind})


def password_link(user: User, kind: str = "invite") -> str:
    return url_for("account.set_password", token=password_token(user, kind), _external=True)


def user_for_token(token: str) -> User | None:
    try:
        data, signed_at = _serializer().loads(token, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    age = (utcnow() - signed_at.replace(tzinfo=None)).total_seconds()
    if age > LINK_MAX_AGE.get(data.get("k", "invite"), 0) or age < -60:
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or user.session_token != data.get("t"):
        return None
    return user


def request_reset(email: str) -> None:
    """Email a one-hour link to choose a new password, and mark the account so staff can help too.
    The person is told the same whether or not the account exists."""
    user = find_by_email(email)
    if user is not None and user.active:
        user.reset_requested_at = utcnow()
        outbox.queue("reset", user.email, "Choose a new password", "reset_password",
                     user=user, link=password_link(user, "reset"), hours=LINK_MAX_AGE["reset"] // 3600)
        db.session.commit()


def invite(actor: User, email: str, name: str, role: str, services: list[Service]) -> User:
    """A new account (no password yet) or an existing one, attached to `services`."""
    if role != vocab.FACILITATOR and not actor.is_admin:
        raise AccountError("Only an administrator can invite staff")
    existing = find_by_email(email)
    if existing is not None and existing.is_staff and not actor.is_admin:
        raise AccountError("That email belongs to a staff account: ask an administrator")
    user = existing or create_user(email, role, name)
    before = {"services": [s.slug for s in user.services]}
    added = [s for s in services if s not in user.services]
    user.services.extend(added)
    audit.record(actor, "invite", user, before, {"email": user.email, "role": user.role,
                                                 "services": [s.slug for s in user.services]})
    if not user.password_hash or added:
        db.session.flush()
        outbox.queue("invitation", user.email, "You have been invited to help keep listings up to date"
                     if not user.is_staff else "You have a staff account", "invitation", user=user,
                     inviter=actor, services=added,
                     link=password_link(user) if not user.password_hash else url_for("account.sign_in", _external=True),
                     days=LINK_MAX_AGE["invite"] // 86400)
    db.session.commit()
    return user


def attach(actor: User, user: User, service: Service, on: bool) -> None:
    """Give or take away a facilitator's right to edit one service."""
    before = {"services": [s.slug for s in user.services]}
    if on and service not in user.services:
        user.services.append(service)
    if not on and service in user.services:
        user.services.remove(service)
    audit.record(actor, "attach" if on else "detach", user, before, {"services": [s.slug for s in user.services]})
    db.session.commit()


def deactivate(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise AccountError("You cannot deactivate your own account")
    user.active = False
    user.session_token = new_session_token()
    audit.record(actor, "deactivate", user, {"active": True}, {"active": False})
    db.session.commit()


def ask_to_facilitate(name: str, email: str, service: Service | None, group_name: str, message: str) -> None:
    db.session.add(FacilitatorRequest(
        name=name.strip(), email=normalise_email(email), service=service,
        group_name=group_name.strip(), message=message.strip(),
    ))
    db.session.commit()


def decide_facilitator_request(actor: User, req: FacilitatorRequest, approve: bool, reason: str) -> User | None:
    """Approving invites the person (and attaches their group); rejecting keeps the reason."""
    if req.status != "pending":
        raise AccountError("Someone has already dealt with this request")
    user = None
    if approve:
        user = invite(actor, req.email, req.name, "facilitator", [req.service] if req.service else [])
    audit.record_decision(actor, req, approve, reason)
    db.session.commit()
    return user


def users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.reset_requested_at.is_(None), User.email)))
