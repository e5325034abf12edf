"""HAProxy (Debian's /usr/sbin/haproxy) of a test's own, on a free port of 127.0.0.1, sharing
requests between app servers in turn; each answer says which server made it (X-Served-By).

It runs in the foreground under the test, from a config written to a temporary folder: never
the machine's service.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.servers import free_port, listening

CONFIG = """\
defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend site
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    http-response set-header X-Served-By %s
{servers}
"""


# /usr/sbin is not on everyone's PATH.
HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)


class HAProxy:
    """A round-robin balancer in front of backends ({name: port}), every request to the next one."""

    def __init__(self, backends: dict[str, int]) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="directory-haproxy-"))
        servers = "\n".join(f"    server {name} 127.0.0.1:{port}" for name, port in backends.items())
        self.config = self.root / "haproxy.cfg"
        self.config.write_text(CONFIG.format(port=self.port, servers=servers))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HAProxy:
        # -db: stay in the foreground, so stopping the process stops the balancer.
        self.process = subprocess.Popen([str(HAPROXY), "-db", "-f", str(self.config)], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        process = self.process
        if listening(self.port, running=lambda: process.poll() is None):
            return self
        self.__exit__()
        raise RuntimeError(f"haproxy did not start within 10 s: {process.stderr.read().decode(errors='replace')}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)
