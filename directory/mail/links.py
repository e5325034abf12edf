"""Signed unsubscribe links: the link itself is the authority, so it works without signing in."""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from directory.mail.outbox import OPTIONAL_KINDS


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(email: str, kind: str) -> str:
    return _serializer().dumps({"e": email, "k": kind})


def unsubscribe_link(email: str, kind: str) -> str:
    return url_for("mail.unsubscribe", token=unsubscribe_token(email, kind), _external=True)


def read_unsubscribe(token: str) -> tuple[str, str] | None:
    """(email, kind) from a link we made, or None for anything else."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in OPTIONAL_KINDS or not isinstance(data.get("e"), str):
        return None
    return data["e"], data["k"]
