"""Kind error pages: plain words, the way back, and crisis contacts (base.html)."""

from flask import Flask, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from directory.extensions import db
from directory.views.security import is_open_data

MESSAGES = {
    400: ("Something went wrong with that request", "Please go back and try again."),
    404: ("We can't find that page", "It may have moved, or the address may be mistyped."),
    405: ("That didn't work", "Please go back and try again."),
    413: ("That was too much to send", "Please send less and try again."),
    429: ("Too many tries", "Please wait a minute, then try again."),
    500: ("Sorry, something went wrong on our side", "Please try again in a few minutes."),
    503: ("Sorry, we're having trouble showing this page", "Please try again in a minute or two."),
}
# Long enough for a database restart or fail-over; browsers and crawlers may wait that long.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: Exception) -> bool:
    """The database is down, restarting or unreachable (not a bug of ours): worth trying again soon.
    A connection lost mid-query can surface as another DBAPI error, marked as a disconnect."""
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


def _render(code: int):
    title, detail = MESSAGES.get(code, MESSAGES[500])
    if is_open_data(request.path):
        return {"error": {"status": code, "title": title, "detail": detail}}, code
    return render_template("errors/error.html", title=title, detail=detail, code=code), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        body, code = _render(exc.code or 500)
        # A 405 says which methods there are (RFC 9110), as werkzeug's own page would.
        allowed = getattr(exc, "valid_methods", None)
        return body, code, {"Allow": ", ".join(allowed)} if allowed else {}

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        if database_unavailable(exc):
            return _unavailable(exc)
        app.logger.exception("Unhandled error on %s %s", request.method, request.endpoint)
        db.session.rollback()
        return _render(500)

    def _unavailable(exc: Exception):
        # One line, not a traceback: during an outage every request says the same. The driver's own
        # message only: SQLAlchemy's would add the statement's parameters, which can be what someone typed.
        reason = (str(getattr(exc, "orig", None) or "").splitlines() or [type(exc).__name__])[0]
        app.logger.warning("Database unavailable on %s %s: %s", request.method, request.endpoint, reason)
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass  # the connection is gone; the session is discarded at teardown either way
        body, code = _render(503)
        return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.teardown_appcontext
    def end_session(exc: BaseException | None) -> None:
        """Runs before Flask-SQLAlchemy's own teardown (registered earlier, so run later). Closing the
        session rolls back, and on a connection the database has just ended that raises: escaping
        teardown, it would replace the page already made (the kind 503, or a 200) with a raw 500."""
        try:
            db.session.remove()
        except SQLAlchemyError as err:
            if not database_unavailable(err):
                raise
            db.session.remove()  # the connection is marked dead now, so this close only tidies up
