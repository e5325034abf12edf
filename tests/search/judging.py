"""Scoring search against judged queries: what a person would see in the first results."""

from __future__ import annotations

import re

SLUG = re.compile(r'href="/services/([a-z0-9-]+)"')


def slugs_for(client, **params) -> list[str]:
    """The services on the first page of /search, in order (the JSON API gives the same)."""
    response = client.get("/api/v1/services", query_string=params)
    assert response.status_code == 200
    return [item["slug"] for item in response.get_json()["items"]]


def every_slug_for(client, **params) -> list[str]:
    """The services on every page of /search, in order."""
    found: list[str] = []
    page = 1
    while True:
        body = client.get("/api/v1/services", query_string={**params, "page": page}).get_json()
        found.extend(item["slug"] for item in body["items"])
        if page >= body["pages"]:
            return found
        page += 1
