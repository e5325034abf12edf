"""Fetching another directory's JSON: a timeout on every request, a few retries for a server that
is down or busy, and an answer that is not JSON (an HTML error page, say) refused with a message."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from flask import current_app

MAX_BYTES = 20 * 1024 * 1024


class FeedProblem(ValueError):
    """A feed that could not be fetched or read; the message says what happened."""


def get_json(url: str) -> Any:
    """The JSON at `url`, with the app's FEED_TIMEOUT (seconds a request) and FEED_TRIES."""
    return fetch_json(url, current_app.config["FEED_TIMEOUT"], current_app.config["FEED_TRIES"])


def fetch_json(url: str, timeout: float, tries: int, pause: float = 0.5) -> Any:
    if not url.startswith(("http://", "https://")):
        raise FeedProblem(f"{url} is not a web address (it should start with https://)")
    last = ""
    for attempt in range(tries):
        if attempt:
            time.sleep(pause * attempt)
        try:
            request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "directory-import"})
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked above)
                body = response.read(MAX_BYTES + 1)
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            last = f"{url} answered {exc.code} {exc.reason}"
            if exc.code < 500 and exc.code != 429:
                break  # asking again will not help
            continue
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last = f"{url} did not answer ({'it took too long' if isinstance(reason, TimeoutError) or 'timed out' in str(reason) else reason})"
            continue
        if len(body) > MAX_BYTES:
            raise FeedProblem(f"{url} sent more than {MAX_BYTES // 1024 // 1024} MB; nothing was imported")
        try:
            return json.loads(body)
        except ValueError:
            raise FeedProblem(f"{url} did not answer with JSON (it sent {kind}); is this the feed's address?") from None
    raise FeedProblem(f"{last}, after {tries} tries; nothing was changed")
