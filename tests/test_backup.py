"""`flask backup PATH` while the site is writing, then the README's restore steps into an empty
database: every row of every table (listings, schedules, exceptions, accounts...) comes back."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from directory import backup, create_app
from directory.accounts import audit, members
from directory.extensions import db
from directory.models import Feedback, Service
from tests.databases import pg_empty_database

MARK = "written while the backup ran"
MAX_WRITES = 400


class Writer(threading.Thread):
    """Reports and their audit events, each pair in one transaction held open a moment, until stopped (bounded)."""

    def __init__(self, app) -> None:
        super().__init__(daemon=True)
        self.app, self.written, self.error = app, 0, None
        self.stopping = threading.Event()

    def run(self) -> None:
        with self.app.app_context():
            try:
                service = db.session.scalars(select(Service).order_by(Service.id)).first()
                for n in range(MAX_WRITES):
                    if self.stopping.is_set():
                        break
                    item = Feedback(service=service, message=f"{MARK} {n}")
                    db.session.add(item)
                    db.session.flush()
                    time.sleep(0.005)  # half-written for a while: a copy must hold both halves or neither
                    audit.record(None, "feedback-reported", item, None, {"message": item.message})
                    db.session.commit()
                    self.written = n + 1
                    time.sleep(0.002)
            except BaseException as exc:  # noqa: BLE001  (the test's thread raises it)
                self.error = exc
            finally:
                db.session.remove()

    def wait_for(self, count: int, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while self.written < count and self.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.written >= count, f"the writer managed {self.written} of {count} writes ({self.error!r})"


def every_row(url: str) -> dict[str, list[dict]]:
    """Each table's rows, in a stable order."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted((dict(row._mapping) for row in conn.execute(text(f'SELECT * FROM "{name}"'))), key=repr)
                for name in inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()


def restore(backend: str, archive: Path, folder: Path) -> tuple[str, callable]:
    """The README's restore steps: copy the SQLite file into place, or pg_restore into an empty database."""
    if backend == "sqlite":
        target = folder / "restored.sqlite3"
        shutil.copyfile(archive, target)
        return f"sqlite:///{target}", lambda: target.unlink(missing_ok=True)
    url, drop = pg_empty_database("restored")
    address = make_url(url)
    subprocess.run(
        [backup.find_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", f"--dbname={backup.libpq_uri(address)}", str(archive)],
        check=True, capture_output=True, env=backup.postgres_env(address), timeout=120,
    )
    return url, drop


def found(client) -> list[int]:
    return [item["id"] for item in client.get("/api/v1/services?q=housing").json["items"]]


def test_a_backup_taken_while_the_site_writes_restores_every_row(app, runner, template, tmp_path):
    members.create_user("staff@example.org", "staff", "Sam", "a long test passphrase")
    members.create_user("fac@example.org", "facilitator", "Ash", "a long test passphrase")
    db.session.commit()
    url = db.engine.url.render_as_string(hide_password=False)
    before = every_row(url)
    assert all(before[table] for table in ("service", "schedule", "schedule_exception", "user_account", "location"))
    writer = Writer(app)
    writer.start()
    try:
        writer.wait_for(5)
        started, at_start = time.monotonic(), writer.written
        result = runner.invoke(args=["backup", str(tmp_path / "site.backup")])
        took, during = time.monotonic() - started, writer.written - at_start
        writer.wait_for(writer.written + 5)  # the site kept writing after the backup
    finally:
        writer.stopping.set()
        writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert "Wrote a" in result.output and "site.backup" in result.output
    after = every_row(url)

    restored_url, drop = restore(template.backend, tmp_path / "site.backup", tmp_path)
    try:
        restored = every_row(restored_url)
        restored_app = create_app({"SQLALCHEMY_DATABASE_URI": restored_url, "SECRET_KEY": "test"})
        assert found(restored_app.test_client()) == found(app.test_client()) != []
        with restored_app.app_context():
            db.engine.dispose()
    finally:
        drop()

    assert restored.keys() == after.keys()
    written = {"feedback", "audit_event"}
    for table in after.keys() - written:
        assert restored[table] == after[table], f"{table} differs in the restored copy"
    # One snapshot: the writes in the copy are the first k, each report with its audit event.
    reports = {row["id"]: row["message"] for row in restored["feedback"] if row["message"].startswith(MARK)}
    events = {row["entity_id"] for row in restored["audit_event"] if row["action"] == "feedback-reported"}
    print(f"\n{template.backend}: backup took {took:.2f} s while {during} writes landed; "
          f"{len(reports)} of {writer.written} writes are in the copy")
    assert 5 <= len(reports) < writer.written and events == reports.keys()
    assert sorted(reports.values(), key=lambda m: int(m.rsplit(" ", 1)[1])) == [f"{MARK} {n}" for n in range(len(reports))]
    for table in written:
        kept = lambda rows: {repr(row) for row in rows}  # noqa: E731
        assert kept(before[table]) <= kept(restored[table]) <= kept(after[table])


@pytest.fixture
def cli(tmp_path):
    """Run `flask backup` on a given database, with settings (in an app context, as `flask` gives one)."""
    def run(database_url: str, *args: str, **settings):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test", **settings})
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["backup", *args])
            db.engine.dispose()
        return result
    return run


def test_bad_backup_paths_are_refused_in_plain_words(app, cli, tmp_path):
    url = db.engine.url.render_as_string(hide_password=False)
    cases = {
        str(tmp_path / "missing" / "site.backup"): "does not exist",
        str(tmp_path): "is a directory",
    }
    (tmp_path / "taken.backup").write_text("an earlier backup")
    cases[str(tmp_path / "taken.backup")] = "already exists"
    for path, says in cases.items():
        result = cli(url, path)
        assert result.exit_code != 0 and says in result.output, (path, result.output)
    assert (tmp_path / "taken.backup").read_text() == "an earlier backup"
    assert cli(url, str(tmp_path / "taken.backup"), "--overwrite").exit_code == 0
    assert not list(tmp_path.glob(".*.partial"))


def test_backing_up_sqlite_onto_itself_is_refused(tmp_path, cli):
    database = tmp_path / "site.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)")
    conn.close()
    result = cli(f"sqlite:///{database}", str(database), "--overwrite")
    assert result.exit_code != 0 and "is the database itself" in result.output
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("kept",)]
    conn.close()


def test_a_missing_pg_dump_is_named(cli, tmp_path):
    result = cli("postgresql+psycopg://nobody@127.0.0.1:1/none", str(tmp_path / "site.backup"),
                 PG_DUMP=str(tmp_path / "no-such" / "pg_dump"))
    assert result.exit_code != 0
    assert "pg_dump was not found at" in result.output and "no-such" in result.output
