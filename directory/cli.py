"""Flask commands for operators."""

from __future__ import annotations

import click
from flask import Flask, current_app

from directory import seeding


@click.command("seed")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no services yet.")
def seed_command(if_empty: bool) -> None:
    """Load the demo data from seeds/."""
    if if_empty and not seeding.is_empty():
        click.echo("The database already has services; demo data not loaded.")
        return
    try:
        count = seeding.load_seeds(timezone=current_app.config["DEFAULT_TIMEZONE"])
    except seeding.SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Loaded {count} services.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
