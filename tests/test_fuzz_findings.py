"""Each 5xx the role fuzzer (tests/test_fuzz_roles.py) found, kept as a plain test that failed before its fix."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.models import Schedule
from tests.support.forms import csrf_token
from tests.support.people import client_as


@pytest.mark.parametrize("path", ["/api/v1/services/{big}", "/manage/services/{big}", "/staff/changes/{big}",
                                  "/services/{slug}/sessions/{big}/2026-12-08.ics"])
def test_an_id_longer_than_any_database_holds_is_not_found(app, people, path):
    client = client_as(app, people, "admin")
    for big in (2**31, 2**63, 2**80):
        response = client.get(path.format(big=big, slug=people.service_a.slug))
        assert response.status_code == 404, (big, response.status_code)


@pytest.mark.parametrize("boxes", [["99999999999999999999", "1", "2026"], ["1", "99999999999999999999", "2026"]])
def test_a_day_or_month_too_long_for_a_number_is_a_form_error(app, people, boxes):
    client = client_as(app, people, "facilitator_a")
    url = f"/manage/services/{people.service_a.id}/schedules/{people.schedule_a.id}"
    before = people.schedule_a.dtstart
    form = {"kind": "session", "freq": "WEEKLY", "interval": "1", "day": "TU", "position": "", "bymonthday": "",
            "dtstart": boxes, "until": ["", "", ""], "opens_at": "7pm", "closes_at": "", "attending_type": "in-person",
            "online_url": "", "joining_details": "", "notes": ""}
    response = client.post(url, data={**form, "csrf_token": csrf_token(client, url)})
    assert response.status_code == 200
    assert "Enter a real date, for example 17 3 2026" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Schedule, people.schedule_a.id).dtstart == before


@pytest.mark.parametrize("path", ["/services/a%00b", "/services/a%00b.ics", "/services/a%00b/report-a-problem",
                                  "/s/a%00b", "/s/a%00b.ics", "/stages/a%1Fb", "/account/set-password/a%00b"])
def test_a_control_character_in_a_path_is_not_found(client, path):
    # PostgreSQL cannot compare text with NUL at all: asking it was a 500 there.
    assert client.get(path).status_code == 404


def test_a_control_character_in_the_staff_search_or_a_facilitate_link_is_dropped(app, people):
    client = client_as(app, people, "staff")
    assert client.get("/staff/services?q=a%00b&status=draft").status_code == 200
    assert client.get("/account/facilitate?service=a%00b").status_code == 200
