"""The HSDS 3.0 API: every page of every list, and a sample of every {id}, validate against the
official schemas; the Page object, filters, CORS, ETags, confidential venues and bad input."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from directory.extensions import db
from directory.models import Location, Organisation, Schedule, Service
from tests.support.clock import pinned, travel
from tests.support.factories import LocationFactory, ScheduleFactory, ServiceFactory
from tests.support.hsds_schemas import errors, page_validator, root_validator

# Each list, the schema of its items, and the schema of one object by its id.
LISTS = {
    "services": ("compiled/service_list.json", "service.json"),
    "organizations": ("compiled/organization_list.json", "organization.json"),
    "service_at_locations": ("compiled/service_at_location_list.json", "service_at_location.json"),
    "taxonomies": ("taxonomy.json", "taxonomy.json"),
    "taxonomy_terms": ("taxonomy_term.json", "taxonomy_term.json"),
}
SAMPLE_EVERY = 4  # every fourth id of each list is fetched whole


def _walk(client, name: str) -> list[dict]:
    """Every page of a list, each checked as a Page; the items of them all."""
    items, page = [], 1
    while True:
        response = client.get(f"/hsds/{name}?page={page}&per_page=10")
        assert response.status_code == 200
        body = response.get_json()
        assert not list(page_validator().iter_errors(body))
        assert body["page_number"] == page and body["size"] == len(body["contents"])
        items += body["contents"]
        if body["last_page"]:
            assert body["total_items"] == len(items) and body["total_pages"] == page
            return items
        page += 1


def test_every_list_page_and_a_sample_of_ids_match_the_official_schemas(client):
    assert not list(root_validator().iter_errors(client.get("/hsds/").get_json()))
    validated = 1
    for name, (item_schema, object_schema) in LISTS.items():
        items = _walk(client, name)
        assert items, name
        for item in items:
            assert errors(item_schema, item) == [], (name, item["id"])
            validated += 1
        for item in items[::SAMPLE_EVERY]:
            whole = client.get(f"/hsds/{name}/{item['id']}")
            assert whole.status_code == 200
            assert errors(object_schema, whole.get_json()) == [], (name, item["id"])
            validated += 1
    print(f"\nHSDS documents validated: {validated}")
    assert validated > 300


def test_the_root_names_the_version_the_profile_and_the_description(client):
    body = client.get("/hsds/").get_json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"].endswith("/api/openapi.json")
    assert "x_iana_timezone` wins" in body["timezone_rule"]


@pytest.mark.parametrize("path", ["/hsds/", "/hsds/services", "/hsds/services/not-a-uuid", "/meetings.json",
                                  "/api/v1/services", "/api/openapi.json", "/hsds/services?page=0"])
def test_cors_is_open_on_every_answer(client, path):
    assert client.get(path).headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/hsds/services", "/hsds/organizations", "/hsds/service_at_locations",
                                  "/hsds/taxonomies", "/hsds/taxonomy_terms", "/meetings.json",
                                  "/api/v1/services", "/api/openapi.json"])
def test_lists_and_feeds_answer_if_none_match_with_304(client, path):
    first = client.get(path)
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=1000", "modified_after=yesterday",
                                   "taxonomy_term_id=nope", "postcode=ZZ", "proximity=0", "day=XX",
                                   "per_page=", "page=1&page=2", "start_time=9:5", "modified_after=2026-02-30",
                                   "start_time=25:00", "minimum_age=-1"])
def test_bad_parameters_are_a_400_in_words(client, query):
    response = client.get(f"/hsds/service_at_locations?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["detail"]


def test_a_well_formed_postcode_we_do_not_know_is_a_404_in_words(client):
    response = client.get("/hsds/service_at_locations?postcode=ZZ9%209ZZ")
    assert response.status_code == 404
    assert response.get_json()["error"]["detail"] == "We couldn't find that postcode"


def test_unknown_ids_are_a_json_404(client):
    for path in ["/hsds/services/3fa85f64-5717-4562-b3fc-2c963f66afa6", "/hsds/taxonomies/nope",
                 "/hsds/organizations/3fa85f64-5717-4562-b3fc-2c963f66afa6"]:
        response = client.get(path)
        assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_a_page_past_the_end_is_empty_with_the_totals(client):
    body = client.get("/hsds/services?page=1000").get_json()
    assert body["empty"] and body["contents"] == [] and body["total_items"] > 0 and body["last_page"]


def test_a_confidential_venue_gives_its_town_only(app, client):
    with app.app_context():
        venue = LocationFactory(name="Refuge House", address="9 Secret Row", postcode="TE9 9ZZ", confidential=True)
        group = ScheduleFactory(location=venue, service__locations=[venue])
        service_id, venue_id, name, latitude = group.service.uuid, venue.uuid, group.service.name, venue.latitude
    whole = client.get(f"/hsds/services/{service_id}").get_data(as_text=True)
    links = client.get(f"/hsds/service_at_locations?search={name}").get_json()["contents"]
    at = client.get(f"/hsds/service_at_locations/{links[0]['id']}").get_data(as_text=True)
    for text in (whole, at):
        assert "Testham" in text and venue_id in text
        for secret in ("Refuge House", "Secret Row", "TE9", str(latitude)):
            assert secret not in text
    assert errors("service.json", client.get(f"/hsds/services/{service_id}").get_json()) == []


def test_schedules_are_hsds_schedules_with_their_iana_zone(app, client):
    with app.app_context():
        group = ScheduleFactory(byday="TU", interval=2)
        service_id = group.service.uuid
    (schedule,) = client.get(f"/hsds/services/{service_id}").get_json()["schedules"]
    assert schedule["freq"] == "WEEKLY" and schedule["interval"] == 2 and schedule["byday"] == "TU"
    assert schedule["opens_at"] == "19:00" and schedule["closes_at"] == "20:30"
    assert schedule["x_iana_timezone"] == "Europe/London" and schedule["timezone"] in (0.0, 1.0)
    assert schedule["description"].startswith("Every other Tuesday") or "Tuesday" in schedule["description"]


def _names(client, query: str, name: str = "services") -> set[str]:
    body = client.get(f"/hsds/{name}?per_page=100&{query}").get_json()
    assert body["total_items"] <= 100
    return {item["name"] for item in body["contents"]} if name == "services" else {
        item["service_id"] for item in body["contents"]}


def test_filters_combine_as_and(app, client):
    with app.app_context():
        young = ServiceFactory(name="Testham Youth Housing", min_age=16, max_age=25)
        adult = ServiceFactory(name="Testham Adult Housing", min_age=26)
        group = ScheduleFactory(service__name="Testham Thursday Group", byday="TH")
        org_id, group_name, young_name, adult_name = young.organisation.uuid, group.service.name, young.name, adult.name
    terms = client.get("/hsds/taxonomy_terms?per_page=100").get_json()["contents"]
    housing_term = next(t["id"] for t in terms if t["code"] == "housing" and t["taxonomy"] == "directory-categories")
    assert _names(client, "search=Testham&minimum_age=18&maximum_age=20") == {young_name, group_name}
    assert _names(client, f"search=Testham&taxonomy_term_id={housing_term}") == {young_name, adult_name}
    assert _names(client, f"organization_id={org_id}") == {young_name}
    assert _names(client, "search=Testham&day=TH&start_time=18:00&end_time=21:00") == {group_name}
    assert _names(client, "search=Testham&day=TH&start_time=21:00") == set()
    assert _names(client, "search=Testham&modified_after=2999-01-01T00:00:00Z") == set()


def test_postcode_and_proximity_find_service_at_locations_nearby(app, client):
    with app.app_context():
        near = ServiceFactory(name="Testham Near")
        near_id = near.uuid
        postcode = near.locations[0].postcode
    assert near_id in _names(client, f"postcode={postcode}&proximity=500", "service_at_locations")
    far = _names(client, "postcode=M1 1AE&proximity=2000", "service_at_locations")
    assert near_id not in far and far


def test_every_organization_and_service_has_its_own_uuid(app):
    with app.app_context():
        for model in (Organisation, Service, Location):
            ids = db.session.scalars(db.select(model.uuid)).all()
            assert len(set(ids)) == len(ids)


def test_an_organization_appears_once_a_listing_of_theirs_is_published(app, client):
    with app.app_context():
        draft = ServiceFactory(status="pending")
        org_id, name = draft.organisation.uuid, draft.organisation.name
    assert client.get(f"/hsds/organizations/{org_id}").status_code == 404
    listed = client.get(f"/hsds/organizations?search={name}").get_json()["contents"]
    assert listed == []


def test_a_schedule_change_is_a_change_of_its_service(app, client):
    with app.app_context():
        group = ScheduleFactory()
        service_id, schedule_id = group.service.uuid, group.id
    before = client.get(f"/hsds/services/{service_id}").get_json()["last_modified"]
    with travel(pinned() + timedelta(days=2)):
        with app.app_context():
            db.session.get(Schedule, schedule_id).closes_at = time(21)
            db.session.commit()
        after = client.get(f"/hsds/services/{service_id}").get_json()["last_modified"]
        listed = client.get(f"/hsds/services?modified_after={after}").get_json()["contents"]
    assert after > before
    assert [s["id"] for s in listed] == [service_id]


def test_a_browser_on_another_site_may_revalidate_and_read_the_etag(client):
    preflight = client.options("/hsds/services", headers={
        "Origin": "https://council.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 200
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "ETag" in client.get("/hsds/services").headers["Access-Control-Expose-Headers"]


def test_attributes_point_at_published_taxonomy_terms(app, client):
    with app.app_context():
        group = ScheduleFactory(service__families_welcome=True)
        service_id = group.service.uuid
    terms = {t["id"]: t for t in client.get("/hsds/taxonomy_terms?per_page=100").get_json()["contents"]}
    taxonomies = {t["id"] for t in client.get("/hsds/taxonomies?per_page=100").get_json()["contents"]}
    attributes = client.get(f"/hsds/services/{service_id}").get_json()["attributes"]
    tagged = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in attributes}
    assert {("directory-meeting-types", "DD"), ("directory-group-types", "dra"),
            ("directory-eligibility", "families-welcome"), ("directory-categories", "peer-support")} <= tagged
    for a in attributes:
        assert a["link_id"] == service_id and a["taxonomy_term_id"] in terms
        assert terms[a["taxonomy_term_id"]]["taxonomy_id"] in taxonomies
