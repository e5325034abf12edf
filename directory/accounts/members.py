"""Accounts: creating and inviting people, passwords, set-password links, requests to facilitate."""

from __future__ import annotations

from functools import cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from directory.accounts import audit
from directory.clock import utcnow
from directory.extensions import db
from directory.models import FacilitatorRequest, Service, User
from directory.models.user import ROLES, new_session_token

LINK_MAX_AGE = 7 * 24 * 3600
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
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}")
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


def password_token(user: User) -> str:
    """A link token that works until used (the session token changes) or a week passes."""
    return _serializer().dumps({"u": user.id, "t": user.session_token})


def user_for_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=LINK_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or user.session_token != data.get("t"):
        return None
    return user


def request_reset(email: str) -> None:
    """Mark the account so staff can hand over a link; says nothing about whether it exists."""
    user = find_by_email(email)
    if user is not None and user.active:
        user.reset_requested_at = utcnow()
        db.session.commit()


def invite(actor: User, email: str, name: str, role: str, services: list[Service]) -> User:
    """A new account (no password yet) or an existing one, attached to `services`."""
    if role != "facilitator" and not actor.is_admin:
        raise AccountError("Only an administrator can invite staff")
    existing = find_by_email(email)
    if existing is not None and existing.is_staff and not actor.is_admin:
        raise AccountError("That email belongs to a staff account: ask an administrator")
    user = existing or create_user(email, role, name)
    before = {"services": [s.slug for s in user.services]}
    for service in services:
        if service not in user.services:
            user.services.append(service)
    audit.record(actor, "invite", user, before, {"email": user.email, "role": user.role,
                                                 "services": [s.slug for s in user.services]})
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
