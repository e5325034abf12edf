"""Public pages a visitor without a session may have kept for a minute, and revalidated by ETag.

A visitor who has not used their list has no session cookie (directory.views.same_site), so the
page they get is the page everyone gets: browsers and shared caches may keep it briefly
(`Vary: Cookie` keeps visitors with a list, a flash message or a sign-in apart; theirs stay
`private, no-store`). The ETag hashes the page without its CSP nonce, so an unchanged page
answers 304; the 304 carries no new CSP (directory.views.security), so the kept page keeps the
policy whose nonce it was served with.
"""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request, session

CACHEABLE_BLUEPRINTS = frozenset({"public", "meetings"})
PUBLIC_CACHE = "public, max-age=60"
PRIVATE_CACHE = "private, no-store"


def has_session() -> bool:
    """The visitor sent a session or remember cookie, or this request is about to set one."""
    names = (current_app.config["SESSION_COOKIE_NAME"], current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return any(name in request.cookies for name in names) or session.modified


def _cacheable(response: Response) -> bool:
    return (request.method in ("GET", "HEAD") and response.status_code == 200 and response.mimetype == "text/html"
            and request.blueprint in CACHEABLE_BLUEPRINTS and "Cache-Control" not in response.headers
            and not response.is_streamed)


def apply(response: Response, nonce: str) -> Response:
    """Cache headers for a public page; a 304 when the visitor's copy is still the page."""
    if not _cacheable(response):
        return response
    response.vary.add("Cookie")
    if has_session():
        response.headers["Cache-Control"] = PRIVATE_CACHE
        return response
    response.headers["Cache-Control"] = PUBLIC_CACHE
    body = response.get_data().replace(nonce.encode(), b"")
    # Weak: the same page whatever its encoding (Flask-Compress leaves weak tags alone).
    response.set_etag(hashlib.sha256(body).hexdigest()[:32], weak=True)
    response.make_conditional(request)  # in place: a 304 without its body when the tag matches
    return response
