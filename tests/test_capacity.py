"""Spaces now: said by the facilitator, live at once, shown with its date, filterable, and
unknown (never a stale "yes") after 30 days."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from directory import clock
from tests.support.factories import reload
from tests.support.forms import post
from tests.support.hsds_schemas import errors
from tests.support.people import client_as


def _search(app, **args) -> str:
    return app.test_client().get("/search", query_string=args).get_data(as_text=True)


def test_a_facilitator_says_there_are_spaces_and_it_shows_at_once_then_goes_stale(app, people):
    a = people.service_a
    facilitator = client_as(app, people, "facilitator_a")
    assert f"/services/{a.slug}\"" not in _search(app, has_spaces="y")
    response = post(facilitator, f"/manage/services/{a.id}/spaces", {"spaces": "yes"})
    assert response.status_code == 302
    today = clock.today_in("Europe/London")
    assert reload(app, a).spaces_said_on == today
    page = app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
    assert "Spaces now:</strong> Yes, there are spaces" in page
    assert f"/services/{a.slug}\"" in _search(app, has_spaces="y")
    assert "Yes, there are spaces" in _search(app, q=a.name)
    api = app.test_client().get(f"/api/v1/services/{a.id}").get_json()
    assert api["spaces"] == {"status": "yes", "text": "Yes, there are spaces", "said_on": today.isoformat()}
    hsds = app.test_client().get(f"/hsds/services/{a.uuid}").get_json()
    assert (hsds["x_spaces"], hsds["x_spaces_said_on"]) == ("yes", today.isoformat())
    assert errors("service.json", hsds) == [], "an extension field, so the official schema still holds"

    with time_machine.travel(clock.now() + timedelta(days=31), tick=False):
        assert app.test_client().get(f"/api/v1/services/{a.id}").get_json()["spaces"] is None
        assert "x_spaces" not in app.test_client().get(f"/hsds/services/{a.uuid}").get_json()
        page = app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
        assert "Yes, there are spaces" not in page and "Spaces now:</strong> not known" in page
        assert f"/services/{a.slug}\"" not in _search(app, has_spaces="y")


def test_a_full_service_is_not_found_by_has_spaces_and_bad_answers_are_refused(app, people):
    a = people.service_a
    facilitator = client_as(app, people, "facilitator_a")
    post(facilitator, f"/manage/services/{a.id}/spaces", {"spaces": "full"})
    assert f"/services/{a.slug}\"" not in _search(app, has_spaces="y")
    page = post(facilitator, f"/manage/services/{a.id}/spaces", {"spaces": "lots"}, follow_redirects=True)
    assert "Choose whether there are spaces" in page.get_data(as_text=True)
    assert reload(app, a).spaces == "full"
    other = client_as(app, people, "facilitator_b")
    assert post(other, f"/manage/services/{a.id}/spaces", {"spaces": "yes"}).status_code == 404
