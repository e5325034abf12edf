"""A browser per role: its own cookies, its own address for every request, and its session's CSRF token.

A fresh address per request keeps the per-address rate limits (5 sign-ins a minute...)
in the path of every request without ever stopping the fuzzer with a 429.
"""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask
from werkzeug.datastructures import MultiDict

from tests.fuzz.htmlforms import read
from tests.support.people import PASSWORD

SIGN_IN = "/account/sign-in"
_addresses = itertools.count(1)


def new_address() -> dict[str, str]:
    n = next(_addresses)
    return {"REMOTE_ADDR": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"}


class Visitor:
    """One role's browser. `email` is None for a visitor without an account."""

    def __init__(self, app: Flask, role: str, email: str | None):
        self.app, self.role, self.email = app, role, email
        self.client = app.test_client()
        self._token: tuple[Any, str] | None = None

    def get(self, url: str, **kwargs: Any):
        return self.client.get(url, environ_base=new_address(), **kwargs)

    def post(self, url: str, pairs: list[tuple[str, str]], **kwargs: Any):
        return self.client.post(url, data=MultiDict(pairs), environ_base=new_address(), **kwargs)

    def session_value(self, key: str) -> Any:
        with self.client.session_transaction() as session:
            return session.get(key)

    def token(self, page: str) -> str:
        """The CSRF token for this session, read from `page` again only when the session has a new one."""
        raw = self.session_value("csrf_token")
        if self._token is None or raw is None or self._token[0] != raw:
            html = self.get(page).get_data(as_text=True)
            value = next((f.defaults[0] for form in read(html, page).forms for f in form.fields
                          if f.name == "csrf_token" and f.defaults), None)
            if value is None:  # a page this role may not see: any page gives the session's token
                return self.token(SIGN_IN) if page != SIGN_IN else ""
            self._token = (self.session_value("csrf_token"), value)
        return self._token[1]

    def signed_in_as(self) -> str | None:
        """Flask-Login's "id.session-token" for whoever this browser is signed in as."""
        return self.session_value("_user_id")

    def start_again(self, expected: str | None) -> None:
        """A new browser, signed in as this role's account (whose "id.token" is `expected`)."""
        self.client = self.app.test_client()
        self._token = None
        if self.email is None:
            return
        response = self.post(SIGN_IN, [("csrf_token", self.token(SIGN_IN)), ("email", self.email),
                                       ("password", PASSWORD)])
        assert response.status_code == 302 and self.signed_in_as() == expected, \
            f"{self.role} could not sign in again: {response.status_code}"
