"""Forms for editing a listing's details, for staff decisions, and for reporting a problem."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from directory import vocab
from directory.accounts.forms import EMAIL_MESSAGE, EMAIL_PATTERN
from directory.fields import WEB, text
from directory.listings import schema


def _choices(terms: tuple[vocab.Term, ...]) -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in terms]


def _boxes(label: str, terms: tuple[vocab.Term, ...], description: str = "") -> SelectMultipleField:
    return SelectMultipleField(label, choices=_choices(terms), widget=GovCheckboxesInput(), description=description)


def _yes(label: str) -> BooleanField:
    return BooleanField(label, widget=GovCheckboxInput())


class AgeField(IntegerField):
    """An age in whole years; anything else is a message on the form."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        text_value = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text_value:
            if not text_value.isdigit() or int(text_value) > 120:
                raise ValueError("Enter an age in years, such as 18")
            self.data = int(text_value)


class DetailsForm(FlaskForm):
    """Every field of a listing; a facilitator's copy leaves out the staff-only ones (schema.fields_for)."""

    version = HiddenField()
    organisation_id = SelectField("Organisation", choices=[("", "No organisation")], default="", widget=GovSelect())
    name = text("Name", 200, required="Enter the name of the service or group")
    summary = text("Summary", 300, description="One sentence that shows in search results")
    description = text("Description", 5000, area=True)
    categories = _boxes("Types of support", vocab.CATEGORIES, "Choose all that apply")
    stages = _boxes("Stages it suits", vocab.STAGES, "Leave all empty if it suits any stage")
    audiences = _boxes("Who it is for", vocab.AUDIENCES)
    delivery_modes = _boxes("How it is offered", vocab.DELIVERY_MODES)
    group_type = SelectField("Type of group", choices=[("", "Not a peer group"), *_choices(vocab.GROUP_TYPES)],
                             default="", widget=GovSelect())
    meeting_types = _boxes("Meeting types", vocab.MEETING_TYPES, "For peer groups")
    venue_name = text("Venue name", 200)
    address = text("Address", 300)
    town = text("Town", 120)
    postcode = text("Postcode", 10)
    confidential = _yes("Keep the address private: show the town only (for example, a refuge)")
    phone = text("Phone", 40)
    email = text("Email", 254, extra=(Regexp(f"^$|{EMAIL_PATTERN}", message=EMAIL_MESSAGE),))
    website = text("Website", 500, extra=(WEB,))
    free = _yes("It is free")
    cost = text("Cost", 500, description="If it is not free, what it costs")
    co_occurring = _yes("People with both mental health and substance use needs are welcome")
    families_welcome = _yes("Families and carers are welcome")
    abstinence_required = _yes("People must have stopped using to come")
    min_age = AgeField("Youngest age", validators=[Optional()], description="Leave empty if there is no lower limit")
    max_age = AgeField("Oldest age", validators=[Optional()], description="Leave empty if there is no upper limit")
    wait = SelectField("Typical wait", choices=[("", "Not known"), *_choices(vocab.WAIT_TIMES)], default="",
                       widget=GovSelect())
    eligibility = text("Other eligibility", 2000, area=True)
    referral_routes = _boxes("Referral routes", vocab.REFERRAL_ROUTES)
    referral = text("How to get referred", 2000, area=True)
    professional_details = text("Details for professionals", 2000, area=True,
                                description="Referral forms, criteria and contacts for people who signpost")
    professional_only = _yes("Show the details for professionals to staff only")
    languages = SelectMultipleField("Languages", choices=[(n, n) for n in schema.COMMON_LANGUAGES],
                                    widget=GovCheckboxesInput())
    other_languages = text("Other languages", 300, description="Separate them with commas")
    accessibility = text("Accessibility", 2000, area=True)
    national = _yes("It is available across the country")
    area_served = text("Area served", 200, description="For example, Greater Manchester")

    def __init__(self, *args: Any, staff: bool = True, organisations: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.editable = schema.fields_for(staff)
        for name in list(self._fields):
            if name in schema.BY_NAME and name not in self.editable:
                del self[name]
        if "organisation_id" in self:
            self.organisation_id.choices = [("", "No organisation"), *(organisations or [])]

    def validate_categories(self, field: Any) -> None:
        if not field.data:
            raise ValidationError("Choose at least one type of support")

    def validate_max_age(self, field: Any) -> None:
        if field.data is not None and self.min_age.data is not None and field.data < self.min_age.data:
            raise ValidationError("The oldest age must be the same as or more than the youngest age")

    def load(self, values: dict[str, Any], version: int) -> None:
        """Fill the form from a listing's values (edits.snapshot)."""
        data = {k: v for k, v in values.items() if k in self.editable}
        known = [n for n in values.get("languages", []) if n in schema.COMMON_LANGUAGES]
        data["languages"], data["other_languages"] = known, ", ".join(
            n for n in values.get("languages", []) if n not in known)
        data["organisation_id"] = str(values.get("organisation_id") or "")
        self.process(data={**data, "version": str(version)})

    def values(self) -> dict[str, Any]:
        """The submitted values, keyed and typed as edits.snapshot gives them."""
        out: dict[str, Any] = {}
        for name in self.editable:
            field = self[name]
            if isinstance(field, BooleanField):
                out[name] = bool(field.data)
            elif name in schema.CODE_KINDS:
                out[name] = sorted(set(field.data or []))  # as Service.codes gives them
            elif isinstance(field, (SelectMultipleField, IntegerField)):
                out[name] = field.data or ([] if isinstance(field, SelectMultipleField) else None)
            else:
                out[name] = field.data or ""
        others = [n.strip() for n in (self.other_languages.data or "").split(",") if n.strip()]
        out["languages"] = list(dict.fromkeys([*out["languages"], *others]))
        if "organisation_id" in out:
            out["organisation_id"] = int(out["organisation_id"]) if str(out["organisation_id"]).isdigit() else None
        return out

    def base_version(self) -> int:
        return int(self.version.data) if (self.version.data or "").isdigit() else 0


class DecisionForm(FlaskForm):
    decision = RadioField("Your decision", choices=[("approve", "Approve"), ("reject", "Do not approve")],
                          validators=[InputRequired(message="Choose approve or do not approve")], widget=GovRadioInput())
    reason = text("Reason", 1000, area=True, description="Needed if you do not approve; the person who asked will see it")
    # Shown only when the live listing changed since the request was made.
    overwrite = _yes("Approve anyway, replacing what is live now")


class ReportForm(FlaskForm):
    message = text("What is wrong with this listing?", 2000, required="Tell us what is wrong", area=True,
                   description="For example, the group has moved or the phone number has changed. Please do not include personal details.")
    # A honeypot: hidden from people, filled in by some bots. Anything in it means the report is dropped.
    website = StringField("Leave this empty", validators=[Optional(), Length(max=500)])


class OrganisationForm(FlaskForm):
    name = text("Name", 200, required="Enter the organisation's name")
    description = text("About the organisation", 5000, area=True)
    website = text("Website", 500, extra=(WEB,))
    email = text("Email", 254, extra=(Regexp(f"^$|{EMAIL_PATTERN}", message=EMAIL_MESSAGE),))
    phone = text("Phone", 40)

    def values(self) -> dict[str, Any]:
        return {f: self[f].data or "" for f in ("name", "description", "website", "email", "phone")}


class StaffListingsForm(FlaskForm):
    """The staff list's search: words read as the public search reads them, and a status (a GET form)."""

    class Meta:
        csrf = False

    q = text("Words", 200, description="Found as the public search finds them (names, descriptions, other words "
             "for the same thing), in listings of every status")
    status = SelectField("Status", choices=[("", "Any"), ("published", "Published"), ("pending", "Waiting for staff"),
                                            ("draft", "Not published"), ("archived", "Archived")],
                         default="", widget=GovSelect())

    def words(self) -> str:
        """The words if they are valid (too long is shown as an error and searched as nothing)."""
        return self.q.data or "" if not self.q.errors else ""

    def chosen_status(self) -> str:
        return self.status.data or "" if not self.status.errors else ""


class AuditFilterForm(FlaskForm):
    """The audit log's filters, read from the query string."""

    class Meta:
        csrf = False

    listing = SelectField("Listing", choices=[("", "Any listing")], default="", widget=GovSelect())
    person = SelectField("Who", choices=[("", "Anyone")], default="", widget=GovSelect())
    kind = SelectField("Kind of change", choices=[("", "Any kind")], default="", widget=GovSelect())

    def __init__(self, *args: Any, listings: list[tuple[str, str]], people: list[tuple[str, str]],
                 kinds: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.listing.choices = [("", "Any listing"), *listings]
        self.person.choices = [("", "Anyone"), *people]
        self.kind.choices = [("", "Any kind"), *kinds]

    def chosen(self, name: str) -> str:
        """The value if it is one of the choices (a bad one is shown as an error and ignored)."""
        field = self[name]
        return field.data if field.data and not field.errors else ""


class SpacesForm(FlaskForm):
    spaces = RadioField("Spaces now", choices=_choices(vocab.SPACES),
                        validators=[InputRequired(message="Choose whether there are spaces, a waiting list, or it is full")],
                        widget=GovRadioInput())


class VenueForm(FlaskForm):
    """A new venue's details, or (when adding to a listing) a venue already listed to reuse."""

    existing = SelectField("Use a venue already listed", choices=[("", "No, add a new venue")], default="",
                           widget=GovSelect())
    name = text("Venue name", 200)
    address = text("Address", 300)
    town = text("Town", 120)
    postcode = text("Postcode", 10)
    confidential = _yes("Keep the address private: show the town only (for example, a refuge)")

    def values(self) -> dict[str, Any]:
        return {"name": self.name.data or "", "address": self.address.data or "", "town": self.town.data or "",
                "postcode": self.postcode.data or "", "confidential": bool(self.confidential.data)}
