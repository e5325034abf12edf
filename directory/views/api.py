"""JSON API: the same form, query object and search function as /search."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request

from directory.extensions import csrf, db
from directory.feeds.responses import json_response
from directory.interop import v1
from directory.listings.status import is_published
from directory.models import Service
from directory.search.forms import SearchForm
from directory.search.services import search
from directory.views import local_now

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _json(model) -> dict:
    # Unset fields are left out: a confidential venue is its town and nothing else.
    return model.model_dump(mode="json", exclude_unset=True)


@bp.get("/services")
def services():
    form = SearchForm(request.args)
    form.validate()
    per_page = current_app.config["PER_PAGE"]
    query = form.to_query()
    page = search(query, page=form.page_number(), per_page=per_page)
    place = form.place
    near = v1.Near(label=place.label, latitude=place.point[0], longitude=place.point[1]) if place else None
    reading = v1.Reading(
        searched_for=query.q, spelling_corrected_from=form.read_as.typed or None,
        place_from_words=bool(form.read_as.place), crisis=query.words.crisis, matched_some_words=page.some_words,
        order="nearest" if query.by_distance else "best" if query.q else "name",
    )
    errors = {name: list(errors) for name, errors in form.errors.items()}
    body = v1.services_page(page, local_now(), reading, near, form.radius.miles() if place else None, errors)
    return json_response(_json(body))


@bp.get("/services/<int:service_id>")
def service(service_id: int):
    item = db.session.get(Service, service_id)
    if item is None or not is_published(item):
        abort(404)
    return json_response(_json(v1.service(item, local_now())))
