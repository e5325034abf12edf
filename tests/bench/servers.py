"""Gunicorn servers for the load test: loopback only, access log off, always stopped.

Each server runs in a session of its own, so a Ctrl-C at the terminal reaches only the
driver, which then stops the server's whole process group (master and workers) itself.
"""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"  # never anything but loopback
CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"  # the production settings
STOP_WAIT_S = 40.0  # gunicorn's graceful shutdown takes up to its 30 s graceful timeout


@dataclass(frozen=True)
class GunicornSettings:
    """The README's production command: gunicorn.conf.py, with the number of workers chosen here."""

    workers: int = 2

    def args(self) -> list[str]:
        # No access log (the config sets none), so no query string is logged.
        # No control socket: it defaults to one path per user (~/.gunicorn), shared by every server.
        return ["--config", str(CONFIG), "--workers", str(self.workers), "--no-control-socket"]

    def describe(self) -> str:
        conf = runpy.run_path(str(CONFIG))
        return (f"{self.workers} {conf['worker_class']} workers x {conf['threads']} threads, "
                f"backlog {conf['backlog']}, timeout {conf['timeout']} s, no access log")


def free_port() -> int:
    """A port nobody on loopback is listening on (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn serving app_spec (e.g. "directory:create_app()") on a loopback port."""

    def __init__(self, name: str, app_spec: str, settings: GunicornSettings, env: dict[str, str],
                 workdir: Path, pythonpath: Path) -> None:
        self.name = name
        self.app_spec = app_spec
        self.settings = settings
        self.env = {k: v for k, v in env.items() if k != "GUNICORN_CMD_ARGS"}
        self.workdir = workdir  # also the cwd, so no ./gunicorn.conf.py from elsewhere is read
        self.pythonpath = pythonpath
        self.port = free_port()
        self.log = workdir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{self.port}", *self.settings.args(),
            "--error-logfile", str(self.log), "--pythonpath", str(self.pythonpath), self.app_spec,
        ]
        self.process = subprocess.Popen(
            command, cwd=self.workdir, env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, path: str, within_s: float = 60.0) -> None:
        """Block until path answers (which also means the queue ahead of it has drained)."""
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited early:\n{self.log_text()}")
            try:
                # One long wait, not retries: each retry would join the back of the queue again.
                with urllib.request.urlopen(self.url + path, timeout=max(0.1, deadline - time.monotonic())):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"{self.name}: {path} did not answer within {within_s:.0f} s:\n{self.log_text()}")

    def stop(self) -> None:
        """Stop master and workers (SIGTERM, then SIGKILL if they linger); safe to call twice."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_WAIT_S)
        except ProcessLookupError:
            pass

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (the master's children), in MB, read from /proc (Linux)."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split() if children.exists() else []:
            status = Path(f"/proc/{pid}/status")
            rss = next((line for line in status.read_text().splitlines() if line.startswith("VmRSS:")), "") if status.exists() else ""
            if rss:
                sizes.append(int(rss.split()[1]) / 1024)
        return sizes

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else "(no log)"

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
