"""Staff import listings from a spreadsheet (preview, then confirm), and export every listing."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from directory import vocab
from directory.accounts import auth
from directory.extensions import db
from directory.fields import ConfirmForm
from directory.imports import apply, export, layout, reading, sources, uploads
from directory.imports.forms import SourceForm, UploadForm
from directory.models import DataSource

bp = Blueprint("imports", __name__, url_prefix="/staff/imports")
auth.guard(bp, vocab.STAFF_ROLES)


def _csv(text: str, name: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


bp.add_app_template_global(sources.provenance, "provenance")


@bp.url_value_preprocessor
def _room_for_a_spreadsheet(endpoint, values) -> None:
    """Runs before the CSRF check reads the form, so the larger limit is the one applied."""
    request.max_content_length = reading.MAX_BYTES + 64 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _too_big(exc):
    form = UploadForm(formdata=None)
    form.file.errors = [f"The file is too big: the most we can import at once is {reading.MAX_BYTES // 1024 // 1024} MB. "
                        "Split it into smaller files."]
    return _index_page(form), 413


def _index_page(form: UploadForm) -> str:
    return render_template("staff/imports/index.html", form=form, columns=layout.COLUMNS, vocabularies=layout.VOCABULARIES,
                           max_rows=reading.MAX_ROWS, max_mb=reading.MAX_BYTES // 1024 // 1024)


@bp.route("/", methods=["GET", "POST"])
def index():
    form = UploadForm()
    if form.validate_on_submit():
        body = form.file.data.read()
        try:
            reading.read(body, form.file.data.filename or "")
        except reading.FileProblem as exc:
            form.file.errors.append(str(exc))
        else:
            return redirect(url_for(".preview", upload_token=uploads.keep(current_user, form.file.data.filename or "", body)))
    return _index_page(form)


@bp.route("/sources", methods=["GET", "POST"])
def data_sources():
    form = SourceForm()
    if form.validate_on_submit():
        source = sources.add(form.name.data, form.kind.data, form.url.data, form.refresh_hours.data)
        flash(f"Added {source.name}. Fetch it now to import its listings, or leave it for `flask sources refresh`.")
        return redirect(url_for(".data_sources"))
    return render_template("staff/imports/sources.html", form=form, sources=sources.all_sources(), confirm=ConfirmForm())


@bp.post("/sources/<int:source_id>/refresh")
def refresh_source(source_id: int):
    source = db.get_or_404(DataSource, source_id)
    if ConfirmForm().validate_on_submit():
        ok = sources.refresh(source)
        flash(f"{source.name}: {'imported' if ok else 'nothing was changed'}. {source.last_result}")
    return redirect(url_for(".data_sources"))


@bp.get("/template.csv")
def template():
    return _csv(layout.template_csv(), "listings-template.csv")


@bp.get("/listings.csv")
def export_csv():
    return _csv(export.csv_text(), "listings.csv")


def _kept(token: str):
    upload = uploads.kept(token)
    if upload is None:
        abort(404)
    return upload


@bp.route("/<upload_token>", methods=["GET", "POST"])
def preview(upload_token: str):
    upload = _kept(upload_token)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            counts = uploads.confirm(current_user, upload)
        except apply.ImportRefused as exc:
            flash(str(exc))
        else:
            flash(f"Imported: {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged.")
            return redirect(url_for("staff.services"))
    made = uploads.preview(upload.body, upload.filename, upload.source)
    return render_template("staff/imports/preview.html", plan=made, upload=upload, form=form, token=upload_token)


@bp.get("/<upload_token>/report.csv")
def report(upload_token: str):
    upload = _kept(upload_token)
    made = uploads.preview(upload.body, upload.filename, upload.source)
    return _csv(uploads.report_csv(upload.body, made), "import-report.csv")
