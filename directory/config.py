"""Settings: defaults, then instance/config.py, then the environment, then test overrides."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "SITE_NAME": "Dual Diagnosis Support Directory",
    "DEFAULT_TIMEZONE": "Europe/London",
    "PER_PAGE": 20,
    "MAX_PER_PAGE": 50,
    # After a database restart every pooled connection is dead: check each before use, so the first
    # visitors get pages rather than errors (tests/test_faults.py restarts a real server).
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Secure cookies are on when PREFERRED_URL_SCHEME is https; this turns them on behind a TLS proxy too.
    "SECURE_COOKIES": False,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # Other directories' feeds (flask sources refresh): seconds to wait for each request, and tries.
    "FEED_TIMEOUT": 10.0,
    "FEED_TRIES": 3,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Redis stopped or unreachable: keep limiting (sign-in guesses above all) in this process's memory,
    # with one warning in the log, and go back to Redis when it answers again.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    # How many proxies (load balancers) stand in front: their X-Forwarded-For/-Proto are then
    # trusted, so rate limits see each visitor and links come out as https.
    "PROXY_COUNT": 0,
    "GEOCODER": "",
    "GEOCODER_USER_AGENT": "",
    "GEOCODER_TIMEOUT": 5,
    # Nominatim's usage policy: at most one request a second.
    "GEOCODER_MIN_DELAY": 1.0,
    # Empty means the geocoder's own public service; e.g. "nominatim.example.org" and "https".
    "GEOCODER_DOMAIN": "",
    "GEOCODER_SCHEME": "",
    "GEOCODER_COUNTRY": "gb",
    # How many places one visitor's searches may send to the geocoder.
    "GEOCODER_SEARCH_LIMIT": "10 per minute",
    # `flask backup` on PostgreSQL: empty finds pg_dump on PATH, then the newest in /usr/lib/postgresql.
    "PG_DUMP": "",
    # Mail (README "Mail"): with no MAIL_SERVER, messages are written to instance/outbox/ as .eml files.
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_TIMEOUT": 10,
    "MAIL_DEFAULT_SENDER": "Dual Diagnosis Support Directory <no-reply@localhost>",
    # Send what a request queued as soon as its response is handed over (else only `flask mail send`).
    "MAIL_SEND_AFTER_REQUEST": True,
    # The folder for .eml files when no MAIL_SERVER is set; empty: instance/outbox/.
    "MAIL_FILE_PATH": "",
    # Where review reminders go for a listing with no facilitator; empty: such listings get none.
    "MAIL_STAFF_CONTACT": "",
    # The site's address in links that commands put in mail (reminders, digests).
    "SITE_URL": "http://127.0.0.1:5000/",
    "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "MAP_TILE_ATTRIBUTION": "&copy; OpenStreetMap contributors",
}

ENV_PREFIX = "DIRECTORY_"


def load(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config in the documented order; nothing is read at import time."""
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "directory.sqlite3"
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(ENV_PREFIX.rstrip("_"))
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(os.environ["DATABASE_URL"])
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
    if overrides:
        app.config.from_mapping(overrides)
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith("redis"):
        # Without timeouts a Redis that accepts but never answers would hold every request forever;
        # it answers in well under a millisecond when it is well.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SECURE_COOKIES"] or app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    if app.config["GEOCODER"] and not app.config["GEOCODER_USER_AGENT"]:
        raise RuntimeError("GEOCODER is set: set GEOCODER_USER_AGENT too (the remote service needs to know who is asking)")
    app.config.setdefault("SECRET_KEY", None)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")


def _instance_secret(path: Path) -> str:
    """A key made once and kept in instance/, so every worker on this machine, and the next
    start, signs sessions alike. Several machines need SECRET_KEY set to one value."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fh:
                fh.write(key)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
        return key


def _normalise_db_url(url: str) -> str:
    """Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
