"""The query parameters of the HSDS API, as a WTForms GET form like every other input:
anything malformed is an error in words (a 400), never a 500."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TimeField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from directory.fields import printable
from directory.interop.queries import MAX_PER_PAGE, HsdsQuery
from directory.places import geo, geocoder, lookup
from directory.schedules import rules
from directory.search.forms import MAX_KEYWORD

# A postcode without `proximity`: the same default distance as /search (10 miles), in metres.
DEFAULT_PROXIMITY = 16_093
MAX_PROXIMITY = 200_000


def _uuid(form, field) -> None:
    if field.data:
        try:
            uuid.UUID(field.data)
        except ValueError as exc:
            raise ValidationError("Give an id such as 3fa85f64-5717-4562-b3fc-2c963f66afa6") from exc


def _datetime(text: str) -> datetime | None:
    """An ISO 8601 date or date-time; one without a zone is UTC. None when it is neither."""
    try:
        at = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


class HsdsForm(FlaskForm):
    """page, per_page and the filters of /hsds/ lists; every one given must hold (AND)."""

    class Meta:
        csrf = False

    place: lookup.Found | None = None

    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1_000_000, message="Pages start at 1")])
    per_page = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_PER_PAGE,
                                                                message=f"per_page is 1 to {MAX_PER_PAGE}")])
    search = StringField(validators=[Optional(), Length(max=MAX_KEYWORD)], filters=[printable])
    taxonomy_term_id = StringField(validators=[Optional(), _uuid])
    taxonomy_id = StringField(validators=[Optional(), _uuid])
    organization_id = StringField(validators=[Optional(), _uuid])
    modified_after = StringField(validators=[Optional(), Length(max=40)])
    postcode = StringField(validators=[Optional(), Length(max=10)], filters=[printable])
    proximity = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_PROXIMITY,
                                                                 message=f"proximity is 1 to {MAX_PROXIMITY} metres")])
    day = SelectField(choices=[("", "")] + [(c, c) for c in rules.DAY_CODES], validators=[Optional()],
                      filters=[lambda v: v.upper() if isinstance(v, str) else v])
    start_time = TimeField(validators=[Optional()])
    end_time = TimeField(validators=[Optional()])
    minimum_age = IntegerField(validators=[Optional(), NumberRange(min=0, max=150)])
    maximum_age = IntegerField(validators=[Optional(), NumberRange(min=0, max=150)])

    def validate_modified_after(self, field: StringField) -> None:
        if field.data and _datetime(field.data) is None:
            raise ValidationError("Give a date or date-time such as 2026-01-31T09:00:00Z")

    def validate_proximity(self, field: IntegerField) -> None:
        if field.data is not None and not self.postcode.data:
            raise ValidationError("proximity needs a postcode to measure from")

    def validate_postcode(self, field: StringField) -> None:
        if not field.data:
            return
        if geo.normalise_postcode(field.data) is None and geo.outward_code(field.data) is None:
            raise ValidationError("Give a UK postcode such as M1 1AE")
        config = current_app.config
        remote = geocoder.limited_per_visitor(geocoder.remote_geocoder(config), config["GEOCODER_SEARCH_LIMIT"])
        found = lookup.locate(field.data, remote)
        if not isinstance(found, lookup.Found):
            raise ValidationError("We couldn't find that postcode")
        self.place = found

    def page_number(self) -> int:
        return self.page.data or 1

    def size(self) -> int:
        return self.per_page.data or current_app.config["PER_PAGE"]

    def to_query(self) -> HsdsQuery:
        """The query object for a valid form (views answer 400 before asking for one)."""
        return HsdsQuery(
            search=(self.search.data or "").strip(),
            taxonomy_term_id=self.taxonomy_term_id.data or "",
            taxonomy_id=self.taxonomy_id.data or "",
            organization_id=self.organization_id.data or "",
            modified_after=_datetime(self.modified_after.data) if self.modified_after.data else None,
            near=self.place.point if self.place else None,
            proximity_metres=self.proximity.data or DEFAULT_PROXIMITY,
            day=self.day.data or "",
            start_time=self.start_time.data,
            end_time=self.end_time.data,
            minimum_age=self.minimum_age.data,
            maximum_age=self.maximum_age.data,
        )
