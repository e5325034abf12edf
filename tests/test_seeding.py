"""The demo data loads through the one loader, and the CLI loads it only into an empty database."""

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Organisation, Schedule, ScheduleException, Service
from tests.support.seeddata import services


def test_demo_data_is_rich_enough(database):
    count = database.scalar(select(func.count()).select_from(Service))
    orgs = database.scalar(select(func.count()).select_from(Organisation))
    assert count == len(services()) >= 80
    assert orgs >= 25
    towns = {loc.town for s in database.scalars(select(Service)) for loc in s.locations}
    assert len(towns) >= 5
    national = database.scalar(select(func.count()).select_from(Service).where(Service.national.is_(True)))
    assert national >= 5


def test_every_category_and_stage_has_services(client):
    import re

    from directory import vocab

    for term in vocab.CATEGORIES:
        html = client.get(f"/search?category={term.code}").get_data(as_text=True)
        assert not re.search(r"\b0 services", html), term.code
    for term in vocab.STAGES:
        html = client.get(f"/search?stage={term.code}").get_data(as_text=True)
        assert not re.search(r"\b0 services", html), term.code


def test_peer_groups_have_schedules_and_some_exceptions(database):
    groups = database.scalars(select(Service).where(Service.group_type.is_not(None))).all()
    assert len(groups) >= 15
    assert all(any(s.kind == "session" for s in g.schedules) for g in groups)
    statuses = database.scalars(select(ScheduleException.status)).all()
    assert statuses.count("cancelled") >= 3 and statuses.count("moved") >= 1
    assert database.scalar(select(func.count()).select_from(Schedule).where(Schedule.interval == 2))


def test_seed_if_empty_does_not_load_twice(runner, app):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Service))
    result = runner.invoke(args=["seed", "--if-empty"])
    assert result.exit_code == 0
    assert "already has services" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Service)) == before
