"""Response headers for every page: a nonce-based CSP, no referrer, no framing."""

from __future__ import annotations

import logging
import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

from directory.views import caching

PRIVATE_BLUEPRINTS = frozenset({"account", "manage", "staff", "report", "shortlist", "signposting"})
# Open data any site may read from a browser (no cookies are needed or honoured there).
OPEN_DATA_PATHS = ("/api/", "/hsds", "/meetings.json")


# A page on another site may read these, revalidate with its ETag (a preflight asks first), and see the ETag.
OPEN_DATA_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}


def is_open_data(path: str) -> bool:
    return path.startswith(OPEN_DATA_PATHS)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _tile_origin(app: Flask) -> str:
    parts = urlsplit(app.config.get("MAP_TILE_URL", "").replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    quiet_access_log()

    @app.after_request
    def set_headers(response: Response) -> Response:
        img_src = " ".join(filter(None, ("'self'", "data:", _tile_origin(app))))
        response = caching.apply(response, csp_nonce())
        if response.status_code != 304:
            # A 304's headers replace the kept page's: a new nonce would block that page's script.
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; "
                f"script-src 'self' 'nonce-{csp_nonce()}'; "
                "style-src 'self'; "
                f"img-src {img_src}; "
                "connect-src 'self'; font-src 'self'; object-src 'none'; "
                "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            )
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
        if is_open_data(request.path):
            response.headers.update(OPEN_DATA_HEADERS)
        if request.blueprint in PRIVATE_BLUEPRINTS:
            # Signed-in pages and forms with tokens are never kept by browsers or shared caches.
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


class DropQueryStrings(logging.Filter):
    """Access-log lines lose their query strings: searches and places are never logged."""

    _QUERY = re.compile(r"\?[^ \"]*")

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._QUERY.sub("", str(record.msg))
        record.args = tuple(self._QUERY.sub("", a) if isinstance(a, str) else a for a in record.args or ())
        return True


def quiet_access_log() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropQueryStrings) for f in logger.filters):
        logger.addFilter(DropQueryStrings())
