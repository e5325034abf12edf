"""Every form of the site as every role, with hostile values; every GET route with odd paths and queries.

Routes come from the URL map and forms from the pages themselves (tests/fuzz/survey.py),
so a new form is fuzzed without anyone adding it here. What must hold:
- never a 5xx;
- a refused submission changes nothing in the database (every table, row by row);
- a GET changes nothing in the database but its caches;
- after an accepted change, every public page and feed, and the touched services' pages, still answer.
`make fuzz` (FUZZ_PROFILE=campaign) runs a long campaign and prints requests and refusals per route.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from directory import create_app, vocab
from directory.extensions import db
from directory.mail import sending
from tests.fuzz import budget, public, snapshot, values, world
from tests.fuzz.htmlforms import Form, read
from tests.fuzz.survey import FoundForm, Survey, route_id, start_urls, walk
from tests.fuzz.tally import TALLY
from tests.fuzz.verdict import SIGN_IN, flashes, judge
from tests.fuzz.visitors import Visitor, new_address
from tests.support.clock import travel
from tests.support.people import PASSWORD, ROLES

_routes_app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "SECRET_KEY": "routes"})
RULES = {route_id(rule): rule for rule in _routes_app.url_map.iter_rules()}
POST_ROUTES = sorted(r for r, rule in RULES.items() if "POST" in rule.methods)
GET_ROUTES = sorted(r for r, rule in RULES.items() if "GET" in rule.methods)
# Fields a person types their password into: filled with the accounts' one, so changing it can succeed.
PASSWORD_FIELDS = ("password", "confirm", "current")


class Tracebacks(logging.Handler):
    """The app logs each unhandled error with its traceback: kept to explain a 500."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(self.format(record))


@dataclass
class Site:
    app: Flask
    engine: Engine
    cast: world.Cast
    survey: Survey
    tracebacks: Tracebacks
    visitors: dict[str, Visitor] = field(default_factory=dict)
    last: snapshot.Snapshot | None = None
    posted: Counter = field(default_factory=Counter)

    def visitor(self, role: str) -> Visitor:
        """This role's browser, its account put back and signed in as it was (the start of each example)."""
        self.tracebacks.seen.clear()
        if world.restore(self.app, self.cast):
            self.last = None
        visitor = self.visitors.get(role)
        expected = self.cast.expected_session(role)
        if visitor is None:
            visitor = self.visitors[role] = Visitor(self.app, role, self.cast.emails[role])
            visitor.start_again(expected)
        elif visitor.signed_in_as() != expected:
            visitor.start_again(expected)
        if not visitor.session_value("shortlist"):  # so "share", "reorder" and "note" have a list to act on
            world.fill_list(self.app, visitor, self.cast.service_slug)
            TALLY.others += 2
        return visitor

    def before(self) -> snapshot.Snapshot:
        """The database now: what the last request left, unless accounts were put back since."""
        return self.last or self.after()

    def after(self) -> snapshot.Snapshot:
        self.last = snapshot.take(self.engine, db.metadata)
        return self.last

    def explain(self, what: str, response) -> str:
        trace = self.tracebacks.seen[-1] if self.tracebacks.seen else "(nothing logged)"
        return f"{what} answered {response.status_code}\n{trace}"


@pytest.fixture(scope="module")
def _module_clock():
    """The pinned instant once for the module, then moving on: sessions, CSRF tokens and set-password
    links made by one test stay good in the next (signed times from "the future" are refused)."""
    with travel():
        yield


@pytest.fixture(autouse=True)
def _clock_at_pinned_instant(_module_clock):
    """Instead of conftest's per-test reset: here the clock only goes forward, as on a real site."""
    yield


@pytest.fixture(scope="module")
def site(template, _module_clock, tmp_path_factory):
    """One database for the whole module: examples build on what earlier ones left, as a real site does."""
    url, remove = template.copy()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "fuzz",
                      "MAIL_FILE_PATH": str(tmp_path_factory.mktemp("outbox"))})
    tracebacks = Tracebacks()
    app.logger.addHandler(tracebacks)
    cast = world.build(app)
    with app.app_context():
        engine = db.engine  # kept for snapshots; requests push app contexts of their own, as in production
    fuzz_site = Site(app, engine, cast, Survey(), tracebacks)
    starts = start_urls(app, cast.values, cast.overrides)
    for role in ROLES:
        fuzz_site.survey.merge(walk(app, fuzz_site.visitor(role).client, role, starts, new_address))
    yield fuzz_site
    sending.wait_for_senders()
    engine.dispose()
    app.logger.removeHandler(tracebacks)
    remove()


def test_every_form_is_found(site):
    """Each route that takes a POST is reached by a form some role is shown: otherwise the fuzzer cannot fill it in."""
    missing = [route for route in POST_ROUTES if not site.survey.forms.get(route)]
    assert not missing, (f"no page shows a form that sends to {missing}: give the walk a way to it "
                         "(a path value in tests/fuzz/world.py, or a link on a page)")


def _known(site: Site) -> values.Known:
    """The site's own values (options, filled-in fields, link parameters), plus the accounts' emails and password."""
    emails = tuple(sorted(e for e in site.cast.emails.values() if e))
    hints = (("email", emails + ("someone@example.org",)), *((name, (PASSWORD,)) for name in PASSWORD_FIELDS),
             *values.PLAUSIBLE)
    return values.Known(tuple(sorted(site.survey.dictionary | set(emails) | {PASSWORD})), tuple(sorted(site.survey.names)),
                        hints, tuple(sorted(site.survey.dates)))


def _as_shown_now(visitor: Visitor, found: FoundForm) -> Form | None:
    """The form as its page shows it to this visitor now (current values and CSRF token), if it does."""
    response = visitor.get(found.page)
    TALLY.others += 1
    if response.status_code != 200 or response.mimetype != "text/html":
        return None
    names = [f.name for f in found.form.fields]
    same = [f for f in read(response.get_data(as_text=True), found.page).forms
            if f.method == "post" and f.action == found.form.action]
    return next((f for f in same if [x.name for x in f.fields] == names), same[0] if same else None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", POST_ROUTES)
def test_every_form_as_every_role(site, route, role):
    found = site.survey.forms_for(route, role)
    if not found:
        pytest.fail(f"no form sends to {route} (see test_every_form_is_found)")
    known = _known(site)
    all_stages = tuple(t.code for t in vocab.STAGES)

    @budget.for_posts()
    @given(data=st.data())
    def submit(data):
        target = data.draw(st.sampled_from(found), label="form")
        drawn = data.draw(values.form_data(target.form, known), label="fields")
        visitor = site.visitor(role)
        # Sent with what the page holds now where a field is left alone (its CSRF token, the listing's
        # version...), as a person's browser would; a page this role may not see gives the form
        # another role saw, with this session's token.
        shown = _as_shown_now(visitor, target)
        pairs = values.as_sent(drawn, shown or target.form)
        if shown is None:
            token = visitor.token(target.page)
            pairs = [(name, token if name == "csrf_token" else value) for name, value in pairs]
        before = site.before()
        response = visitor.post(target.form.action, pairs)
        assert response.status_code < 500, site.explain(f"POST {target.form.action} as {role}", response)
        verdict = judge(response, flashes(visitor.client), target.page)
        after = site.after()
        changed = before.rows != after.rows
        TALLY.count("POST", route, verdict.refused, changed)
        site.posted[route] += 1
        if verdict.refused:
            assert not changed, (f"POST {target.form.action} as {role} was refused ({verdict.why}) but changed "
                                 f"the database (counts {before.counts()} -> {after.counts()}, "
                                 f"{before.digest()[:12]} -> {after.digest()[:12]}):\n"
                                 + snapshot.describe(before, after))
        if 300 <= response.status_code < 400:
            landing = visitor.get(response.headers["Location"])
            TALLY.others += 1
            assert landing.status_code < 500, site.explain(f"the page after POST {target.form.action}", landing)
        if changed and not verdict.refused:
            _check_public_pages(site, before, after, f"POST {target.form.action} as {role}", all_stages)

    submit()


def test_every_post_route_was_sent_something(site, request):
    """Every POST route of the URL map got at least one submission (of the ones whose tests ran)."""
    ran = {item.callspec.params["route"] for item in request.session.items
           if item.originalname == "test_every_form_as_every_role"}
    if not ran:
        pytest.skip("the form tests were not selected")
    assert not [route for route in sorted(ran) if not site.posted[route]]


def _check_public_pages(site: Site, before, after, what: str, all_stages: tuple[str, ...]) -> None:
    reader = site.app.test_client()
    failures = []
    for path, status in public.pages(before, after, all_stages):
        response = reader.get(path, environ_base=new_address())
        TALLY.others += 1
        if response.status_code != status:
            failures.append(site.explain(f"{path} (wanted {status})", response))
    assert not failures, f"after {what}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", GET_ROUTES)
def test_every_get_route_as_every_role(site, route, role):
    rule = RULES[route]
    real = site.survey.values.get(route, [])
    needed = sorted(set(rule.arguments) - set(rule.defaults or {}))
    fields = list(site.survey.query_fields.get(route, {}).values())
    known = _known(site)

    @budget.for_gets()
    @given(data=st.data())
    def ask(data):
        args = {name: data.draw(values.path_value(rule._converters[name], [v[name] for v in real if name in v]),
                                label=name) for name in needed}
        built = rule.build(args, append_unknown=False)
        if built is None:
            return
        query = data.draw(values.query(fields, known), label="query")
        visitor = site.visitor(role)
        before = site.before()
        response = visitor.get(built[1], query_string=query)
        assert response.status_code < 500, site.explain(f"GET {built[1]} ? {query!r} as {role}", response)
        after = site.after()
        assert before.rows == after.rows, (f"GET {built[1]} changed the database:\n" + snapshot.describe(before, after))
        signed_out = response.status_code == 302 and response.headers.get("Location", "").startswith(SIGN_IN)
        TALLY.count("GET", route, refused=response.status_code >= 400 or signed_out)

    ask()
