"""Public pages: home, search, service pages, the stage guide, about and glossary."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import select

from directory import vocab, words
from directory.content import guide
from directory.extensions import db
from directory.listings import organisations
from directory.models import Organisation
from directory.schedules import recurrence
from directory.search import dead_ends, summary
from directory.search.forms import SearchForm
from directory.search.services import ServiceQuery, search, suggested_for_stage
from directory.views import local_now, published_or_404

bp = Blueprint("public", __name__)

STAGE_PAGE_SERVICES = 10  # the stage page shows the first few, then links to the search


def _search_form() -> SearchForm:
    form = SearchForm(request.args)
    form.validate()
    return form


@bp.get("/")
def home():
    return render_template("public/home.html", form=SearchForm(request.args), stages=guide.stages())


@bp.get("/search")
def search_page():
    form = _search_form()
    per_page = current_app.config["PER_PAGE"]
    query = form.to_query()
    form.show_order(query)
    results = search(query, page=form.page_number(), per_page=per_page)
    categories = [vocab.label(vocab.CATEGORY, c).lower() for c in query.categories]
    searched = query.q or (words.join(categories, "or") if categories else "")
    place = form.place.label if form.place else ""
    order = "nearest first" if query.by_distance else "best match first" if query.q else ""
    return render_template(
        "public/search.html",
        form=form,
        query=query,
        results=results,
        heading=summary.heading(results.total, "service", searched, place, form.radius.miles(), order),
        page_title=summary.title(searched, place, "Find support"),
        tags=summary.tags(form, place),
        instead=None if results.total else dead_ends.instead(query),
        page_moved=form.page_number() != results.page,
        who=query.who,
    )


@bp.get("/services/<slug>")
def service(slug: str):
    item = published_or_404(slug)
    now = local_now()
    sessions = [s for s in item.schedules if s.kind == "session"]
    opening = [s for s in item.schedules if s.kind == "opening"]
    return render_template(
        "public/service.html",
        service=item,
        sessions=sessions,
        opening=opening,
        next_sessions=recurrence.merge_upcoming(sessions, now, limit=5),
    )


@bp.get("/organisations/<slug>")
def organisation(slug: str):
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug)) or abort(404)
    return render_template("public/organisation.html", org=org, services=organisations.published_services(org))


@bp.get("/stages")
def stages():
    return render_template("public/stages.html", stages=guide.stages())


@bp.get("/stages/<code>")
def stage(code: str):
    entry = guide.stage(code) or abort(404)
    results = search(ServiceQuery(stages=(code,)), per_page=STAGE_PAGE_SERVICES)
    return render_template(
        "public/stage.html", stage=entry, stages=guide.stages(), results=results,
        categories=[vocab.CATEGORY[c] for c in entry.get("you_might_look_for", [])],
        suggested=suggested_for_stage(code, entry.get("you_might_look_for", [])),
    )


@bp.get("/about")
def about():
    return render_template("public/about.html", page=guide.about())


@bp.get("/cover-your-tracks")
def cover_your_tracks():
    return render_template("public/about.html", page=guide.cover_your_tracks())


@bp.get("/glossary")
def glossary():
    return render_template("public/glossary.html", terms=guide.glossary())
