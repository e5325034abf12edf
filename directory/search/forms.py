"""WTForms for every input, GET forms included, rendered with GOV.UK Frontend widgets."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from directory import clock, vocab, words
from directory.fields import printable
from directory.places import geocoder, lookup
from directory.schedules import rules
from directory.search import reading, vocabulary
from directory.search.query import BEST, NEAREST, ServiceQuery
from directory.search.schedules import MeetingQuery

MAX_KEYWORD = 200

WHO_CHOICES = [
    ("myself", "Myself"),
    ("someone", "Someone I care about"),
    ("professional", "I'm a professional"),
]
SORT_CHOICES = [(BEST, "Best match"), (NEAREST, "Nearest")]


def _choices(terms: tuple[vocab.Term, ...]) -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in terms]


class TermsField(SelectMultipleField):
    """Checkboxes of one vocabulary; an unknown code is reported, then left out."""

    widget = GovCheckboxesInput()

    def __init__(self, label: str, terms: tuple[vocab.Term, ...], **kwargs):
        super().__init__(label, choices=_choices(terms), validators=[Optional()], **kwargs)

    def valid_codes(self) -> tuple[str, ...]:
        allowed = {code for code, _ in self.choices}
        return tuple(c for c in (self.data or []) if c in allowed)


RADIUS_CHOICES = [(1, "1 mile"), (3, "3 miles"), (5, "5 miles"), (10, "10 miles"), (25, "25 miles"), (50, "50 miles")]
DEFAULT_RADIUS = 10
RADIUS_MESSAGE = "Choose a distance from the list"


class RadiusField(SelectField):
    """How far from the place to look; anything not on the list is reported, then the default used."""

    widget = GovSelect()

    def __init__(self, label: str, **kwargs):
        super().__init__(label, choices=RADIUS_CHOICES, coerce=int, default=DEFAULT_RADIUS, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(RADIUS_MESSAGE) from exc

    def pre_validate(self, form) -> None:
        if self.data not in dict(RADIUS_CHOICES):
            raise ValidationError(RADIUS_MESSAGE)

    def miles(self) -> int:
        return self.data if not self.errors else DEFAULT_RADIUS


class PlaceForm(FlaskForm):
    """"Where?" and "Within": the place is looked up while validating, so a place we cannot
    find is reported on the form like any other input, never as an error page."""

    class Meta:
        csrf = False

    place: lookup.Found | None = None
    near_suggestions: tuple[str, ...] = ()

    near = StringField(
        "Where?",
        validators=[Optional(), Length(max=100, message="Place names must be 100 characters or fewer")],
        description="A town or postcode",
        filters=[printable],
        widget=GovTextInput(),
    )
    radius = RadiusField("Within")

    def validate_near(self, field: StringField) -> None:
        config = current_app.config
        found = lookup.locate(field.data, geocoder.limited_per_visitor(geocoder.remote_geocoder(config), config["GEOCODER_SEARCH_LIMIT"]))
        if isinstance(found, lookup.Found):
            self.place = found
            return
        self.near_suggestions = found.suggestions
        if found.unavailable:
            raise ValidationError(f"We couldn't look up “{found.text}” just now. Try a postcode or a nearby town")
        if found.suggestions:
            raise ValidationError(f"We couldn't find “{found.text}”. Did you mean {words.join(found.suggestions, 'or')}?")
        raise ValidationError(f"We couldn't find “{found.text}”. Check the spelling, or try a postcode or a nearby town")


class WordsForm(PlaceForm):
    """The words box, read the same way on /search and /meetings: a place at the end of the
    words, and spellings the listings do not use."""

    q = StringField(
        "What do you need help with?",
        validators=[
            Optional(),
            Length(max=MAX_KEYWORD, message=f"Search words must be {MAX_KEYWORD} characters or fewer"),
        ],
        description="For example, housing, a support group or talking therapy",
        filters=[printable],
        widget=GovTextInput(),
    )
    exact = BooleanField("Search for exactly these words", widget=GovCheckboxInput())

    read_as = reading.Reading("")

    def validate_q(self, field: StringField) -> None:
        """Read the words: a place at their end (when no place was given), and their spelling."""
        self.read_as = reading.read((field.data or "").strip(), exact=bool(self.exact.data), find_place=not self.near.data)
        if self.read_as.place is not None:
            self.place = self.read_as.place

    def words(self) -> str:
        """The words to search for, as read; "" when they could not be used."""
        return self.read_as.words if not self.q.errors else ""


class SearchForm(WordsForm):
    """The search box and filters of /search (a GET form, so no CSRF token)."""

    who = RadioField(
        "Who are you looking for help for?",
        choices=WHO_CHOICES,
        validators=[Optional()],
        widget=GovRadioInput(),
    )
    category = TermsField("Type of support", vocab.CATEGORIES)
    stage = TermsField("Stage of treatment", vocab.STAGES_PLAIN)
    audience = TermsField("Who it is for", vocab.AUDIENCES)
    mode = TermsField("How it is offered", vocab.DELIVERY_MODES)
    referral = TermsField("How to get referred", vocab.REFERRAL_ROUTES)
    language = SelectField("Language", validators=[Optional()], widget=GovSelect())
    sort = RadioField("Order", choices=SORT_CHOICES, validators=[Optional()], widget=GovRadioInput())
    free = BooleanField("Free services only", widget=GovCheckboxInput())
    no_abstinence = BooleanField(
        "No need to be abstinent (you can still be using)", widget=GovCheckboxInput()
    )
    families_welcome = BooleanField("Families and carers welcome", widget=GovCheckboxInput())
    open_now = BooleanField("Open now", widget=GovCheckboxInput())
    has_spaces = BooleanField("Has spaces now", widget=GovCheckboxInput())
    page = IntegerField(
        "Page",
        validators=[Optional(), NumberRange(min=1, message="Page numbers start at 1")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [("", "Any language"), *((name, name) for name in vocabulary.languages())]

    def to_query(self) -> ServiceQuery:
        """The query object for what is valid in the form; invalid parts are left out."""
        language = self.language.data if not self.language.errors and self.language.data else ""
        return ServiceQuery(
            q=self.words(),
            languages=(language,) if language else (),
            order=self.sort.data if self.sort.data in dict(SORT_CHOICES) else "",
            categories=self.category.valid_codes(),
            stages=self.stage.valid_codes(),
            audiences=self.audience.valid_codes(),
            modes=self.mode.valid_codes(),
            referrals=self.referral.valid_codes(),
            free=bool(self.free.data),
            no_abstinence=bool(self.no_abstinence.data),
            families_welcome=bool(self.families_welcome.data),
            open_at=clock.now() if self.open_now.data else None,
            spaces_on=clock.today_in(current_app.config["DEFAULT_TIMEZONE"]) if self.has_spaces.data else None,
            who=self.who.data if self.who.data in dict(WHO_CHOICES) else "",
            near=self.place.point if self.place else None,
            radius_miles=self.radius.miles(),
        )

    def show_order(self, query: ServiceQuery) -> None:
        """The Order radios show the order the results are in, chosen or not, so the page and its
        form never disagree: nearest when only a place is given, best match when there are words."""
        if self.sort.data not in dict(SORT_CHOICES) and (query.near is not None or query.words):
            self.sort.data = NEAREST if query.by_distance else BEST

    def page_number(self) -> int:
        page = self.page.data if not self.page.errors else None
        return page if page and page >= 1 else 1

    def has_filters(self) -> bool:
        query = self.to_query()
        return any(
            (query.q, query.categories, query.stages, query.audiences, query.modes,
             query.referrals, query.free, query.no_abstinence, query.families_welcome, query.open_at,
             query.spaces_on, query.near, query.languages)
        )


DAYS = tuple(vocab.Term(code, name) for code, name in rules.DAY_NAMES.items())
TIMES_OF_DAY = (
    vocab.Term("morning", "Morning (before midday)"),
    vocab.Term("afternoon", "Afternoon (midday to 5pm)"),
    vocab.Term("evening", "Evening (from 5pm)"),
)


class MeetingsForm(WordsForm):
    """The filters of /meetings and /meetings.ics (a GET form, so no CSRF token)."""

    day = TermsField("Day of the week", DAYS)
    time = TermsField("Time of day", TIMES_OF_DAY)
    type = TermsField("Type of group", vocab.GROUP_TYPES)
    online = BooleanField("Join from home (online or by phone)", widget=GovCheckboxInput())

    def to_query(self) -> MeetingQuery:
        """The query object for what is valid in the form; invalid parts are left out."""
        return MeetingQuery(
            services=ServiceQuery(
                q=self.words(),
                group_types=self.type.valid_codes(),
                near=self.place.point if self.place else None,
                radius_miles=self.radius.miles(),
            ),
            days=self.day.valid_codes(),
            times=self.time.valid_codes(),
            remote=bool(self.online.data),
        )

    def has_filters(self) -> bool:
        query = self.to_query()
        return any((query.services.q, query.services.group_types, query.services.near, query.days, query.times, query.remote))
