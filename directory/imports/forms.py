"""The upload form (one file, CSV or Excel), and the form that registers another directory's feed."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovTextInput
from wtforms import IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange, Regexp

from directory.fields import text
from directory.imports import feeds


class UploadForm(FlaskForm):
    file = FileField("Spreadsheet (CSV or Excel .xlsx)", validators=[FileRequired("Choose a CSV or Excel file to import")],
                     widget=GovFileInput())


class SourceForm(FlaskForm):
    name = text("Name", 120, required="Give the source a name staff will know it by")
    kind = RadioField("What it is", choices=list(feeds.KINDS), default=feeds.HSDS, widget=GovRadioInput(),
                      validators=[InputRequired("Choose what kind of feed it is")])
    url = text("Address", 500, required="Give the feed's address",
               description="An HSDS API's base address (e.g. https://example.org/hsds/), an HSDS JSON file, or a "
                           "Meeting Guide feed (…/meetings.json)",
               extra=(Regexp(r"^https?://\S+$", message="Web addresses start with https://"),))
    refresh_hours = IntegerField("Fetch it again every (hours)", default=24, widget=GovTextInput(),
                                 validators=[InputRequired("Say how many hours between fetches"),
                                             NumberRange(min=1, max=24 * 30, message="Between 1 and 720 hours")])
