"""Posting forms as a browser would: with the CSRF token the page gave."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(client, path: str = "/account/sign-in") -> str:
    html = client.get(path).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post(client, path: str, data: dict | None = None, token_from: str = "/account/sign-in", **kwargs):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **(data or {})}, **kwargs)


def form_on(client, path: str, action: str | None = None) -> dict[str, list[str]]:
    """What a browser would send from the page's form (the one posting to `action`, or to the
    page itself) if the person changed nothing: every box, ticked checkbox and selected option."""
    from tests.fuzz import htmlforms

    page = htmlforms.read(client.get(path).get_data(as_text=True), path)
    form = next(f for f in page.forms if f.method == "post" and f.action.split("?")[0] == (action or path))
    values: dict[str, list[str]] = {}
    for name, value in form.default_pairs():
        values.setdefault(name, []).append(value)
    return values
