"""The OpenAPI 3.1 description of every JSON endpoint, made with apispec from the code itself:
parameters from the WTForms forms that parse them, bodies from the pydantic models that make them."""

from __future__ import annotations

from dataclasses import dataclass

from apispec import APISpec
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from wtforms import BooleanField, Field, Form, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import Length, Regexp

from directory.interop import hsds_models as m
from directory.interop import v1
from directory.interop.meeting_guide import CUSTOM_TYPES, Meeting

REF = "#/components/schemas/{model}"
HSDS_LIST = ("page", "per_page")
SERVICE_FILTERS = ("search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "day",
                   "start_time", "end_time", "minimum_age", "maximum_age")
PARAMETER_HELP = {
    "search": "The site's own search (the same as /search's words).",
    "taxonomy_term_id": "Only objects tagged with this term (see /hsds/taxonomy_terms).",
    "taxonomy_id": "Only objects tagged with any term of this taxonomy.",
    "organization_id": "Only services of this organization.",
    "modified_after": "Only services changed at or after this ISO 8601 date-time (UTC unless it says).",
    "postcode": "A UK postcode: only service_at_locations within `proximity` metres of it, nearest first.",
    "proximity": "Metres from the postcode (default 16093, ten miles).",
    "day": "Only services with a session or opening hours on this day (MO to SU).",
    "start_time": "With a session or opening hours still going at or after this time (HH:MM).",
    "end_time": "With a session or opening hours starting before this time (HH:MM).",
    "minimum_age": "Only services whose ages reach at least this age.",
    "maximum_age": "Only services whose ages start at or below this age.",
    "page": "Page number, from 1.",
    "per_page": "Objects per page.",
}

# What a field's validators cannot say: RFC 3339 (a date, or a date-time with its zone); empty is absent.
PARAMETER_SCHEMAS = {
    "modified_after": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"},
                                 {"type": "string", "maxLength": 0}]},
}


@dataclass(frozen=True)
class Operation:
    path: str
    summary: str
    response: type[BaseModel] | None  # None: an array of `items`
    parameters: tuple[str, ...] = ()
    form: str = "hsds"  # which form's fields the parameters are
    path_id: str = ""
    items: type[BaseModel] | None = None


def _field_schema(field: Field) -> dict:
    if isinstance(field, SelectMultipleField):
        return {"type": "array", "items": {"type": "string", "enum": [str(c) for c, _ in field.choices]}}
    if isinstance(field, SelectField):
        return {"type": "string", "enum": [str(c) for c, _ in field.choices]}
    if isinstance(field, BooleanField):
        return {"type": "boolean"}
    if isinstance(field, IntegerField):
        schema: dict = {"type": "integer"}
        for check in field.validators:
            if getattr(check, "min", None) is not None:
                schema["minimum"] = check.min
            if getattr(check, "max", None) is not None:
                schema["maximum"] = check.max
        return schema
    schema = {"type": "string"}
    for check in field.validators:
        if isinstance(check, Regexp):  # an empty value is no value (the forms' Optional)
            schema["pattern"] = f"^$|{check.regex.pattern}"
        if isinstance(check, Length) and check.max >= 0:
            schema["maxLength"] = check.max
    return schema


def _lenient(field: Field) -> dict:
    """/api/v1 takes anything, as /search does: what is not valid is reported in `errors`, then left out."""
    return {"type": "array", "items": {"type": "string"}} if isinstance(field, SelectMultipleField) else {}


def parameters(form: Form, names: tuple[str, ...], lenient: bool = False) -> list[dict]:
    """Query parameters for these fields of a form, each described by its field."""
    found = []
    for name in names:
        field = form[name]
        schema = _lenient(field) if lenient else PARAMETER_SCHEMAS.get(name) or _field_schema(field)
        found.append({"name": name, "in": "query", "required": False, "schema": schema,
                      "description": PARAMETER_HELP.get(name) or str(field.label.text or name),
                      **({"style": "form", "explode": True} if isinstance(field, SelectMultipleField) else {})})
    return found


def _page(item: type[BaseModel]) -> type[BaseModel]:
    return m.Page[item]  # type: ignore[valid-type]


OPERATIONS = (
    Operation("/hsds/", "About this API: HSDS version, profile, where this description is", m.ApiRoot),
    Operation("/hsds/services", "Services (one-to-one fields), paged", _page(m.ServiceBasic),
              HSDS_LIST + SERVICE_FILTERS),
    Operation("/hsds/services/{id}", "One service with everything about it", m.Service, path_id="id"),
    Operation("/hsds/organizations", "Organizations, paged", _page(m.OrganizationBasic), HSDS_LIST + ("search",)),
    Operation("/hsds/organizations/{id}", "One organization with its services", m.Organization, path_id="id"),
    Operation("/hsds/service_at_locations", "Services at their venues, paged", _page(m.ServiceAtLocationBasic),
              HSDS_LIST + SERVICE_FILTERS + ("postcode", "proximity")),
    Operation("/hsds/service_at_locations/{id}", "One service at one venue", m.ServiceAtLocation, path_id="id"),
    Operation("/hsds/taxonomies", "Our vocabularies as taxonomies, paged", _page(m.Taxonomy), HSDS_LIST),
    Operation("/hsds/taxonomies/{id}", "One taxonomy", m.Taxonomy, path_id="id"),
    Operation("/hsds/taxonomy_terms", "Every term of every taxonomy, paged", _page(m.TaxonomyTerm),
              HSDS_LIST + ("taxonomy_id",)),
    Operation("/hsds/taxonomy_terms/{id}", "One taxonomy term", m.TaxonomyTerm, path_id="id"),
    Operation("/api/v1/services", "The site's search as JSON (the parameters of /search)", v1.ServicesPage,
              ("q", "near", "radius", "category", "stage", "audience", "mode", "referral", "free",
               "no_abstinence", "families_welcome", "open_now", "who", "page"), form="search"),
    Operation("/api/v1/services/{id}", "One service by its number", v1.ServiceOut, path_id="id"),
    Operation("/meetings.json", "Every published weekly group in the Meeting Guide format. Types are the spec's "
              f"codes, plus ours: {', '.join(f'{k} ({v})' for k, v in CUSTOM_TYPES.items())}", None, items=Meeting),
)


def _schemas() -> dict:
    models = [op.response for op in OPERATIONS if op.response] + [op.items for op in OPERATIONS if op.items]
    _, found = models_json_schema([(model, "serialization") for model in models] + [(m.ErrorBody, "serialization")],
                                  ref_template=REF)
    return found["$defs"]


def _ref(model: type[BaseModel]) -> dict:
    return {"$ref": REF.format(model=model.__name__.replace("[", "_").replace("]", "_"))}


def _responses(op: Operation) -> dict:
    body = _ref(op.response) if op.response else {"type": "array", "items": _ref(op.items)}  # type: ignore[arg-type]
    error = {"content": {"application/json": {"schema": _ref(m.ErrorBody)}}}
    found: dict = {"200": {"description": "OK", "headers": {"ETag": {"schema": {"type": "string"}}},
                           "content": {"application/json": {"schema": body}}},
                   "304": {"description": "Not modified: the If-None-Match ETag is current"}}
    if op.parameters and op.form == "hsds":
        found["400"] = {"description": "A parameter is malformed", **error}
    if op.path_id:
        found["404"] = {"description": "No such object (or not published)", **error}
    if "postcode" in op.parameters:
        found["404"] = {"description": "No place we know has that postcode", **error}
        found["503"] = {"description": "The postcode could not be looked up just now", **error}
    return found


def _operation(op: Operation, forms: dict[str, Form]) -> dict:
    params = parameters(forms[op.form], op.parameters, lenient=op.form == "search") if op.parameters else []
    if op.path_id:
        is_uuid = op.path.startswith("/hsds/")
        params.append({"name": op.path_id, "in": "path", "required": True,
                       "schema": {"type": "string", "format": "uuid"} if is_uuid else
                       {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}})
    return {"summary": op.summary, "operationId": op.path.strip("/").replace("/", "_").replace("{", "").replace(
        "}", "") or "root", "parameters": params, "responses": _responses(op)}


def spec(server_url: str, forms: dict[str, Form]) -> dict:
    """The description; `forms` are the forms whose fields are the parameters ("hsds", "search")."""
    doc = APISpec(title="Dual diagnosis support directory: open data", version="1", openapi_version="3.1.0",
                  info={"description": "Open Referral HSDS 3.0 (UK profile), Meeting Guide, and the site's own "
                                       "JSON API. Read-only, no key, CORS open."},
                  servers=[{"url": server_url.rstrip("/")}])
    for name, schema in _schemas().items():
        doc.components.schema(name, schema)
    for op in OPERATIONS:
        doc.path(path=op.path, operations={"get": _operation(op, forms)})
    return doc.to_dict()
