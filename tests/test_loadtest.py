"""The load test's reading of wrk and its verdict (the load itself is `make loadtest`, not a test)."""

from __future__ import annotations

import runpy

from tests.bench import wrk
from tests.bench.loadtest import Page, misses, table
from tests.bench.servers import CONFIG, GunicornSettings, Server

LINE = (
    'Running 5s test\nRequests/sec: 1.2k\n'
    'LOADTEST_JSON {"duration_us": 5000000, "requests": 1000, "bytes": 9, '
    '"errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}, '
    '"latency_us": {"p50": 2500, "p99": 12000, "max": 20000}, "statuses": {%s}}\n'
)


def test_wrk_json_line_is_read_in_milliseconds_and_304_is_no_error():
    result = wrk.parse(LINE % '"304": 1000')
    assert (result.per_second, result.p50_ms, result.p99_ms, result.errors) == (200.0, 2.5, 12.0, 0)


def test_percentiles_are_marked_when_wrk_left_slower_answers_out(tmp_path):
    server = Server("site", "directory:create_app()", GunicornSettings(), {}, tmp_path, tmp_path)
    slow = wrk.parse(LINE.replace('"timeout": 0', '"timeout": 7') % '"200": 1000')
    rows = [(Page("hello", server, "/"), wrk.parse(LINE % '"200": 1000')), (Page("search", server, "/s"), slow)]
    assert "2.5 ms*" in table(rows).splitlines()[3] and "*" not in table(rows).splitlines()[2]
    assert misses(rows) == ["search: 7 timeouts"]


def test_a_5xx_and_a_revalidation_answered_in_full_miss_the_target(tmp_path):
    server = Server("site", "directory:create_app()", GunicornSettings(), {}, tmp_path, tmp_path)
    rows = [
        (Page("hello", server, "/"), wrk.parse(LINE % '"200": 1000')),
        (Page("search", server, "/search"), wrk.parse(LINE % '"200": 990, "503": 10')),
        (Page("revalidated", server, "/calendar.ics", expect=304), wrk.parse(LINE % '"200": 1000')),
    ]
    assert misses(rows) == ["search: 10 error answers", "revalidated: 1000 good answers other than 304"]
    assert "200:990 503:10" in table(rows)


def test_gunicorn_keeps_its_access_log_off_sync_workers_and_a_backlog_for_every_connection():
    """The load test runs the production settings (gunicorn.conf.py), with only the number of workers its own."""
    args = GunicornSettings().args()
    assert not any(a.startswith("--access-log") for a in args)
    assert args[args.index("--config") + 1] == str(CONFIG)
    assert args[args.index("--workers") + 1] == "2"
    conf = runpy.run_path(str(CONFIG))
    assert conf["accesslog"] is None
    assert conf["worker_class"] == "sync" and conf["threads"] == 1  # threads crashed: tests/test_concurrent_pages.py
    assert conf["backlog"] >= 200
