"""Forms for editing a listing's details, for staff decisions, and for reporting a problem."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from directory import vocab
from directory.accounts.forms import EMAIL_MESSAGE, EMAIL_PATTERN
from directory.fields import WEB, text


class DetailsForm(FlaskForm):
    version = HiddenField()
    name = text("Name", 200, required="Enter the name of the service or group")
    summary = text("Summary", 300, description="One sentence that shows in search results")
    description = text("Description", 5000, area=True)
    group_type = SelectField("Type of group", choices=[("", "Not a peer group")] + [(t.code, t.label) for t in vocab.GROUP_TYPES],
                             default="", widget=GovSelect())
    venue_name = text("Venue name", 200)
    address = text("Address", 300)
    town = text("Town", 120)
    postcode = text("Postcode", 10)
    phone = text("Phone", 40)
    email = text("Email", 254, extra=(Regexp(f"^$|{EMAIL_PATTERN}", message=EMAIL_MESSAGE),))
    website = text("Website", 500, extra=(WEB,))
    free = BooleanField("It is free", widget=GovCheckboxInput())
    cost = text("Cost", 500, description="If it is not free, what it costs")
    families_welcome = BooleanField("Families and carers are welcome", widget=GovCheckboxInput())
    abstinence_required = BooleanField("People must have stopped using to come", widget=GovCheckboxInput())
    eligibility = text("Other eligibility", 2000, area=True)
    referral = text("How to get referred", 2000, area=True)
    accessibility = text("Accessibility", 2000, area=True)

    VALUE_FIELDS = ("name", "summary", "description", "group_type", "venue_name", "address", "town", "postcode",
                    "phone", "email", "website", "free", "cost", "families_welcome", "abstinence_required",
                    "eligibility", "referral", "accessibility")

    def values(self) -> dict[str, Any]:
        return {f: (self[f].data or "") if not isinstance(self[f], BooleanField) else bool(self[f].data)
                for f in self.VALUE_FIELDS}

    def base_version(self) -> int:
        return int(self.version.data) if (self.version.data or "").isdigit() else 0


class DecisionForm(FlaskForm):
    decision = RadioField("Your decision", choices=[("approve", "Approve"), ("reject", "Do not approve")],
                          validators=[InputRequired(message="Choose approve or do not approve")], widget=GovRadioInput())
    reason = text("Reason", 1000, area=True, description="Needed if you do not approve; the person who asked will see it")


class ReportForm(FlaskForm):
    message = text("What is wrong with this listing?", 2000, required="Tell us what is wrong", area=True,
                   description="For example, the group has moved or the phone number has changed. Please do not include personal details.")
    # A honeypot: hidden from people, filled in by some bots. Anything in it means the report is dropped.
    website = StringField("Leave this empty", validators=[Optional(), Length(max=500)])
