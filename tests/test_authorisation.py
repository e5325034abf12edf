"""Every route × anonymous / facilitator of A / facilitator of B / staff / admin, from the app's URL map.

A route the table below does not classify fails the test, so no new page can be
forgotten; every HTML response is also checked for the security headers.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from tests.support.forms import csrf_token
from tests.support.people import ROLES, client_as, kept_upload, registered_source, waiting_for_staff

# Blueprints whose every route is open to everyone (people looking for support need no account).
PUBLIC_BLUEPRINTS = {None, "public", "meetings", "feeds", "api", "apidocs", "hsds", "health", "shortlist", "report",
                     "mail", "review"}
STAFF_BLUEPRINTS = {"staff", "signposting", "organisations", "venues", "imports"}
PUBLIC, SIGNED_IN, SERVICE, STAFF, ADMIN = "public", "signed-in", "service", "staff", "admin"
ACCESS = {
    "account.sign_in": PUBLIC,
    "account.sign_out": PUBLIC,
    "account.set_password": PUBLIC,
    "account.forgot_password": PUBLIC,
    "account.facilitate": PUBLIC,
    "account.forgot_password_sent": PUBLIC,
    "account.facilitate_sent": PUBLIC,
    "account.change_password": SIGNED_IN,
    "account.email_settings": SIGNED_IN,
    "manage.dashboard": SIGNED_IN,
    "manage.new_group": SIGNED_IN,
    "manage.service": SERVICE,
    "manage.details": SERVICE,
    "manage.check": SERVICE,
    "manage.edit_schedule": SERVICE,
    "manage.delete_schedule": SERVICE,
    "manage.change_session": SERVICE,
    "manage.spaces": SERVICE,
    "manage.restore_session": SERVICE,
    "staff.deactivate": ADMIN,
}
# Form values that make a POST a real attempt rather than an empty form.
POST_DATA = {"staff.set_status": {"status": "archived"}}

OK = {200, 302, 303}


def access(rule: Rule) -> str:
    if rule.endpoint in ACCESS:
        return ACCESS[rule.endpoint]
    blueprint = rule.endpoint.rpartition(".")[0] or None
    if blueprint in STAFF_BLUEPRINTS:
        return STAFF
    if blueprint in PUBLIC_BLUEPRINTS:
        return PUBLIC
    pytest.fail(f"{rule.endpoint} ({rule.rule}) is not classified: add it to ACCESS in {__name__}")


def expected(level: str, role: str) -> str:
    """'open' (no sign-in needed), 'sign-in', 'ok', 'forbidden' or 'not-found'."""
    if level == PUBLIC:
        return "open"
    if role == "anonymous":
        return "sign-in"
    if level == SIGNED_IN:
        return "ok"
    if level == SERVICE:
        return "not-found" if role == "facilitator_b" else "ok"
    if level == STAFF:
        return "ok" if role in ("staff", "admin") else "forbidden"
    return "ok" if role == "admin" else "forbidden"


def _values(app, people) -> dict[str, object]:
    a = people.service_a
    return {
        "slug": a.slug, "service_id": a.id, "schedule_id": people.schedule_a.id, "day": people.next_session_day(),
        "code": "engagement", "token": "not-a-token", "filename": "css/site.css",
        "user_id": people.users["facilitator_b"].id, "object_id": a.uuid, "organisation_id": a.organisation_id,
        "location_id": people.schedule_a.location_id, **waiting_for_staff(people),
        "upload_token": kept_upload(app, people), "source_id": registered_source(app),
    }


def _requests(app, values):
    """(rule, method, url) for every route, sign-out last so it does not end the session early."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "account.sign_out", r.rule)):
        missing = set(rule.arguments) - set(values) - set(rule.defaults or {})
        assert not missing, f"give the authorisation matrix a value for {missing} ({rule.rule})"
        args = {k: values[k] for k in rule.arguments if k in values}
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **args) if rule.defaults is None else rule.build(args)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            found.append((rule, method, url))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_route_lets_in_exactly_who_it_should(app, people, role):
    values = _values(app, people)
    client = client_as(app, people, role)
    token = csrf_token(client)
    failures = []
    for rule, method, url in _requests(app, values):
        want = expected(access(rule), role)
        if method == "POST":
            response = client.post(url, data={"csrf_token": token, **POST_DATA.get(rule.endpoint, {})})
        else:
            response = client.get(url)
        status, location = response.status_code, response.headers.get("Location", "")
        signed_out = status == 302 and "/account/sign-in" in location
        good = {
            "open": status < 500 and status not in (401, 403) and not (signed_out and rule.endpoint != "account.sign_out"),
            "sign-in": signed_out,
            "ok": status in OK and not signed_out,
            "forbidden": status == 403,
            "not-found": status == 404,
        }[want]
        if not good:
            failures.append(f"{method} {url} as {role}: expected {want}, got {status} {location}")
        if response.mimetype == "text/html":
            _check_headers(response, f"{method} {url}", failures)
    assert not failures, "\n".join(failures)


def _check_headers(response, what: str, failures: list[str]) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    checks = {
        "CSP without inline script": "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp,
        "frame-ancestors 'none'": "frame-ancestors 'none'" in csp,
        "nosniff": response.headers.get("X-Content-Type-Options") == "nosniff",
        "no referrer": response.headers.get("Referrer-Policy") == "no-referrer",
        "geolocation for our origin only": "geolocation=(self)" in response.headers.get("Permissions-Policy", ""),
    }
    failures.extend(f"{what}: missing {name}" for name, ok in checks.items() if not ok)
