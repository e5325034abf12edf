"""Low-risk list buttons checked by where the browser says the post came from, not by a token.

A CSRF token lives in the session, so every page showing an "Add to my list" button would hand
each new visitor a session cookie, and no shared cache could keep public pages. Adding a public
service to one's own list is the only harm a forged post could do here, so these few views
(`same_site_only`) are exempt from Flask-WTF's token and instead refuse a post that the browser
marks as coming from another site: `Sec-Fetch-Site` (Fetch Metadata, sent by every current
browser), else an `Origin` or `Referer` naming another host. Our pages send no referrer, so a
same-site post from a browser without Fetch Metadata may carry neither; it is allowed. Every
other form keeps its session CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import render_template, request

from directory.extensions import csrf

# "none" is a person's own action (a bookmark, the address bar); "same-site" could be another
# host under the same registrable domain, which this site does not trust.
TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})
REFUSAL = ("That button only works on this site's own pages",
           "Nothing was changed. Go to the page on this site and press the button there.")


def from_another_site() -> bool:
    """True when the browser says the request came from a page on another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in TRUSTED_FETCH_SITES
    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value and value != "null":
            return urlsplit(value).netloc != request.host
    return False


def same_site_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Exempt `view` from the session CSRF token and refuse cross-site posts with a 403."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if from_another_site():
            title, detail = REFUSAL
            if request.accept_mimetypes.best == "application/json":
                return {"ok": False, "message": f"{title}. {detail}"}, 403
            return render_template("errors/error.html", title=title, detail=detail, code=403), 403
        return view(*args, **kwargs)

    return csrf.exempt(checked)
