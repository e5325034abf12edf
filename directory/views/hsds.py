"""The Open Referral HSDS 3.0 API (UK profile): read-only, open, every list a Page object.

Thin: parse the form, call directory.interop, answer JSON with an ETag.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, Response, abort, request, url_for
from sqlalchemy import exists, func, select

from directory.extensions import csrf, db
from directory.feeds.responses import json_response
from directory.interop import hsds, queries
from directory.interop import hsds_models as m
from directory.interop.forms import HsdsForm
from directory.interop.taxonomy import BY_ID, TERMS_BY_ID, VOCABULARIES
from directory.listings.status import published
from directory.models import Location, Organisation, Service, service_location
from directory.places import lookup

bp = Blueprint("hsds", __name__, url_prefix="/hsds")
csrf.exempt(bp)


def _error(status: int, title: str, detail: str, fields: dict | None = None) -> Response:
    return json_response({"error": {"status": status, "title": title, "detail": detail,
                                    **({"fields": fields} if fields else {})}}, status=status)


def _form() -> HsdsForm:
    """The list's parameters, or a 400 naming each that is wrong (each is given once at most),
    or a 404 for a well-formed postcode that is nowhere we know."""
    form = HsdsForm(request.args)
    fields = {name: ["Give this once"] for name, values in request.args.lists() if len(values) > 1}
    if not form.validate() or fields:
        fields.update(form.errors)
        detail = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in fields.items())
        abort(_error(400, "Bad request", detail, fields))
    found = form.locate()
    if isinstance(found, lookup.NotFound):
        if found.unavailable:
            abort(_error(503, "Try again soon", "We couldn't look up that postcode just now"))
        abort(_error(404, "Postcode not found", "We couldn't find that postcode"))
    return form


def _page(paged: queries.Paged, model: type[m.HsdsModel], contents: list) -> Response:
    """The standard's Page object, made by its model like every other answer here."""
    return json_response(m.Page[model](**paged.numbers(), contents=contents).json_body())  # type: ignore[valid-type]


@bp.get("/")
def root():
    return json_response(m.ApiRoot(version=hsds.VERSION, profile=hsds.PROFILE,
                                   openapi_url=url_for("apidocs.openapi_json", _external=True),
                                   timezone_rule=hsds.TIMEZONE_RULE).json_body())


@bp.get("/services")
def services():
    form = _form()
    paged = queries.page_of(queries.select_hsds_services(form.to_query()), form.page_number(), form.size())
    return _page(paged, m.ServiceBasic, [hsds.service_basic(s) for s in paged.rows])


def _published_service(uuid: UUID) -> Service:
    return db.session.scalar(select(Service).where(Service.uuid == str(uuid), published())) or abort(404)


@bp.get("/services/<uuid:object_id>")
def service(object_id: UUID):
    item = _published_service(object_id)
    return json_response(hsds.service(item, queries.links_of([item])[item.id]).json_body())


def _publishes():
    """Organizations are shown once a listing of theirs is published (moderation sees new ones first)."""
    return exists().where(Service.organisation_id == Organisation.id, published())


@bp.get("/organizations")
def organizations():
    form = _form()
    stmt = select(Organisation).where(_publishes()).order_by(Organisation.name, Organisation.id)
    if form.search.data:
        stmt = stmt.where(func.lower(Organisation.name).contains(form.search.data.lower(), autoescape=True))
    paged = queries.page_of(stmt, form.page_number(), form.size())
    return _page(paged, m.OrganizationBasic, [hsds.organization_basic(o) for o in paged.rows])


@bp.get("/organizations/<uuid:object_id>")
def organization(object_id: UUID):
    item = db.session.scalar(select(Organisation).where(Organisation.uuid == str(object_id), _publishes())) or abort(404)
    offered = db.session.scalars(select(Service).where(Service.organisation_id == item.id, published())
                                 .order_by(Service.name, Service.id))
    return json_response(hsds.organization(item, list(offered)).json_body())


@bp.get("/service_at_locations")
def service_at_locations():
    form = _form()
    paged = queries.service_at_locations(form.to_query(), form.page_number(), form.size())
    return _page(paged, m.ServiceAtLocationBasic,
                 [hsds.service_at_location_basic(s, loc, link) for s, loc, link in paged.rows])


@bp.get("/service_at_locations/<uuid:object_id>")
def service_at_location(object_id: UUID):
    row = db.session.execute(
        select(Service, Location)
        .join(service_location, service_location.c.service_id == Service.id)
        .join(Location, Location.id == service_location.c.location_id)
        .where(service_location.c.uuid == str(object_id), published())
    ).first() or abort(404)
    item, loc = row
    return json_response(hsds.service_at_location(item, loc, queries.links_of([item])[item.id]).json_body())


@bp.get("/taxonomies")
def taxonomies():
    form = _form()
    paged = queries.page_of_list(VOCABULARIES, form.page_number(), form.size())
    return _page(paged, m.Taxonomy, [hsds.taxonomy(v) for v in paged.rows])


@bp.get("/taxonomies/<uuid:object_id>")
def taxonomy(object_id: UUID):
    found = BY_ID.get(str(object_id)) or abort(404)
    return json_response(hsds.taxonomy(found).json_body())


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    form = _form()
    terms = hsds.all_terms()
    if form.taxonomy_id.data:
        terms = [t for t in terms if t.taxonomy_id == form.taxonomy_id.data]
    paged = queries.page_of_list(terms, form.page_number(), form.size())
    return _page(paged, m.TaxonomyTerm, paged.rows)


@bp.get("/taxonomy_terms/<uuid:object_id>")
def taxonomy_term(object_id: UUID):
    vocabulary, term = TERMS_BY_ID.get(str(object_id)) or abort(404)
    return json_response(hsds.taxonomy_term(vocabulary, term).json_body())
