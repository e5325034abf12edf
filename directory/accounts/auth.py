"""Who may do what, decided here and nowhere else: every account, manage and staff view goes through this."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort
from flask_login import current_user
from sqlalchemy import select

from directory.extensions import db, login_manager
from directory.models import Schedule, Service, User, user_service

STAFF_ROLES = ("staff", "admin")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "account.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def load_user(alternative_id: str) -> User | None:
    """Sessions carry "id.token"; a new token (password change, deactivation) ends them all."""
    user_id, _, token = alternative_id.partition(".")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def guard(bp: Blueprint, roles: tuple[str, ...] = ()) -> None:
    """Every view of the blueprint needs a signed-in person, and one of `roles` when given."""

    @bp.before_request
    def _check() -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if roles and current_user.role not in roles:
            abort(403)
        return None


def admin_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def can_edit(user: Any, service: Service) -> bool:
    """Staff edit any listing; a facilitator only the services they are attached to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role in STAFF_ROLES:
        return True
    return db.session.scalar(
        select(user_service.c.service_id).where(
            user_service.c.user_id == user.id, user_service.c.service_id == service.id
        )
    ) is not None


def editable_service(service_id: int) -> Service:
    """The service if the signed-in person may edit it; otherwise 404, so guessed ids reveal nothing."""
    service = db.session.get(Service, service_id)
    if service is None or not can_edit(current_user, service):
        abort(404)
    return service


def editable_schedule(service_id: int, schedule_id: int) -> tuple[Service, Schedule]:
    service = editable_service(service_id)
    sched = db.session.get(Schedule, schedule_id)
    if sched is None or sched.service_id != service.id:
        abort(404)
    return service, sched


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ch in target for ch in "\r\n\\"):
        return default
    return target
