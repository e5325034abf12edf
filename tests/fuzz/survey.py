"""What each role can see: pages by route and every form on them, found by following links.

The walk starts from every GET route of the URL map that can be built from the demo data
and follows the links each page shows, so a path value only a page knows (a session's
date, a change request's number) is found the way a person finds it.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect, Rule

from tests.fuzz.htmlforms import Field, Form, read

FETCHES_PER_ROUTE = 1  # one page of each route is read for its forms and links; the demo data makes the rest alike
VALUES_PER_ROUTE = 6  # path values kept per route for the GET fuzzer
FORMS_PER_ROUTE = 4
MAX_FETCHES = 200


def route_id(rule: Rule) -> str:
    """A route's name in reports: endpoint and pattern (one endpoint can have two patterns)."""
    return f"{rule.endpoint} {rule.rule}"


@dataclass(frozen=True)
class FoundForm:
    form: Form
    route: str
    page: str
    role: str


@dataclass
class Survey:
    """Everything found: path values by route, POST forms by the route they send to, and the
    GET forms' fields by route (the query string names a page itself uses)."""

    values: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    forms: dict[str, list[FoundForm]] = field(default_factory=lambda: defaultdict(list))
    query_fields: dict[str, dict[str, Field]] = field(default_factory=lambda: defaultdict(dict))
    names: set[str] = field(default_factory=set)
    dictionary: set[str] = field(default_factory=set)
    dates: set[tuple[str, str, str]] = field(default_factory=set)
    fetched: int = 0

    def add_values(self, route: str, args: dict[str, Any]) -> bool:
        kept = self.values[route]
        if args in kept or len(kept) >= VALUES_PER_ROUTE:
            return False
        kept.append(args)
        self.dates.update(d for v in args.values() if (d := _date_boxes(v)))
        return True

    def add_form(self, found: FoundForm) -> None:
        shape = _shape(found.form)
        kept = self.forms[found.route]
        if len(kept) < FORMS_PER_ROUTE and all(_shape(k.form) != shape or k.role != found.role for k in kept):
            kept.append(found)
        for f in found.form.fields:
            self.names.add(f.name)
            if len(f.defaults) == 3 and all(f.defaults):
                self.dates.add(f.defaults)
            if f.name != "csrf_token":
                self.dictionary.update(v for v in (*f.defaults, *f.options) if len(v) < 200)

    def merge(self, other: Survey) -> None:
        for route, kept in other.values.items():
            for args in kept:
                self.add_values(route, args)
        for found_forms in other.forms.values():
            for found in found_forms:
                self.add_form(found)
        for route, fields in other.query_fields.items():
            self.query_fields[route].update(fields)
        self.names |= other.names
        self.dictionary |= other.dictionary
        self.dates |= other.dates
        self.fetched += other.fetched

    def forms_for(self, route: str, role: str) -> list[FoundForm]:
        """The forms sending to a route, as `role` saw them if it did, otherwise as another role did."""
        found = self.forms.get(route, [])
        own = [f for f in found if f.role == role]
        return own or found


def _date_boxes(value: Any) -> tuple[str, str, str] | None:
    """A date the site put in a path (a session's day), as the day, month and year boxes would hold it."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None
    return (str(day.day), str(day.month), str(day.year)) if day else None


def _shape(form: Form) -> tuple:
    """Forms alike but for the CSRF token are one form; hidden values tell variants apart."""
    return form.action, tuple((f.name, f.kind, f.defaults if f.hidden and f.name != "csrf_token" else ())
                              for f in form.fields)


def match(app: Flask, url: str, method: str) -> tuple[Rule, dict[str, Any]] | None:
    """The route a path would reach, with its path values; None for no route."""
    adapter = app.url_map.bind("localhost")
    try:
        rule, args = adapter.match(urlsplit(url).path, method=method, return_rule=True)
    except (HTTPException, RequestRedirect):
        return None
    return rule, args


def start_urls(app: Flask, values: dict[str, Any], overrides: dict[str, dict[str, Any]]) -> list[str]:
    """Every GET route that the known path values can build."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        known = {**values, **overrides.get(rule.endpoint, {})}
        needed = set(rule.arguments) - set(rule.defaults or {})
        if needed - set(known):
            continue
        built = rule.build({k: known[k] for k in rule.arguments if k in known}, append_unknown=False)
        if built:
            urls.append(built[1])
    return sorted(urls)


def walk(app: Flask, client, role: str, starts: Iterable[str], environ: Callable[[], dict]) -> Survey:
    """Read pages as `role`, breadth first from `starts`, following links to routes not yet read."""
    survey = Survey()
    queue, seen = deque(starts), set()
    reads: dict[str, int] = defaultdict(int)
    while queue and survey.fetched < MAX_FETCHES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        found = match(app, url, "GET")
        if found is None:
            continue
        rule, args = found
        route = route_id(rule)
        survey.add_values(route, args)
        if reads[route] >= FETCHES_PER_ROUTE:
            continue
        reads[route] += 1
        response = client.get(url, environ_base=environ())
        survey.fetched += 1
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = read(response.get_data(as_text=True), url)
        _learn(app, survey, page, url, role)
        for link in page.links:
            survey.dictionary.update(v for _, v in parse_qsl(urlsplit(link).query) if len(v) < 200)
            if link not in seen:
                queue.append(link)
    return survey


def _learn(app: Flask, survey: Survey, page, url: str, role: str) -> None:
    for form in page.forms:
        method = "POST" if form.method == "post" else "GET"
        found = match(app, form.action, method)
        if found is None:
            continue
        rule, args = found
        if method == "POST":
            survey.add_form(FoundForm(form, route_id(rule), url, role))
        else:
            survey.query_fields[route_id(rule)].update({f.name: f for f in form.fields})
            survey.names.update(f.name for f in form.fields)
            survey.dictionary.update(v for f in form.fields for v in (*f.defaults, *f.options))
