"""The upload form: one file, CSV or Excel."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput


class UploadForm(FlaskForm):
    file = FileField("Spreadsheet (CSV or Excel .xlsx)", validators=[FileRequired("Choose a CSV or Excel file to import")],
                     widget=GovFileInput())
