"""JSON API: the same form, query object and search function as /search."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request, url_for

from directory import vocab
from directory.extensions import csrf, db
from directory.listings.status import is_published
from directory.models import Service
from directory.search.forms import SearchForm
from directory.search.services import Distance, search

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def distance_json(distance: Distance | None) -> dict[str, Any] | None:
    """Miles to the nearest place; a confidential place in whole miles only."""
    if distance is None:
        return None
    return {"miles": round(distance.shown_miles, 2), "text": distance.text, "town": distance.town}


def service_json(s: Service, distance: Distance | None = None) -> dict[str, Any]:
    """The public fields of a service; confidential places give their town only."""
    return {
        "id": s.id,
        "slug": s.slug,
        "name": s.name,
        "url": url_for("public.service", slug=s.slug, _external=True),
        "organisation": s.organisation.name if s.organisation else None,
        "summary": s.summary,
        "description": s.description,
        # The kinds /search filters on, each under its field name (categories, delivery_modes...).
        **{kind.field: s.codes(kind.code) for kind in vocab.SEARCH_KINDS},
        "group_type": s.group_type,
        "free": s.free,
        "cost": s.cost,
        "eligibility": {
            "co_occurring": s.co_occurring,
            "abstinence_required": s.abstinence_required,
            "families_welcome": s.families_welcome,
            "min_age": s.min_age,
            "max_age": s.max_age,
            "wait": s.wait,
            "notes": s.eligibility,
        },
        "referral": s.referral,
        "languages": s.languages,
        "accessibility": s.accessibility,
        "phone": s.contact_phone,
        "email": s.email,
        "website": s.website,
        "national": s.national,
        "area_served": s.area_served,
        "locations": [
            {"town": loc.town}
            if loc.confidential
            else {
                "name": loc.name, "address": loc.address, "town": loc.town, "postcode": loc.postcode,
                "latitude": loc.latitude, "longitude": loc.longitude,
            }
            for loc in s.locations
        ],
        "last_verified": s.last_verified_at.isoformat() if s.last_verified_at else None,
        "distance": distance_json(distance),
    }


@bp.get("/services")
def services():
    form = SearchForm(request.args)
    form.validate()
    per_page = current_app.config["PER_PAGE"]
    query = form.to_query()
    page = search(query, page=form.page_number(), per_page=per_page)
    place = form.place
    return {
        "searched_for": query.q,
        "spelling_corrected_from": form.read_as.typed or None,
        "place_from_words": bool(form.read_as.place),
        "order": "nearest" if query.by_distance else "best" if query.q else "name",
        "crisis": query.words.crisis,
        "matched_some_words": page.some_words,
        "near": {"label": place.label, "latitude": place.point[0], "longitude": place.point[1]} if place else None,
        "radius_miles": form.radius.miles() if place else None,
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "per_page": page.per_page,
        "errors": {name: errors for name, errors in form.errors.items()},
        "items": [service_json(s, page.distances.get(s.id)) for s in page.items],
        "available_everywhere": [service_json(s) for s in page.everywhere],
    }


@bp.get("/services/<int:service_id>")
def service(service_id: int):
    item = db.get_or_404(Service, service_id)
    if not is_published(item):
        return {"error": {"status": 404, "title": "Not found"}}, 404
    return service_json(item)
