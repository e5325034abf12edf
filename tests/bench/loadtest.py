"""How do the main public pages hold up under many visitors at once? `make loadtest`.

Serves the demo with the README's production command (gunicorn 'directory:create_app()' with
the repository's gunicorn.conf.py: threaded workers that keep connections alive; 2 workers here) on a fresh SQLite database in a temporary folder, set up the way a deploy
is (migrations, towns, the seed, `feeds warm` for this address), and drives each page from
a second process with wrk: 200 open connections for 60 s a page, 10 s client timeout. A bare
Flask app under the same gunicorn settings, measured in the same run, is the yardstick.

The target is no failures at all: no 5xx, no socket errors, no timeouts. Run it quickly with
`make loadtest LOADTEST_ARGS="--duration 5"`; the exit status is 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from tests.bench import wrk
from tests.bench.servers import CONFIG, GunicornSettings, Server

ROOT = Path(__file__).resolve().parents[2]
SETUP_TIMEOUT_S = 600  # each set-up command; towns and the seed take seconds
PRIVATE = ("near=Bolton", "q=support")  # what a visitor typed: must appear in no server log


@dataclass(frozen=True)
class Page:
    name: str
    server: Server
    path: str
    expect: int = 200
    if_none_match: str = ""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per page (default 60)")
    parser.add_argument("--connections", type=int, default=200, help="open connections (default 200)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument("--only", default="", help="load only the pages whose name holds this (and the yardstick)")
    return parser.parse_args(argv)


def flask(env: dict[str, str], *args: str) -> None:
    """One `flask --app directory ...` command, as a deploy runs it; its output is shown on failure."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "directory", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=SETUP_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def prepare_database(env: dict[str, str], site_url: str) -> None:
    """The Makefile's `db` and `run` steps on the temporary database."""
    flask(env, "db", "upgrade")
    flask(env, "gazetteer", "load-towns")
    flask(env, "seed")
    flask(env, "feeds", "warm", "--url", site_url)


def group_slug(env: dict[str, str]) -> str:
    """A published peer group from the seed: its page works out next sessions, the most a service page does."""
    from sqlalchemy import select

    from directory import create_app
    from directory.extensions import db
    from directory.models import Schedule, Service

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    with app.app_context():
        slug = db.session.scalar(
            select(Service.slug).join(Schedule, Schedule.service_id == Service.id)
            .where(Service.status == "published", Schedule.kind == "session").order_by(Service.id).limit(1)
        )
        db.engine.dispose()
    if not slug:
        raise RuntimeError("the seed has no published group with sessions")
    return slug


def answer(url: str, if_none_match: str = "") -> tuple[int, str]:
    """The status and ETag of one GET (304 and errors included, which urllib would raise)."""
    request = urllib.request.Request(url, headers={"If-None-Match": if_none_match} if if_none_match else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("ETag", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("ETag", "")


def pages(site: Server, hello: Server, slug: str) -> list[Page]:
    etag = answer(site.url + "/calendar.ics")[1]
    if not etag:
        raise RuntimeError("/calendar.ics sent no ETag")
    return [
        Page("hello (yardstick)", hello, "/"),
        Page("search near a town", site, "/search?near=Bolton&radius=10&category=peer-support"),
        Page("search with words", site, "/search?q=support"),
        Page("service page", site, f"/services/{slug}"),
        Page("meetings", site, "/meetings"),
        Page("calendar feed", site, "/calendar.ics"),
        Page("calendar feed, revalidated", site, "/calendar.ics", expect=304, if_none_match=etag),
    ]


def measure(page: Page, args: argparse.Namespace) -> wrk.Result:
    """Check the page answers as expected once, load it, then wait for the server's queue to drain."""
    status = answer(page.server.url + page.path, page.if_none_match)[0]
    if status != page.expect:
        raise RuntimeError(f"{page.name}: {page.path} answered {status} before any load, not {page.expect}")
    result = wrk.run(page.server.url + page.path, connections=args.connections, duration_s=args.duration,
                     threads=args.threads, if_none_match=page.if_none_match)
    page.server.wait_ready("/healthz" if page.server.name == "site" else "/")
    return result


def duration(ms: float, partial: bool = False) -> str:
    """Milliseconds in words; `*` when slower answers were left out (wrk's timeouts)."""
    mark = "*" if partial else ""
    if ms >= 1000:
        return f"{ms / 1000:.2f} s{mark}"
    return (f"{ms:.1f} ms" if ms < 10 else f"{ms:.0f} ms") + mark


def table(rows: list[tuple[Page, wrk.Result]]) -> str:
    """The results as a plain-text table, one row a page."""
    yardstick = rows[0][1].per_second or 1.0
    head = ("page", "path", "req/s", "x hello", "p50", "p99", "answers", "errors", "socket c/r/w", "timeouts")
    body = [
        (page.name, page.path, f"{r.per_second:.1f}", f"{r.per_second / yardstick:.3f}",
         duration(r.p50_ms, r.timeouts > 0), duration(r.p99_ms, r.timeouts > 0),
         " ".join(f"{code}:{n}" for code, n in sorted(r.statuses.items())) or "none",
         str(r.errors), f"{r.connect_errors}/{r.read_errors}/{r.write_errors}", str(r.timeouts))
        for page, r in rows
    ]
    widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]
    numeric = {2, 3, 4, 5, 7, 9}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    notes = (f"timeouts: wrk's count of answers slower than {wrk.CLIENT_TIMEOUT_S} s, plus, every 2 s, each connection "
             f"then waiting longer; * p50/p99 of the answers within {wrk.CLIENT_TIMEOUT_S} s only.")
    return "\n".join([line(head), "  ".join("-" * w for w in widths), *map(line, body), notes])


def misses(rows: list[tuple[Page, wrk.Result]]) -> list[str]:
    """Every way the run fell short of the target: failed answers, socket errors, timeouts."""
    found = []
    for page, r in rows:
        unexpected = sum(n for code, n in r.statuses.items() if 200 <= code < 400 and code != page.expect)
        for count, what in ((r.errors, "error answers"), (unexpected, f"good answers other than {page.expect}"),
                            (r.socket_errors, "socket errors"), (r.timeouts, "timeouts"), (r.requests == 0, "no answers")):
            if count:
                found.append(f"{page.name}: {int(count)} {what}")
    return found


def leaked(servers: tuple[Server, ...]) -> list[str]:
    """Names of servers whose log holds anything a visitor typed (it must hold none)."""
    return [s.name for s in servers if any(term in s.log_text() for term in PRIVATE)]


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `with` blocks, which stop the servers


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wrk.command()
    for signum in (signal.SIGTERM, signal.SIGHUP):  # a kill, or the terminal closing
        signal.signal(signum, _stop_on_signal)
    settings = GunicornSettings(workers=args.workers)
    with tempfile.TemporaryDirectory(prefix="directory-loadtest-") as tmp, ExitStack() as running:
        workdir = Path(tmp)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'directory.sqlite3'}",
               "SECRET_KEY": secrets.token_hex(32)}
        site = Server("site", "directory:create_app()", settings, env, workdir, ROOT)
        hello = Server("hello", "tests.bench.hello:create_app()", settings, env, workdir, ROOT)
        print(f"Setting up a fresh database in {workdir} ...", flush=True)
        prepare_database(env, site.url + "/")
        slug = group_slug(env)
        for server in (site, hello):
            running.enter_context(server)
        site.wait_ready("/healthz")
        hello.wait_ready("/")
        print(f"wrk: {args.connections} connections, {args.threads} threads, {args.duration} s a page, "
              f"{wrk.CLIENT_TIMEOUT_S} s timeout. gunicorn ({CONFIG.name}): {settings.describe()}. "
              f"{os.cpu_count()} CPUs.", flush=True)
        rows = []
        for page in pages(site, hello, slug):
            if page.server is not hello and args.only not in page.name:
                continue
            rows.append((page, measure(page, args)))
            print(f"  {page.name}: {rows[-1][1].per_second:.1f} req/s", flush=True)
        print(table(rows))
        print("Worker RSS after the load: " + "; ".join(
            f"{s.name} " + ", ".join(f"{mb:.0f} MB" for mb in s.worker_rss_mb()) for s in (site, hello)
        ), flush=True)
        private = leaked((site, hello))
    problems = misses(rows) + [f"{name}: a search term is in its log" for name in private]
    print("Target met: no error answers, no socket errors, no timeouts." if not problems
          else "Target missed:\n  " + "\n  ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; the servers are stopped.", file=sys.stderr)
        sys.exit(130)
