"""The app factory: small register_* helpers, no side effects at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from directory import config
from directory.extensions import csrf, db, limiter, migrate
from directory.sessions import SessionInterface

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    config.load(app, overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.session_interface = SessionInterface()
    register_proxy(app)
    register_extensions(app)
    register_templates(app)
    register_static(app)
    register_blueprints(app)
    register_accounts(app)
    register_mail(app)
    register_security(app)
    register_errors(app)
    register_commands(app)
    return app


def register_proxy(app: Flask) -> None:
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from directory import models  # every table known to Alembic

    models.register_listeners()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    # The limiter is one object per process and this app has just given it new storage: an earlier
    # app's storage having failed (tests make many apps) must not leave this one on the fallback.
    limiter._storage_dead = False


def register_templates(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from directory.views import templating

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    templating.init_app(app)


def register_blueprints(app: Flask) -> None:
    from directory.views import PathPart, RowId, api, apidocs, feeds, health, hsds, meetings, public, shortlist, signposting

    # Before any route is added: each rule takes its converters from the map as it is added.
    app.url_map.converters.update({"int": RowId, "default": PathPart, "string": PathPart})
    app.register_blueprint(public.bp)
    app.register_blueprint(meetings.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(shortlist.bp)
    app.register_blueprint(signposting.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(hsds.bp)
    app.register_blueprint(apidocs.bp)
    app.register_blueprint(health.bp)


def register_accounts(app: Flask) -> None:
    """Sign-in, facilitators' and staff pages, and the public "report a problem" form."""
    from directory.accounts import auth
    from directory.fields import error_list
    from directory.views import account, imports, manage, organisations, report, staff, venues

    auth.init_app(app)
    app.add_template_global(error_list, "error_list")
    for blueprint in (account.bp, manage.bp, staff.bp, organisations.bp, venues.bp, report.bp, imports.bp):
        app.register_blueprint(blueprint)


def register_mail(app: Flask) -> None:
    from directory.mail import sending
    from directory.views import mail, review

    sending.init_app(app)
    app.register_blueprint(mail.bp)
    app.register_blueprint(review.bp)


def register_static(app: Flask) -> None:
    from directory import static_files

    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    static_files.init_app(app)


def register_security(app: Flask) -> None:
    from directory.views import security

    security.init_app(app)


def register_errors(app: Flask) -> None:
    from directory.views import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from directory import cli

    cli.init_app(app)
