"""Session cookies that one app server signs and another reads, though the machines' clocks differ.

Flask's cookie session is timestamped to the second, and itsdangerous refuses a signature dated
later than the reader's clock: with several servers a clock a few milliseconds behind sometimes
reads a cookie made "in the future" and drops it, so a visitor's list and form tokens vanish
on the next page (tests/test_several_servers.py found it). A small lead is allowed instead.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import SignatureExpired, TimestampSigner, URLSafeTimedSerializer

CLOCK_SKEW_S = 60  # how far the server that made a cookie may be ahead of the one reading it


class SkewTolerantSigner(TimestampSigner):
    def unsign(self, signed_value: Any, max_age: Any = None, return_timestamp: bool = False) -> Any:
        value, signed_at = super().unsign(signed_value, return_timestamp=True)  # no max_age: no age check
        age = self.get_timestamp() - int(signed_at.timestamp())
        if max_age is not None and not -CLOCK_SKEW_S <= age <= max_age:
            raise SignatureExpired(f"Signature age {age} is outside -{CLOCK_SKEW_S}..{max_age} seconds",
                                   payload=value, date_signed=signed_at)
        return (value, signed_at) if return_timestamp else value


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, its signer tolerant of another server's clock."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        serializer = super().get_signing_serializer(app)
        if serializer is not None:
            serializer.signer = SkewTolerantSigner
        return serializer
