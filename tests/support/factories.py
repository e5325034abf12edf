"""Rows made for one test (factory_boy), so a test says what its listing is instead of
borrowing one from the demo data and hoping it stays the same.

Factories write through `db.session`, so they run inside an app context:

    with app.app_context():
        group = ScheduleFactory(byday="TH", service__name="Thursday Hearing Voices")
        slug, schedule_id = group.service.slug, group.id

Each call commits, as an edit through the app would. Venues are in Testham, a town that is
not in the demo data (some 20 miles south of Lincoln, over 70 from any demo venue, so no search
within 50 miles of one finds the other), and are put in the gazetteer as the demo's venues are,
so "near Testham" and their postcode find them.
`snapshot(row)` keeps a row's columns for use after the context has gone; `reload(app, row)`
reads them again.
"""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta
from functools import cache

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import inspect

from directory import clock
from directory.accounts import members
from directory.extensions import db
from directory.models import Location, Organisation, Schedule, ScheduleException, Service, ServiceTerm, User
from directory.places import gazetteer
from directory.schedules import recurrence, rules

PASSWORD = "a long test passphrase"
TESTHAM = (52.9, -0.6)
# Which factory parameter fills which vocabulary on a service.
TERMS = {"categories": "category", "stages": "stage", "audiences": "audience", "modes": "mode",
         "referral_routes": "referral", "meeting_types": "meeting_type"}


class _Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731  (the session of the current app context)
        sqlalchemy_session_persistence = "commit"


class OrganisationFactory(_Factory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"testham-trust-{n}")
    name = factory.Sequence(lambda n: f"Testham Recovery Trust {n}")
    phone = "0115 496 0000"


class LocationFactory(_Factory):
    class Meta:
        model = Location

    key = factory.Sequence(lambda n: f"testham-venue-{n}")
    name = "Testham Community Hall"
    address = factory.Sequence(lambda n: f"{n + 1} Mill Street")
    town = "Testham"
    postcode = "TE1 1AA"
    latitude, longitude = TESTHAM
    confidential = False

    @factory.post_generation
    def in_gazetteer(venue, create, extracted, **kwargs):
        if create:
            _place([venue])


class ServiceFactory(_Factory):
    """A published service at one Testham venue; `group=True` makes it a peer group."""

    class Meta:
        model = Service

    class Params:
        categories = ("housing",)
        stages = ("engagement",)
        audiences = ("dual-diagnosis",)
        modes = ("in-person",)
        referral_routes = ("self",)
        meeting_types = ()
        group = factory.Trait(
            group_type="dra", categories=("peer-support",), stages=("relapse-prevention",), meeting_types=("O", "DD"),
            name=factory.Sequence(lambda n: f"Testham Dual Recovery Group {n}"),
            summary="A weekly Dual Recovery Anonymous meeting in Testham.",
        )

    slug = factory.Sequence(lambda n: f"testham-service-{n}")
    name = factory.Sequence(lambda n: f"Testham Housing Advice {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    summary = "Help finding somewhere safe to live in Testham."
    description = "Drop in or phone for advice. You do not need to have stopped using anything."
    status = "published"
    phone = "0115 496 0123"
    languages = factory.LazyFunction(lambda: ["English"])
    locations = factory.LazyFunction(lambda: [LocationFactory.build()])
    terms = factory.LazyAttribute(
        lambda o: [ServiceTerm(kind=kind, code=code) for param, kind in TERMS.items() for code in getattr(o, param)]
    )

    @factory.post_generation
    def in_gazetteer(service, create, extracted, **kwargs):
        if create:
            _place(service.locations)


def _first_day_on_or_after(day: date, byday: str) -> date:
    """The first date from `day` that a weekly rule's first weekday falls on."""
    weekday = rules.DAY_CODES.index(byday.split(",")[0][-2:])
    return day + timedelta(days=(weekday - day.weekday()) % 7)


class ScheduleFactory(_Factory):
    """A peer group's weekly sessions, Tuesdays 7pm to 8:30pm at the group's venue, since eight weeks ago."""

    class Meta:
        model = Schedule

    class Params:
        online = factory.Trait(attending_type="online", online_url="https://meet.example/testham", location=None)

    service = factory.SubFactory(ServiceFactory, group=True)
    kind = "session"
    freq = "WEEKLY"
    interval = 1
    byday = "TU"
    dtstart = factory.LazyAttribute(
        lambda o: _first_day_on_or_after(clock.today_in(o.timezone) - timedelta(weeks=8), o.byday or "MO")
    )
    opens_at = time(19)
    closes_at = time(20, 30)
    timezone = "Europe/London"
    attending_type = "in-person"
    location = factory.LazyAttribute(lambda o: o.service.locations[0] if o.service.locations else None)


class ScheduleExceptionFactory(_Factory):
    """The schedule's next session cancelled, with a note."""

    class Meta:
        model = ScheduleException

    schedule = factory.SubFactory(ScheduleFactory)
    original_date = factory.LazyAttribute(
        lambda o: recurrence.upcoming(o.schedule, clock.now_in(o.schedule.timezone), 1)[0].original_date
    )
    status = "cancelled"
    note = "No meeting this week: the hall is closed"


class UserFactory(_Factory):
    """An account made as the app makes one (members.create_user), with the test password; create only."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person.{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    role = "facilitator"
    password = PASSWORD
    services = factory.LazyFunction(list)

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        user = members.create_user(kwargs["email"], kwargs["role"], kwargs["name"], kwargs["password"])
        user.services.extend(kwargs["services"])
        session.commit()
        return user


FACTORIES = (OrganisationFactory, LocationFactory, ServiceFactory, ScheduleFactory, ScheduleExceptionFactory, UserFactory)


def reset_sequences() -> None:
    """Every test numbers its rows from 0, so names and slugs do not depend on the tests before it."""
    for made in FACTORIES:
        made.reset_sequence()


def _place(venues) -> None:
    gazetteer.add_demo_places(venues)
    db.session.commit()


@cache
def _row_class(model: type) -> type:
    fields = [column.key for column in inspect(model).column_attrs]
    return dataclasses.make_dataclass(f"{model.__name__}Row", fields, frozen=True, namespace={"__model__": model})


def snapshot(row):
    """The row's column values as they are now, to read once its app context has gone.

    Relationships are left out (they would need the session); load the row again inside
    `with app.app_context():` to see what a request has changed since.
    """
    columns = inspect(type(row)).column_attrs
    return _row_class(type(row))(**{column.key: getattr(row, column.key) for column in columns})


def reload(app, row):
    """A new snapshot of `row` as the database holds it now, read in an app context of its own."""
    with app.app_context():
        return snapshot(db.session.get(row.__model__, row.id))
