"""Real PostgreSQL, Redis and SMTP servers of a test's own, on free ports of 127.0.0.1, for fault tests.

A fault test stops and starts its server; the machine's shared servers are never touched.
Each server lives in a temporary folder that is removed when its `with` block ends.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller
from flask import Flask
from werkzeug.serving import make_server


def free_port() -> int:
    """A port nothing listens on just now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int, within_s: float = 10.0, running: Callable[[], bool] = lambda: True) -> bool:
    """Whether something takes connections on port within within_s; False as soon as running() is False."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline and running():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server programs on this machine, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _run_as() -> list[str] | None:
    """initdb and postgres refuse to run as root: as root, run them as the postgres user.
    None when that is impossible (root, but no such user)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    return ["runuser", "-u", "postgres", "--"]


def postgres_missing() -> str:
    """Why a private PostgreSQL server cannot start here, or "" when it can."""
    if postgres_bin() is None:
        return "PostgreSQL's initdb and pg_ctl are not installed"
    if _run_as() is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        return "running as root without a postgres user (or runuser) to start PostgreSQL as"
    return ""


class PostgresServer:
    """A throwaway cluster: trust auth for "postgres", fsync off (nothing here must survive a crash)."""

    def __init__(self) -> None:
        self.bindir = postgres_bin()
        self.port = free_port()
        self.prefix = _run_as() or []
        self.root = Path(tempfile.mkdtemp(prefix="directory-pg-"))
        self.data = self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, timeout=60)

    def __enter__(self) -> PostgresServer:
        try:
            if self.prefix:
                entry = pwd.getpwnam("postgres")
                os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--no-sync", "--no-instructions")
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c synchronous_commit=off")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                  "-o", options, "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        """"fast" ends every connection at once, as a restart by an operator or a host does."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def create_database(self, name: str) -> str:
        self._run(str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "-c", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def __exit__(self, *exc: object) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """redis-server on a free port, keeping nothing on disk."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="directory-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        if listening(self.port, running=lambda: self.process.poll() is None):
            return self
        self.stop()
        raise RuntimeError("redis-server did not start within 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def __exit__(self, *exc: object) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app on werkzeug's threaded server (a thread per request, as gunicorn's threads would), at its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


class _Keeper:
    """aiosmtpd's handler: it looks its hooks up by name, so it holds nothing else."""

    def __init__(self, messages: list[EmailMessage]) -> None:
        self.messages = messages

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a free port of 127.0.0.1, keeping every message it is given; stop() and start()
    again on the same port, as a mail server restarting would."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.controller: Controller | None = None

    @property
    def config(self) -> dict[str, object]:
        """The app settings that send to this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_TIMEOUT": 5}

    def start(self) -> None:
        self.controller = Controller(_Keeper(self.messages), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
