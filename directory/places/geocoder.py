"""The optional remote geocoder (through geopy): rate-limited for the service's usage policy
and for each visitor, and never told more than a lookup needs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from flask_limiter import RateLimitExceeded
from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderQuotaExceeded
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.location import Location as GeopyLocation

from directory.extensions import limiter

Remote = Callable[[str], GeopyLocation | None]


@dataclass(frozen=True)
class RemoteSettings:
    service: str
    user_agent: str
    timeout: float
    min_delay: float
    domain: str = ""
    scheme: str = ""
    country: str = ""


def remote_geocoder(config: Mapping) -> Remote | None:
    """The configured geopy geocoder behind a rate limiter, or None (the offline default)."""
    if not config.get("GEOCODER"):
        return None
    return _rate_limited(
        RemoteSettings(
            service=config["GEOCODER"],
            user_agent=config["GEOCODER_USER_AGENT"],
            timeout=float(config["GEOCODER_TIMEOUT"]),
            min_delay=float(config["GEOCODER_MIN_DELAY"]),
            domain=config.get("GEOCODER_DOMAIN") or "",
            scheme=config.get("GEOCODER_SCHEME") or "",
            country=config.get("GEOCODER_COUNTRY") or "",
        )
    )


@lru_cache(maxsize=4)
def _rate_limited(settings: RemoteSettings) -> Remote:
    """One limiter per configuration, shared by every request, so the service's usage policy is kept."""
    # geopy logs each request's URL, the place someone typed, at debug level: never let it.
    logging.getLogger("geopy").setLevel(logging.WARNING)
    # urllib, not requests: geopy picks requests whenever it is installed (a test tool brings it), and
    # urllib3 logs every URL it fetches at debug level. urllib logs nothing.
    options = {"user_agent": settings.user_agent, "timeout": settings.timeout, "adapter_factory": URLLibAdapter}
    options |= {name: value for name, value in (("domain", settings.domain), ("scheme", settings.scheme)) if value}
    geocoder = get_geocoder_for_service(settings.service)(**options)
    limited = RateLimiter(
        geocoder.geocode, min_delay_seconds=settings.min_delay, max_retries=0, swallow_exceptions=False
    )
    # Nominatim searches the world unless told which country we mean.
    extra = {"country_codes": settings.country} if settings.service == "nominatim" and settings.country else {}
    return lambda query: limited(query, **extra)


def limited_per_visitor(remote: Remote | None, limit: str) -> Remote | None:
    """The remote geocoder as one visitor's searches may use it. Each lookup can take
    seconds and the service allows about one a second for everyone, so past `limit`
    a search is answered as if the service were busy (our gazetteer still works)."""
    if remote is None:
        return None

    def ask(query: str) -> GeopyLocation | None:
        try:
            with limiter.limit(limit):
                return remote(query)
        except RateLimitExceeded as exc:
            raise GeocoderQuotaExceeded("this visitor's share of lookups is used up") from exc

    return ask
