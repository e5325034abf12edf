"""The OpenAPI description of every JSON endpoint, and the same as a readable page (no scripts)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from directory.extensions import csrf
from directory.feeds.responses import json_response
from directory.interop import openapi
from directory.interop.forms import HsdsForm
from directory.search.forms import SearchForm

bp = Blueprint("apidocs", __name__, url_prefix="/api")
csrf.exempt(bp)


def _spec() -> dict:
    # Empty forms: only their fields are read, to describe the parameters.
    return openapi.spec(request.host_url, {"hsds": HsdsForm(formdata=None), "search": SearchForm(formdata=None)})


@bp.get("/openapi.json")
def openapi_json():
    return json_response(_spec())


@bp.get("/")
def index():
    return render_template("apidocs/index.html", spec=_spec())
