"""Accounts for tests: a facilitator of service A, one of service B, staff and an admin, and a
signed-in client for each. Import the fixtures into a test module to use them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from directory import clock
from directory.accounts import members
from directory.extensions import db
from directory.models import ChangeRequest, FacilitatorRequest, Feedback, Schedule, Service, User
from directory.schedules import recurrence
from tests.forms import csrf_token, post  # noqa: F401  (tests import them from here too)

PASSWORD = "a long test passphrase"
ROLES = ("anonymous", "facilitator_a", "facilitator_b", "staff", "admin")


@dataclass
class People:
    service_a: Service
    service_b: Service
    schedule_a: Schedule
    users: dict[str, User]

    def next_session_day(self) -> str:
        now = clock.now_in(self.schedule_a.timezone)
        return recurrence.upcoming(self.schedule_a, now, limit=2)[1].original_date.isoformat()


def _weekly_group(exclude: int | None = None) -> tuple[Service, Schedule]:
    stmt = (select(Schedule).join(Service)
            .where(Service.status == "published", Schedule.kind == "session", Schedule.freq == "WEEKLY",
                   Schedule.until.is_(None), Schedule.count.is_(None))
            .order_by(Service.id))
    if exclude is not None:
        stmt = stmt.where(Service.id != exclude)
    sched = db.session.scalars(stmt).first()
    return sched.service, sched


@pytest.fixture
def people(app) -> People:
    return make_people()


def make_people() -> People:
    """The four accounts and their services, in the current app context's database."""
    service_a, schedule_a = _weekly_group()
    service_b, _ = _weekly_group(exclude=service_a.id)
    users = {
        "facilitator_a": members.create_user("fac.a@example.org", "facilitator", "Ash", PASSWORD),
        "facilitator_b": members.create_user("fac.b@example.org", "facilitator", "Bea", PASSWORD),
        "staff": members.create_user("staff@example.org", "staff", "Sam", PASSWORD),
        "admin": members.create_user("admin@example.org", "admin", "Ada", PASSWORD),
    }
    users["facilitator_a"].services.append(service_a)
    users["facilitator_b"].services.append(service_b)
    db.session.commit()
    return People(service_a, service_b, schedule_a, users)


def waiting_for_staff(people: People) -> dict[str, int]:
    """One of each thing staff deal with, about service A: a change to approve, a report, a facilitator's request."""
    a = people.service_a
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
