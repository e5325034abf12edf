"""The query parameters of the HSDS API, as a WTForms GET form like every other input:
anything malformed is an error in words (a 400), never a 500."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TimeField
from wtforms.validators import Length, NumberRange, Optional, Regexp, StopValidation, ValidationError

from directory.fields import printable
from directory.interop.queries import MAX_PER_PAGE, HsdsQuery
from directory.places import geocoder, lookup
from directory.schedules import rules
from directory.search.forms import MAX_KEYWORD

# A postcode without `proximity`: the same default distance as /search (10 miles), in metres.
DEFAULT_PROXIMITY = 16_093
MAX_PROXIMITY = 200_000


# What each text parameter must look like (the OpenAPI description gives the same patterns); empty is absent.
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
UUID_MESSAGE = "Give an id such as 3fa85f64-5717-4562-b3fc-2c963f66afa6"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
# RFC 3339: a date, or a date-time with seconds and a zone (Z or +01:00).
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2}))?$")
POSTCODE_PATTERN = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?([0-9][A-Za-z]{2})?$"


def _if_given(form, field) -> None:
    """Like Optional, except that an empty value is an error: "?page=" is not a page number."""
    if not field.raw_data:
        raise StopValidation()


class AsSent(Regexp):
    """A pattern over the text as sent: a TimeField's data is a time (and it would take "9:5" too)."""

    def __call__(self, form, field, message=None) -> None:
        if not self.regex.match((field.raw_data or [""])[0]):
            raise ValidationError(self.message)


def _datetime(text: str) -> datetime | None:
    """An RFC 3339 date or date-time as naive UTC; None when it is neither. A leap second is the second
    before it, and digits past microseconds are dropped; dates beyond Python's years are its ends."""
    match = _RFC3339.match(text)
    if not match:
        return None
    year, month, day = (int(x) for x in match.group(1, 2, 3))
    try:
        on = date(max(year, 1), month, day)
    except ValueError:
        return None
    if match.group(4) is None:
        return datetime.combine(on, time())
    hour, minute, second = (int(x) for x in match.group(4, 5, 6))
    zone = match.group(8)
    offset = timedelta(0)
    if zone not in ("Z", "z"):
        sign, zone_hours, zone_minutes = (-1 if zone[0] == "-" else 1), int(zone[1:3]), int(zone[4:6])
        if zone_hours > 23 or zone_minutes > 59:
            return None
        offset = sign * timedelta(hours=zone_hours, minutes=zone_minutes)
    if hour > 23 or minute > 59 or second > 60:
        return None
    fraction = int((match.group(7) or "0")[:6].ljust(6, "0"))
    local = datetime.combine(on, time(hour, minute, min(second, 59), fraction))
    try:
        return local - offset
    except OverflowError:
        return datetime.min if offset > timedelta(0) else datetime.max


class HsdsForm(FlaskForm):
    """page, per_page and the filters of /hsds/ lists; every one given must hold (AND)."""

    class Meta:
        csrf = False

    place: lookup.Found | None = None

    page = IntegerField(validators=[_if_given, NumberRange(min=1, max=1_000_000, message="Pages start at 1")])
    per_page = IntegerField(validators=[_if_given, NumberRange(min=1, max=MAX_PER_PAGE,
                                                                message=f"per_page is 1 to {MAX_PER_PAGE}")])
    search = StringField(validators=[Optional(), Length(max=MAX_KEYWORD)], filters=[printable])
    taxonomy_term_id = StringField(validators=[Optional(), Regexp(UUID_PATTERN, message=UUID_MESSAGE)])
    taxonomy_id = StringField(validators=[Optional(), Regexp(UUID_PATTERN, message=UUID_MESSAGE)])
    organization_id = StringField(validators=[Optional(), Regexp(UUID_PATTERN, message=UUID_MESSAGE)])
    modified_after = StringField(validators=[Optional()])
    postcode = StringField(validators=[Optional(), Length(max=8), Regexp(
        POSTCODE_PATTERN, message="Give a UK postcode such as M1 1AE")])
    proximity = IntegerField(validators=[_if_given, NumberRange(min=1, max=MAX_PROXIMITY,
                                                                 message=f"proximity is 1 to {MAX_PROXIMITY} metres")])
    day = SelectField(choices=[("", "")] + [(c, c) for c in rules.DAY_CODES], validators=[Optional()],
                      filters=[lambda v: v.upper() if isinstance(v, str) else v])
    start_time = TimeField(validators=[Optional(), AsSent(TIME_PATTERN, message="Give a time such as 09:30")])
    end_time = TimeField(validators=[Optional(), AsSent(TIME_PATTERN, message="Give a time such as 17:00")])
    minimum_age = IntegerField(validators=[_if_given, NumberRange(min=0, max=150)])
    maximum_age = IntegerField(validators=[_if_given, NumberRange(min=0, max=150)])

    def validate_modified_after(self, field: StringField) -> None:
        if field.data and _datetime(field.data) is None:
            raise ValidationError("Give a date or date-time such as 2026-01-31T09:00:00Z")

    def locate(self) -> lookup.Found | lookup.NotFound | None:
        """Where the postcode is (after validate); None without one. Not found is the caller's 404:
        the postcode is well formed, there is just no such place that we know of."""
        if not self.postcode.data:
            return None
        config = current_app.config
        remote = geocoder.limited_per_visitor(geocoder.remote_geocoder(config), config["GEOCODER_SEARCH_LIMIT"])
        found = lookup.locate(self.postcode.data, remote)
        if isinstance(found, lookup.Found):
            self.place = found
        return found

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
