"""The production server settings under many searches at once: a worker must never crash.

With gunicorn's threaded workers (gthread, 4 threads a worker) a search page under 50 kept-alive
connections crashed workers (SIGSEGV in the garbage collector, on SQLite and PostgreSQL alike):
connections were cut and the page managed a sixth of its speed. This runs the real
gunicorn.conf.py under wrk, the load test's own client."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.bench import wrk
from tests.bench.servers import GunicornSettings, Server

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("wrk") is None, reason="needs Debian's wrk (.ci/run installs it)")
def test_a_search_under_fifty_connections_is_always_answered_and_no_worker_crashes(template, tmp_path):
    url, remove = template.copy()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "concurrent",
           "DIRECTORY_MAIL_FILE_PATH": str(tmp_path / "outbox")}
    try:
        with Server("site", "directory:create_app()", GunicornSettings(workers=2), env, tmp_path, ROOT) as server:
            server.wait_ready("/healthz")
            result = wrk.run(server.url + "/search?q=support", connections=50, duration_s=4, threads=2)
            log = server.log_text()
    finally:
        remove()
    assert "SIGSEGV" not in log, log[-2000:]
    assert result.errors == 0 and result.socket_errors == 0 and result.per_second > 0
