"""The demo data plus what every form needs to be on show: an account per role, a change to approve,
a report, a facilitator's request, an invitation link, a shared list, a cancelled session, a
draft listing waiting to be published, a reminder to check a listing and an unsubscribe link.

Accounts are put back before every example, so one example's sign-out, deactivation or new
password does not decide what the next one can reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from directory.accounts import audit, members
from directory.extensions import db
from directory.listings import reminders, schedule_changes
from directory.mail import links
from directory.models import ChangeRequest, ReviewReminder, Schedule, Service, User
from directory.schedules.changes import ScheduleValues
from directory.signposting import lists
from tests.fuzz.htmlforms import read
from tests.fuzz.survey import match
from tests.fuzz.visitors import Visitor
from tests.support.factories import ScheduleFactory, ServiceFactory
from tests.support.people import ROLES, kept_upload, make_people, registered_source, waiting_for_staff

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Account:
    active: bool
    password_hash: str | None
    session_token: str
    role: str
    service_ids: tuple[int, ...]


@dataclass(frozen=True)
class Cast:
    """Plain values (no ORM objects outlive the app context that made them)."""

    emails: dict[str, str | None]
    values: dict[str, Any]
    overrides: dict[str, dict[str, Any]]
    accounts: dict[int, Account]
    user_ids: dict[str, int]
    service_slug: str
    statuses: dict[int, str]

    def expected_session(self, role: str) -> str | None:
        if role == ANONYMOUS:
            return None
        user_id = self.user_ids[role]
        return f"{user_id}.{self.accounts[user_id].session_token}"


def _account(user: User) -> Account:
    return Account(user.active, user.password_hash, user.session_token, user.role,
                   tuple(sorted(s.id for s in user.services)))


def build(app: Flask) -> Cast:
    with app.app_context():
        people = make_people(app)
        waiting = waiting_for_staff(people)
        # An invitation not yet taken up: its set-password link stays good because the account is put back.
        invitee = members.create_user("invitee@example.org", "facilitator", "Ivy")
        db.session.commit()
        shared = lists.share([{"id": people.service_a.id, "note": "ask for Sam"}])
        # Its "Check your answers" page shows the publish form.
        draft = ServiceFactory(name="A draft listing, not yet published", status="draft")
        # A schedule of group A's for the delete form, so deleting it leaves schedule_a for every other route.
        spare = ScheduleFactory(service=db.session.get(Service, people.service_a.id), byday="FR")
        # A reminder to check group A, so its "Yes, it's all still right" page is on show.
        reminder = ReviewReminder(service_id=people.service_a.id, email=people.users["facilitator_a"].email)
        db.session.add(reminder)
        db.session.commit()
        conflicting = _schedule_change_since_overtaken(people.schedule_a.id)
        users = {role: people.users[role] for role in ROLES if role != ANONYMOUS}
        cast = Cast(
            emails={ANONYMOUS: None, **{role: u.email for role, u in users.items()}},
            values={"slug": people.service_a.slug, "service_id": people.service_a.id,
                    "schedule_id": people.schedule_a.id, "code": "engagement", "filename": "css/site.css",
                    "user_id": people.users["facilitator_b"].id, "location_id": people.schedule_a.location_id, "token": members.password_token(invitee), **waiting,
                    "upload_token": kept_upload(app, people), "source_id": registered_source(app)},
            overrides={"shortlist.shared": {"token": shared.token}, "shortlist.shared_calendar": {"token": shared.token},
                       "manage.check": {"service_id": draft.id}, "manage.delete_schedule": {"schedule_id": spare.id},
                       "mail.unsubscribe": {"token": links.unsubscribe_token(people.users["staff"].email, "digest")},
                       "review.check": {"token": reminders.token_for(reminder)},
                       "staff.change": {"change_id": conflicting}},
            accounts={u.id: _account(u) for u in db.session.scalars(select(User))},
            user_ids={role: u.id for role, u in users.items()},
            service_slug=people.service_a.slug,
            statuses={s.id: s.status for s in (people.service_a, people.service_b, draft)},
        )
    _cancel_a_session(app, cast)
    return cast


def _schedule_change_since_overtaken(schedule_id: int) -> int:
    """A facilitator's schedule change made before the schedule changed again, so its page shows
    the conflict and the "approve anyway" box."""
    sched = db.session.get(Schedule, schedule_id)
    live = audit.plain(ScheduleValues.of(sched).as_dict())
    req = ChangeRequest(service_id=sched.service_id, kind=schedule_changes.KIND, before={**live, "notes": "As it was then"},
                        changes={"action": schedule_changes.CHANGE, "schedule_id": sched.id, "values": {**live, "byday": "WE"}},
                        base_version=sched.sequence)
    db.session.add(req)
    db.session.commit()
    return req.id


def _cancel_a_session(app: Flask, cast: Cast) -> None:
    """Through the pages, as the group's facilitator, so the "restore this session" form is on show
    (the date comes from the page: tests do not read the clock)."""
    visitor = Visitor(app, "facilitator_a", cast.emails["facilitator_a"])
    visitor.start_again(cast.expected_session("facilitator_a"))
    page = f"/manage/services/{cast.values['service_id']}"
    links = read(visitor.get(page).get_data(as_text=True), page).links
    session_page = next(link for link in links if (m := match(app, link, "GET")) and m[0].endpoint == "manage.change_session")
    form = next(f for f in read(visitor.get(session_page).get_data(as_text=True), session_page).forms if f.method == "post"
                and match(app, f.action, "POST")[0].endpoint == "manage.change_session")
    pairs = [(n, v) for n, v in form.default_pairs() if n not in ("status", "note")]
    response = visitor.post(form.action, [*pairs, ("status", "cancelled"), ("note", "Venue closed")])
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]


def fill_list(app: Flask, visitor: Visitor, slug: str) -> None:
    """Put a service on the visitor's list with the service page's own button, so the list's forms show."""
    page = f"/services/{slug}"
    form = next(f for f in read(visitor.get(page).get_data(as_text=True), page).forms
                if (m := match(app, f.action, "POST")) and m[0].endpoint == "shortlist.add")
    response = visitor.post(form.action, form.default_pairs())
    assert response.status_code == 303, response.status_code


def restore(app: Flask, cast: Cast) -> bool:
    """Every account as it was made (active, its password, its session token, its role and services),
    and the facilitators' services published again. True if anything had to be put back."""
    changed = False
    with app.app_context():
        for service in db.session.scalars(select(Service).where(Service.id.in_(cast.statuses))):
            if service.status != cast.statuses[service.id]:
                service.status, changed = cast.statuses[service.id], True
        for user in db.session.scalars(select(User).where(User.id.in_(cast.accounts))):
            want = cast.accounts[user.id]
            if _account(user) == want:
                continue
            user.active, user.password_hash, user.session_token, user.role = (
                want.active, want.password_hash, want.session_token, want.role)
            user.services = list(db.session.scalars(select(Service).where(Service.id.in_(want.service_ids))))
            changed = True
        db.session.commit()
    return changed
