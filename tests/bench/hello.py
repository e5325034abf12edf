"""The load test's yardstick: a bare Flask app, served by the same gunicorn settings as the site.

Requests a second against it show what gunicorn, Flask and the load tool manage on this
machine with no work at all, so the site's pages can be read as a fraction of that.
"""

from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    """One page that says hello: no database, no templates, no extensions."""
    app = Flask(__name__)

    @app.get("/")
    def hello() -> str:
        return "hello"

    return app
