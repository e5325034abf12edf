"""Public pages: what a person sees on each, and the safety features every page carries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from directory import clock
from tests.support.factories import LocationFactory, ScheduleFactory, ServiceFactory, snapshot
from tests.support.people import sign_in
from tests.support.seeddata import services

PUBLIC_PAGES = ["/", "/search", "/stages", "/stages/engagement", "/about", "/glossary", "/no-such-page"]


def a_service(predicate=lambda s: True) -> dict:
    return next(s for s in services() if predicate(s))


@pytest.mark.parametrize("path", PUBLIC_PAGES + ["service"])
def test_every_page_has_crisis_contacts_and_exit(client, path):
    if path == "service":
        path = f"/services/{a_service()['slug']}"
    html = client.get(path).get_data(as_text=True)
    assert "Need help now?" in html
    assert "116 123" in html and "999" in html
    assert "govuk-exit-this-page" in html and "Exit this page" in html


def test_home_asks_who_what_and_where(client):
    html = client.get("/").get_data(as_text=True)
    for text in ("Who are you looking for help for?", "What do you need help with?", "Where?",
                 "Someone I care about", "I&#39;m a professional", "Getting support", "(engagement)",
                 "Staying well", "(relapse prevention)"):
        assert text in html, text


def test_service_page_shows_everything_about_a_service(app, client):
    with app.app_context():
        s = snapshot(ServiceFactory(
            name="Testham Housing Advice", summary="Help finding somewhere safe to live, whatever you're using.",
            phone="0115 496 0789", last_verified_at=clock.today_in("Europe/London") - timedelta(days=30),
            referral="Phone or drop in; a worker can refer you too.", cost="Free", languages=["English", "Polish"],
            accessibility="Step-free entrance and an accessible toilet.",
        ))
    html = client.get(f"/services/{s.slug}").get_data(as_text=True)
    assert s.name in html
    assert s.summary.replace("'", "&#39;") in html
    assert s.phone in html
    assert "Details last checked" in html
    assert "How to get referred" in html and "Cost" in html and "Languages" in html
    assert "Accessibility" in html and "Do you need to have stopped using?" in html


def test_confidential_places_show_the_town_only(app, client):
    with app.app_context():
        venue = LocationFactory.build(name="Safe House", address="7 Quiet Close", postcode="TE2 7QC", confidential=True)
        s = snapshot(ServiceFactory(name="Testham Women's Refuge", locations=[venue]))
        venue = snapshot(venue)
    html = client.get(f"/services/{s.slug}").get_data(as_text=True)
    assert venue.town in html
    assert venue.address not in html
    assert venue.postcode not in html


def test_professional_only_details_are_hidden_from_the_public(app, client):
    with app.app_context():
        s = snapshot(ServiceFactory(
            professional_only=True, professional_details="Referrals through the community mental health team duty line only.",
        ))
    html = client.get(f"/services/{s.slug}").get_data(as_text=True)
    assert s.professional_details.strip()[:40] not in html


def test_unknown_service_is_a_friendly_404(client):
    response = client.get("/services/nothing-here")
    assert response.status_code == 404
    assert "We can&#39;t find that page" in response.get_data(as_text=True)


def test_stage_page_explains_and_leads_to_matching_services(client):
    html = client.get("/stages/persuasion").get_data(as_text=True)
    assert "Persuasion" in html and "What helps at this stage" in html
    tagged = [s for s in services() if "persuasion" in s["stages"]]
    assert "Thinking about change" in html, "the plain name comes with the clinical one"
    assert f"{len(tagged)} services suit this stage; here are the first 10" in html
    listed = re.findall(r'<li class="service-card" id="service-\d+"[^>]*>\s*<h3[^>]*>\s*<a class="govuk-link" href="/services/([^"]+)"', html)
    assert len(listed) == 10 and set(listed) <= {s["slug"] for s in tagged}
    assert re.search(r'id="show-more" href="/search\?stage=persuasion">Show all \d+ services', html)


def test_unknown_stage_is_404(client):
    assert client.get("/stages/not-a-stage").status_code == 404


def test_glossary_terms_are_linked_where_they_appear(client):
    html = client.get("/about").get_data(as_text=True)
    assert 'href="/glossary#' in html
    glossary = client.get("/glossary").get_data(as_text=True)
    assert 'id="cbt"' in glossary and 'id="harm-reduction"' in glossary


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_privacy_headers_on_pages(client):
    response = client.get("/")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_nothing_from_other_sites(client):
    import re

    for path in ("/", "/search", f"/services/{a_service()['slug']}"):
        html = client.get(path).get_data(as_text=True)
        for src in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert not re.search(r"\.(js|mjs|css|woff2?|ttf)(\?|$)", src), src
        assert "<script src=\"http" not in html


def test_a_group_page_says_what_kind_of_meeting_it_is(app, client):
    from directory import vocab

    meeting_types = ["C", "W", "BE", "DD"]
    with app.app_context():
        s = snapshot(ScheduleFactory(service__meeting_types=meeting_types).service)
    html = client.get(f"/services/{s.slug}").get_data(as_text=True)
    for code in meeting_types:
        assert vocab.MEETING_TYPE[code].label.replace("'", "&#39;") in html


def test_the_footer_offers_sign_out_to_someone_signed_in(client, people):
    assert "Staff and group facilitators sign in" in client.get("/glossary").get_data(as_text=True)
    sign_in(client, "staff@example.org")
    footer = client.get("/glossary").get_data(as_text=True).split('<footer', 1)[1]
    assert 'action="/account/sign-out"' in footer and ">Sign out</button>" in footer
    assert "Staff and group facilitators sign in" not in footer
