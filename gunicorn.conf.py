"""gunicorn's settings for the site, read from the working directory by the production command
`gunicorn 'directory:create_app()'` and by `make loadtest` (tests/bench/servers.py), so what is
measured is what runs.

Threaded workers (gthread): each keeps its visitors' connections open between requests
(keep-alive), where sync workers close every one and a phone on a slow network pays a new
TCP (and TLS) handshake per page; a slow client holds a thread, not the whole worker. The
database and Redis clients are thread-safe (one SQLAlchemy session per request thread).
Two workers a core keep both cores busy while a thread waits on the database.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"
threads = 4
keepalive = 5  # seconds an idle connection stays open: longer than a person takes to click, on a fast page
backlog = 2048  # the kernel queue that holds connections while every thread is busy
timeout = 30  # a worker silent this long is restarted; far above any page's time
# No access log unless one is configured without the query string: searches and places must not be logged.
accesslog = None
