"""The OpenAPI description: every JSON route is in it, it is 3.1, and the readable page shows it all."""

from __future__ import annotations

import re

from tests.support.factories import ScheduleFactory

JSON_BLUEPRINTS = {"api", "hsds"}
JSON_ENDPOINTS = {"feeds.meeting_guide_feed", "apidocs.openapi_json"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "{id}", rule)


def test_every_json_route_is_described(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    routes = {
        _openapi_path(rule.rule) for rule in app.url_map.iter_rules()
        if (rule.endpoint.split(".")[0] in JSON_BLUEPRINTS or rule.endpoint in JSON_ENDPOINTS)
        and rule.endpoint != "apidocs.openapi_json"
    }
    assert routes and routes == set(spec["paths"])
    for path, item in spec["paths"].items():
        op = item["get"]
        assert op["summary"] and "200" in op["responses"], path
        refs = re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', str(op).replace("'", '"'))
        assert all(ref in spec["components"]["schemas"] for ref in refs), path


def test_parameters_come_from_the_forms_that_parse_them(client):
    spec = client.get("/api/openapi.json").get_json()
    params = {p["name"]: p for p in spec["paths"]["/hsds/services"]["get"]["parameters"]}
    assert params["per_page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert params["day"]["schema"]["enum"] == ["", "MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert "pattern" in params["start_time"]["schema"]
    near = spec["paths"]["/hsds/service_at_locations"]["get"]["parameters"]
    assert {"postcode", "proximity"} <= {p["name"] for p in near}


def test_the_readable_page_lists_every_operation_without_scripts(client):
    spec = client.get("/api/openapi.json").get_json()
    html = client.get("/api/").get_data(as_text=True)
    for path in spec["paths"]:
        assert f"GET {path}" in html
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in sources), sources  # the site's own scripts only


def test_api_v1_services_have_their_rules_and_next_sessions(app, client):
    with app.app_context():
        group = ScheduleFactory(byday="TU")
        service_id = group.service.id
    body = client.get(f"/api/v1/services/{service_id}").get_json()
    (rule,) = body["schedules"]
    assert rule["freq"] == "WEEKLY" and rule["byday"] == "TU" and rule["timezone"] == "Europe/London"
    assert rule["description"].startswith("Every Tuesday")
    assert len(rule["next_sessions"]) == 3 and all(x["start"][11:16] == "19:00" for x in rule["next_sessions"])
    assert client.get(f"/api/v1/services/{service_id}").headers["Access-Control-Allow-Origin"] == "*"
