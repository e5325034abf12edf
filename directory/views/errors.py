"""Kind error pages: plain words, the way back, and crisis contacts (base.html)."""

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from directory.extensions import db

MESSAGES = {
    400: ("Something went wrong with that request", "Please go back and try again."),
    404: ("We can't find that page", "It may have moved, or the address may be mistyped."),
    405: ("That didn't work", "Please go back and try again."),
    413: ("That was too much to send", "Please send less and try again."),
    429: ("Too many tries", "Please wait a minute, then try again."),
    500: ("Sorry, something went wrong on our side", "Please try again in a few minutes."),
}


def _render(code: int):
    title, detail = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/"):
        return {"error": {"status": code, "title": title, "detail": detail}}, code
    return render_template("errors/error.html", title=title, detail=detail, code=code), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _render(exc.code or 500)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.endpoint)
        db.session.rollback()
        return _render(500)
