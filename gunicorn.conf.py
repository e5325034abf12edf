"""gunicorn's settings for the site, read from the working directory by the production command
`gunicorn 'directory:create_app()'` and by `make loadtest` (tests/bench/servers.py), so what is
measured is what runs.

Sync workers, one request at a time each. Threaded workers (gthread, 4 threads) would keep
connections alive between pages, but under 50 connections a search page crashed them with
SIGSEGV in the garbage collector, on SQLite and PostgreSQL alike (tests/test_concurrent_pages.py
catches it; the cause is not found yet): cut connections and a sixth of the speed. A load
balancer in front keeps the visitors' connections alive instead. Two workers a core keep
both cores busy while one waits on the database.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "sync"
threads = 1  # more than one makes gunicorn use gthread, which crashed (above)
backlog = 2048  # the kernel queue that holds connections while every thread is busy
timeout = 30  # a worker silent this long is restarted; far above any page's time
# No access log unless one is configured without the query string: searches and places must not be logged.
accesslog = None
