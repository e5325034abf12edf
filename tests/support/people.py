"""Accounts for tests: a facilitator of group A, one of group B, staff and an admin, and a
signed-in client for each. tests/conftest.py registers the `people` fixture for every test.

The groups are made by factories (tests/support/factories.py): weekly evening groups in
Testham, A on Tuesdays and B on Thursdays. The fixture makes them in an app context of its
own and hands back snapshots of the rows (ids, slugs, names, times as they were made): load a
row again inside `with app.app_context():` to see what a request changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from directory import clock
from directory.extensions import db
from directory.imports import sources, uploads
from directory.models import ChangeRequest, FacilitatorRequest, Feedback, Schedule, Service
from directory.schedules import recurrence
from tests.support.factories import PASSWORD, ScheduleFactory, UserFactory, snapshot
from tests.support.forms import csrf_token, post

__all__ = ["PASSWORD", "ROLES", "People", "client_as", "make_people", "people", "sign_in", "waiting_for_staff"]

ROLES = ("anonymous", "facilitator_a", "facilitator_b", "staff", "admin")


@dataclass
class People:
    app: Flask
    service_a: object
    service_b: object
    schedule_a: object
    users: dict[str, object]

    def next_session_day(self) -> str:
        """The date of group A's session after the next one, as ISO text."""
        with self.app.app_context():
            sched = db.session.get(Schedule, self.schedule_a.id)
            now = clock.now_in(sched.timezone)
            return recurrence.upcoming(sched, now, limit=2)[1].original_date.isoformat()


@pytest.fixture
def people(app) -> People:
    return make_people(app)


def make_people(app: Flask) -> People:
    """The four accounts and their groups, made in an app context of their own."""
    with app.app_context():
        schedule_a = ScheduleFactory(service__name="Oak Street Dual Recovery Anonymous", byday="TU")
        schedule_b = ScheduleFactory(service__name="Mill Lane SMART Recovery", service__group_type="smart", byday="TH")
        service_a, service_b = schedule_a.service, schedule_b.service
        users = {
            "facilitator_a": UserFactory(email="fac.a@example.org", name="Ash", services=[service_a]),
            "facilitator_b": UserFactory(email="fac.b@example.org", name="Bea", services=[service_b]),
            "staff": UserFactory(email="staff@example.org", role="staff", name="Sam"),
            "admin": UserFactory(email="admin@example.org", role="admin", name="Ada"),
        }
        return People(app, snapshot(service_a), snapshot(service_b), snapshot(schedule_a),
                      {role: snapshot(user) for role, user in users.items()})


def waiting_for_staff(people: People) -> dict[str, int]:
    """One of each thing staff deal with, about group A: a change to approve, a report, a facilitator's request."""
    with people.app.app_context():
        a = db.session.get(Service, people.service_a.id)
        change = ChangeRequest(service=a, changes={"name": "New name"}, before={"name": a.name}, base_version=a.version)
        report = Feedback(service=a, message="The phone number is wrong")
        request = FacilitatorRequest(name="Kim", email="kim@example.org", group_name=a.name, service=a)
        db.session.add_all([change, report, request])
        db.session.commit()
        return {"change_id": change.id, "feedback_id": report.id, "request_id": request.id}


def sign_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post("/account/sign-in", data={"email": email, "password": password,
                                                 "csrf_token": csrf_token(client, "/account/sign-in"), **extra})


def client_as(app, people: People, role: str):
    client = app.test_client()
    if role != "anonymous":
        response = sign_in(client, people.users[role].email)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client


def approve_waiting(app, people: People, service_id: int) -> int:
    """Staff approve, in the browser's way, every change waiting on a listing; how many there were."""
    staff = client_as(app, people, "staff")
    with app.app_context():
        ids = list(db.session.scalars(select(ChangeRequest.id).where(
            ChangeRequest.service_id == service_id, ChangeRequest.status == "pending").order_by(ChangeRequest.id)))
    for change_id in ids:
        assert post(staff, f"/staff/changes/{change_id}", {"decision": "approve"}).status_code == 302
    return len(ids)


def kept_upload(app: Flask, people: People) -> str:
    """A spreadsheet staff uploaded and have not yet confirmed: the token its preview is under."""
    with app.app_context():
        return uploads.keep(people.users["staff"], "listings.csv", b"source_id,name\r\nk1,Kept Group\r\n")


def registered_source(app: Flask) -> int:
    """A feed staff registered, at an address where nothing answers (fetching it changes nothing)."""
    with app.app_context():
        return sources.add("Nowhere", "meeting-guide", "http://127.0.0.1:9/meetings.json", 24).id
