"""One wrk run against one URL, read back as numbers.

loadtest.lua's `done` hook prints a line of JSON (latency percentiles, answers by status,
socket errors), which is sturdier to read than wrk's own text, whose units change with size.

wrk (4.1) counts timeouts two ways in one number: each answer slower than --timeout (whose
latency it then leaves out of the percentiles), and, every 2 s, each connection then waiting
longer than --timeout. It never gives up on a request: the timeout is only counted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("loadtest.lua")
MARK = "LOADTEST_JSON "
CLIENT_TIMEOUT_S = 10  # a request slower than this counts as a timeout


@dataclass(frozen=True)
class Result:
    """What wrk saw: answers by status, latency of the answers within the timeout, socket trouble."""

    requests: int
    duration_s: float
    statuses: dict[int, int]
    p50_ms: float
    p99_ms: float
    max_ms: float
    connect_errors: int
    read_errors: int
    write_errors: int
    timeouts: int  # wrk's own count (see the module's docstring)

    @property
    def per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def errors(self) -> int:
        """Answers that are not 2xx or 3xx (304 is a good answer to a revalidation)."""
        return sum(n for code, n in self.statuses.items() if not 200 <= code < 400)

    @property
    def socket_errors(self) -> int:
        return self.connect_errors + self.read_errors + self.write_errors


def command() -> str:
    """wrk's path, or a clear message saying how to get it."""
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is missing: install Debian's wrk package (`make loadtest` does it with apt-get)")
    return found


def run(url: str, *, connections: int, duration_s: int, threads: int, if_none_match: str = "") -> Result:
    """Drive url with `connections` open connections for `duration_s` seconds."""
    args = [
        command(), f"--threads={min(threads, connections)}", f"--connections={connections}",
        f"--duration={duration_s}s", f"--timeout={CLIENT_TIMEOUT_S}s", f"--script={SCRIPT}", url,
        "--", if_none_match,
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=duration_s + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)


def parse(output: str) -> Result:
    """The Result in the JSON line the Lua `done` hook wrote."""
    lines = [line for line in output.splitlines() if line.startswith(MARK)]
    if not lines:
        raise RuntimeError(f"wrk printed no {MARK.strip()} line:\n{output}")
    data = json.loads(lines[-1][len(MARK):])
    errors, latency = data["errors"], data["latency_us"]
    return Result(
        requests=data["requests"],
        duration_s=data["duration_us"] / 1e6,
        statuses={int(code): n for code, n in data["statuses"].items()},
        p50_ms=latency["p50"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        connect_errors=errors["connect"],
        read_errors=errors["read"],
        write_errors=errors["write"],
        timeouts=errors["timeout"],
    )
