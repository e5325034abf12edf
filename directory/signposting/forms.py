"""Forms for a person's list: small POST forms, each with a CSRF token but the add button's."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import HiddenInput

from directory.fields import MAX_ROW_ID, printable
from directory.signposting import privacy
from directory.signposting.lists import MAX_NOTE


class ServiceChoiceForm(FlaskForm):
    """Which service a button acts on (add, move, remove)."""

    service_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=MAX_ROW_ID)])


class AddForm(ServiceChoiceForm):
    """Add to my list: no session token, so public pages set no cookie (directory.views.same_site)."""

    class Meta:
        csrf = False


class ChangeForm(ServiceChoiceForm):
    action = HiddenField(validators=[AnyOf(("up", "down", "remove"))])


class NoteForm(ServiceChoiceForm):
    note = TextAreaField(
        "Note",
        # A form posted without its note (not a browser, which always sends the box) clears it.
        default="",
        description="For example, “ask for Sam on Tuesdays”. Notes are shared with the list: don't include personal details.",
        filters=[printable],
        validators=[Length(max=MAX_NOTE, message=f"Notes must be {MAX_NOTE} characters or fewer")],
        widget=GovCharacterCount(),
    )

    def validate_note(self, field: TextAreaField) -> None:
        found = privacy.looks_personal(field.data or "")
        if found:
            raise ValidationError(f"{privacy.WARNING}. This note looks like it has {found} in it, so it was not saved.")
