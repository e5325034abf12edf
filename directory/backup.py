"""A consistent copy of the database, taken while the site keeps serving.

SQLite: the online backup API copies a snapshot page by page under a read lock, so a
write in progress is either wholly in the copy or not at all. PostgreSQL: pg_dump reads
one snapshot (a repeatable-read transaction) and writes a custom-format archive that
pg_restore loads. Either way the copy is written beside the target and renamed into
place only when complete, so a failed backup never leaves a half-file under its name.
The restore steps are in the README ("Backup and restore").
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# Where Debian and Ubuntu install each PostgreSQL version's programs, newest last when sorted.
POSTGRES_BIN_DIRS = "/usr/lib/postgresql/*/bin"


class BackupError(Exception):
    """Why no backup was written, in words an operator can act on."""


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str
    size: int


def backup(database_url: str | URL, target: Path, pg_dump: str = "", overwrite: bool = False) -> Backup:
    """Write a consistent copy of the database at `database_url` to `target`."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups cover SQLite and PostgreSQL; this database is {backend}.")
    target = _checked_target(Path(target), overwrite)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if backend == "sqlite":
            kind = _sqlite(url, target, partial)
        else:
            kind = _postgres(url, partial, find_program("pg_dump", pg_dump))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, kind, target.stat().st_size)


def _checked_target(target: Path, overwrite: bool) -> Path:
    if target.is_dir():
        raise BackupError(f"{target} is a folder: give the backup a file name, e.g. {target / 'directory.backup'}")
    folder = target.parent
    if not folder.is_dir():
        raise BackupError(f"The folder {folder} does not exist: create it first, or choose another.")
    if not os.access(folder, os.W_OK):
        raise BackupError(f"Cannot write in the folder {folder}.")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists: choose another name, or pass --overwrite to replace it.")
    return target


def _sqlite(url: URL, target: Path, partial: Path) -> str:
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        raise BackupError("This SQLite database is in memory: there is no file to back up.")
    source_path = Path(database)
    if not source_path.is_file():
        raise BackupError(f"The database file {source_path} does not exist.")
    if source_path.resolve() == target.resolve():
        raise BackupError(f"{target} is the database itself: write the backup somewhere else.")
    # Read-only, so a backup can never change the live database; wait out writers' brief locks.
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)  # every page in one step: one snapshot, however busy the site is
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy the database: {exc}") from exc
    finally:
        copy.close()
        source.close()
    if check != "ok":
        raise BackupError(f"The copy failed SQLite's check ({check}); nothing was written.")
    return "a copy of the SQLite database"


def find_program(name: str, explicit: str = "") -> str:
    """A PostgreSQL client program: the one configured, else on PATH, else the newest installed version."""
    if explicit:
        found = shutil.which(explicit)
        if not found:
            raise BackupError(f"{name} was not found at {explicit}: check the setting that points to it.")
        return found
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(glob.glob(f"{POSTGRES_BIN_DIRS}/{name}"), key=_version)
    if installed:
        return installed[-1]
    raise BackupError(
        f"{name} was not found: install PostgreSQL's client programs (Debian: apt install postgresql-client) "
        f"or set DIRECTORY_PG_DUMP to where pg_dump is."
    )


def _version(program: str) -> tuple[int, ...]:
    """9.6 before 15: by the number of the version folder, not its spelling."""
    name = Path(program).parent.parent.name
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def libpq_uri(url: URL) -> str:
    """The database's address as PostgreSQL's own programs take it, without the password
    (that goes in PGPASSWORD, so it is not on a command line anyone can list)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def postgres_env(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def _postgres(url: URL, partial: Path, program: str) -> str:
    command = [program, "--format=custom", f"--file={partial}", f"--dbname={libpq_uri(url)}"]
    try:
        done = subprocess.run(command, env=postgres_env(url), capture_output=True, text=True)
    except OSError as exc:
        raise BackupError(f"Could not run {program}: {exc}") from exc
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise BackupError(f"pg_dump failed: {said}")
    return "a pg_dump archive (custom format: restore it with pg_restore)"
