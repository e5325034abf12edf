"""Signing in and out, passwords, links, throttling, CSRF and safe redirects."""

from __future__ import annotations

import re

from sqlalchemy import select

from directory.accounts import members
from directory.extensions import db
from directory.models import AuditEvent, FacilitatorRequest
from tests.people import PASSWORD, client_as, csrf_token, people, post, sign_in  # noqa: F401


def test_staff_sign_in_and_land_on_their_pages(client, people):
    response = sign_in(client, "STAFF@example.org ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/")
    assert "Signed in as Sam" in client.get("/staff/").get_data(as_text=True)


def test_unknown_email_and_wrong_password_look_the_same(app, people):
    unknown = sign_in(app.test_client(), "nobody@example.org", PASSWORD)
    wrong = sign_in(app.test_client(), "staff@example.org", "not the password at all")
    assert unknown.status_code == wrong.status_code == 200
    strip = lambda r: re.sub(r'(value|nonce)="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(unknown).replace("nobody@example.org", "X") == strip(wrong).replace("staff@example.org", "X")
    assert "Enter a correct email address and password" in unknown.get_data(as_text=True)


def test_forgotten_password_says_the_same_whether_or_not_the_account_exists(app, people):
    pages = []
    for email in ("nobody@example.org", "fac.a@example.org"):
        client = app.test_client()
        pages.append(post(client, "/account/forgot-password", {"email": email}, follow_redirects=True).get_data(as_text=True))
    assert re.sub(r'nonce="[^"]*"', "", pages[0]) == re.sub(r'nonce="[^"]*"', "", pages[1])
    assert "If there is an account with that email address" in pages[0]
    assert people.users["facilitator_a"].reset_requested_at is not None


def test_sign_in_is_throttled_after_five_tries(client, people):
    for _ in range(5):
        assert sign_in(client, "staff@example.org", "wrong password guess").status_code == 200
    blocked = sign_in(client, "staff@example.org", PASSWORD)
    assert blocked.status_code == 429
    assert "Too many tries" in blocked.get_data(as_text=True)


def test_a_post_without_a_csrf_token_is_refused(client, people):
    response = client.post("/account/sign-in", data={"email": "staff@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Something went wrong with that request" in response.get_data(as_text=True)
    signed_in = client_as(client.application, people, "staff")
    assert signed_in.post(f"/staff/services/{people.service_a.id}/verify").status_code == 400
    assert people.service_a.last_verified_at is None or db.session.refresh(people.service_a) is None


def test_next_only_goes_to_pages_on_this_site(app, people):
    for target, lands in [("/staff/audit", "/staff/audit"), ("https://evil.example/", "/staff/"),
                          ("//evil.example/", "/staff/"), ("/\\evil.example", "/staff/")]:
        client = app.test_client()
        response = sign_in(client, "staff@example.org", next=target)
        assert response.headers["Location"].endswith(lands), target


def test_signing_in_from_a_protected_page_returns_to_it(client, people):
    page = client.get("/staff/feedback")
    assert page.status_code == 302
    form = client.get(page.headers["Location"]).get_data(as_text=True)
    assert 'value="/staff/feedback"' in form


def test_changing_password_signs_out_every_other_session(app, people):
    laptop, phone = client_as(app, people, "facilitator_a"), client_as(app, people, "facilitator_a")
    response = post(laptop, "/account/password", {"current": PASSWORD, "password": "a brand new passphrase",
                                                   "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert laptop.get("/manage/").status_code == 200
    assert phone.get("/manage/").status_code == 302
    assert sign_in(app.test_client(), "fac.a@example.org", "a brand new passphrase").status_code == 302


def test_wrong_current_password_is_shown_on_the_form(app, people):
    client = client_as(app, people, "facilitator_a")
    html = post(client, "/account/password", {"current": "nope", "password": "a brand new passphrase",
                                              "confirm": "a brand new passphrase"}).get_data(as_text=True)
    assert "Your current password is not right" in html and "govuk-error-summary" in html


def test_invitation_link_sets_a_password_once(app, people):
    staff = client_as(app, people, "staff")
    page = post(staff, "/staff/accounts", {"email": "new.facilitator@example.org", "name": "Noor", "role": "facilitator",
                                          "service": str(people.service_a.id)}, follow_redirects=True).get_data(as_text=True)
    link = re.search(r'id="set-password-link"[^>]*>([^<]+)<', page).group(1)
    path = link.split("localhost", 1)[1]
    newcomer = app.test_client()
    assert post(newcomer, path, {"password": "my own passphrase", "confirm": "my own passphrase"}).status_code == 302
    assert newcomer.get(path).status_code == 404
    assert sign_in(newcomer, "new.facilitator@example.org", "my own passphrase").status_code == 302
    assert people.service_a.name in newcomer.get("/manage/").get_data(as_text=True)


def test_staff_cannot_invite_staff_but_an_admin_can(app, people):
    staff = client_as(app, people, "staff")
    html = post(staff, "/staff/accounts", {"email": "x@example.org", "role": "staff", "service": ""}).get_data(as_text=True)
    assert "Not a valid choice" in html
    admin = client_as(app, people, "admin")
    assert "Invitation" in post(admin, "/staff/accounts", {"email": "x@example.org", "role": "staff", "service": ""},
                                follow_redirects=True).get_data(as_text=True)


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(app, people):
    victim = client_as(app, people, "facilitator_b")
    admin = client_as(app, people, "admin")
    post(admin, f"/staff/accounts/{people.users['facilitator_b'].id}/deactivate")
    assert victim.get("/manage/").status_code == 302
    assert sign_in(app.test_client(), "fac.b@example.org").status_code == 200


def test_asking_to_facilitate_reaches_staff_who_invite(app, people):
    visitor = app.test_client()
    path = f"/account/facilitate?service={people.service_a.slug}"
    response = visitor.post(path, data={"csrf_token": csrf_token(visitor, path), "name": "Kim", "email": "kim@example.org",
                                        "group_name": people.service_a.name, "service": people.service_a.slug},
                           follow_redirects=True)
    assert "your request is sent" in response.get_data(as_text=True)
    staff = client_as(app, people, "staff")
    assert "Kim" in staff.get("/staff/facilitator-requests").get_data(as_text=True)
    req = db.session.scalar(select(FacilitatorRequest))
    page = post(staff, f"/staff/facilitator-requests/{req.id}", {"decision": "approve"}, follow_redirects=True).get_data(as_text=True)
    assert "set-password-link" in page
    assert people.service_a in members.find_by_email("kim@example.org").services


def test_a_request_to_facilitate_in_an_admins_name_never_gives_staff_a_link_to_that_account(app, people):
    admin = people.users["admin"]
    visitor = app.test_client()
    path = f"/account/facilitate?service={people.service_a.slug}"
    visitor.post(path, data={"csrf_token": csrf_token(visitor, path), "name": "Not Ada", "email": admin.email,
                             "group_name": people.service_a.name, "service": people.service_a.slug})
    staff = client_as(app, people, "staff")
    req = db.session.scalar(select(FacilitatorRequest))
    page = post(staff, f"/staff/facilitator-requests/{req.id}", {"decision": "approve"}).get_data(as_text=True)
    assert "set-password-link" not in page
    assert "belongs to a staff account" in page
    assert people.service_a not in admin.services


def test_create_user_command_asks_for_a_password(runner, app):
    result = runner.invoke(args=["create-user", "--email", "First@Example.org", "--role", "admin"],
                           input="a long admin passphrase\na long admin passphrase\n")
    assert result.exit_code == 0, result.output
    assert members.authenticate("first@example.org", "a long admin passphrase").role == "admin"
    again = runner.invoke(args=["create-user", "--email", "first@example.org"], input="another passphrase\nanother passphrase\n")
    assert again.exit_code != 0 and "already an account" in again.output


def test_passwords_are_stored_as_scrypt_hashes(people):
    assert people.users["staff"].password_hash.startswith("scrypt:")


def test_session_cookie_is_httponly_and_lax_and_secure_over_https(app, people):
    client = app.test_client()
    response = sign_in(client, "staff@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from directory import create_app

    secure = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "PREFERRED_URL_SCHEME": "https"})
    assert secure.config["SESSION_COOKIE_SECURE"] and secure.config["REMEMBER_COOKIE_SECURE"]


def test_signed_in_pages_are_not_cached(app, people):
    client = client_as(app, people, "staff")
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"


def test_sign_out_ends_the_session(app, people):
    client = client_as(app, people, "staff")
    assert post(client, "/account/sign-out").status_code == 302
    assert client.get("/staff/").status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "password-set")) is None
