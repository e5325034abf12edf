"""Forms for editing listings, schedules and sessions, for staff decisions, and for reporting a problem."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from directory import clock, schedule, schedule_limits, vocab, words
from directory.account_forms import EMAIL_MESSAGE, EMAIL_PATTERN
from directory.forms import printable
from directory.session_changes import ScheduleValues

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.I)
WEB = Regexp(r"^$|^https?://\S+$", message="Web addresses start with https://")


def _limit(n: int, what: str = "This") -> Length:
    return Length(max=n, message=f"{what} must be {n} characters or fewer")


def text(label: str, n: int, required: str = "", area: bool = False, description: str = "", extra: tuple = ()) -> Any:
    checks = [DataRequired(message=required)] if required else [Optional()]
    field = TextAreaField if area else StringField
    return field(label, validators=[*checks, _limit(n, label), *extra], description=description,
                 filters=[printable],
                 widget=GovTextArea() if area else GovTextInput())


def parse_time(value: str) -> time:
    """'7pm', '7:30pm', '19:00' -> a time; ValueError with a message for anything else."""
    match = _TIME.match(value or "")
    if not match:
        raise ValueError("Enter a time such as 7pm or 19:30")
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError("With am or pm, the hour must be between 1 and 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError("Enter a time such as 7pm or 19:30")
    return time(hour, minute)


def _site_today() -> date:
    return clock.today_in(current_app.config["DEFAULT_TIMEZONE"])


class TimeText(StringField):
    """A time typed the way people write it."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw_text.strip():
            self.data = parse_time(self.raw_text)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return words.format_time(self.data) if self.data else ""


class GovDateField(DateField):
    """Day, month and year boxes; missing boxes are an error on the form, not a crash."""

    widget = GovDateInput()

    def __init__(self, label: str, **kwargs: Any):
        super().__init__(label, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if len(valuelist) != 3:
            self.raw_data = ["", "", ""]
            self.data = None
            if any(valuelist):
                raise ValueError("Enter the day, month and year")
            return
        if not any(v.strip() for v in valuelist):
            self.data = None
            return
        if len(valuelist[2].strip()) != 4:
            self.data = None
            raise ValueError("Enter the year in full, for example 2026")
        try:
            self.data = date(*(int(v) for v in reversed(valuelist)))
        except (ValueError, OverflowError):  # OverflowError: a day or month too long for a C int
            raise ValueError("Enter a real date, for example 17 3 2026") from None


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


POSITIONS = [("", "Every week or month (no position)"), ("1", "1st"), ("2", "2nd"), ("3", "3rd"), ("4", "4th"), ("-1", "Last")]


class ScheduleForm(FlaskForm):
    kind = RadioField("What is this?", choices=[("session", "Group sessions or meetings (in the calendar feeds)"),
                                                 ("opening", "Opening hours")],
                      default="session", validators=[InputRequired(message="Choose sessions or opening hours")], widget=GovRadioInput())
    freq = RadioField("How often", choices=[("WEEKLY", "Weekly"), ("MONTHLY", "Monthly")], default="WEEKLY",
                      validators=[InputRequired(message="Choose weekly or monthly")], widget=GovRadioInput())
    interval = IntegerField("Every how many weeks or months", default=1,
                            validators=[InputRequired(message="Enter a number, 1 for every week or month"),
                                        NumberRange(min=1, max=52, message="Enter a number from 1 to 52")],
                            description="1 for every week, 2 for every other week", widget=GovTextInput())
    day = SelectField("Day", choices=[(code, name) for code, name in schedule.DAY_NAMES.items()], widget=GovSelect())
    position = SelectField("Which one in the month (monthly only)", choices=POSITIONS, widget=GovSelect())
    bymonthday = IntegerField("Or a date in the month (monthly only)", validators=[Optional(), NumberRange(min=1, max=31, message="Enter a day from 1 to 31")],
                              description="For example 15 for the 15th of each month", widget=GovTextInput())
    dtstart = GovDateField("Date of the first session", validators=[InputRequired(message="Enter the date of the first session")])
    until = GovDateField("Last date (optional)", validators=[Optional()])
    opens_at = TimeText("Start time", validators=[InputRequired(message="Enter the start time")], description="For example 7pm or 19:00")
    closes_at = TimeText("End time (optional)", validators=[Optional()])
    attending_type = SelectField("How people join", choices=[(t.code, t.label) for t in vocab.ATTENDING_TYPES], widget=GovSelect())
    online_url = text("Online joining link", 500, extra=(WEB,))
    joining_details = text("Joining details", 500, description="For example a meeting ID or phone number")
    notes = text("Notes", 1000, area=True)

    def validate_dtstart(self, field: GovDateField) -> None:
        if field.data and (message := schedule_limits.first_date_problem(field.data, _site_today())):
            raise ValidationError(message)

    def validate_until(self, field: GovDateField) -> None:
        if field.data and (message := schedule_limits.last_date_problem(self.dtstart.data, field.data)):
            raise ValidationError(message)

    def load(self, sched: Any) -> None:
        """Fill the form from a schedule (for a GET)."""
        for name in ("kind", "freq", "interval", "bymonthday", "dtstart", "until", "opens_at", "closes_at",
                     "attending_type", "online_url", "joining_details", "notes"):
            self[name].data = getattr(sched, name)
        days = schedule.parse_byday(sched.byday) if schedule.days_known(sched.byday) else []
        if days:
            position, self.day.data = days[0]
            self.position.data = str(position) if position else ""

    def to_values(self, timezone: str) -> ScheduleValues:
        monthly = self.freq.data == "MONTHLY"
        if monthly and self.bymonthday.data:
            byday = ""
        else:
            byday = f"{self.position.data if monthly else ''}{self.day.data}"
        return ScheduleValues(
            kind=self.kind.data, freq=self.freq.data, interval=self.interval.data, byday=byday,
            bymonthday=self.bymonthday.data if monthly else None, dtstart=self.dtstart.data, until=self.until.data,
            count=None, opens_at=self.opens_at.data, closes_at=self.closes_at.data, timezone=timezone,
            attending_type=self.attending_type.data, online_url=self.online_url.data or "",
            joining_details=self.joining_details.data or "", notes=self.notes.data or "",
        )


class SessionChangeForm(FlaskForm):
    status = RadioField("What is happening to this session?",
                        choices=[("cancelled", "It is cancelled"), ("moved", "It is moving to another date or time")],
                        validators=[InputRequired(message="Choose cancelled or moving")], widget=GovRadioInput())
    note = text("A note for people coming", 500, area=True,
                description="Shown on the listing and in calendars, for example “Venue closed for repairs – back next week”")
    new_date = GovDateField("New date (if it is moving)", validators=[Optional()])
    new_opens_at = TimeText("New start time (if it is moving)", validators=[Optional()])
    new_closes_at = TimeText("New end time (optional)", validators=[Optional()])


class DecisionForm(FlaskForm):
    decision = RadioField("Your decision", choices=[("approve", "Approve"), ("reject", "Do not approve")],
                          validators=[InputRequired(message="Choose approve or do not approve")], widget=GovRadioInput())
    reason = text("Reason", 1000, area=True, description="Needed if you do not approve; the person who asked will see it")


class ReportForm(FlaskForm):
    message = text("What is wrong with this listing?", 2000, required="Tell us what is wrong", area=True,
                   description="For example, the group has moved or the phone number has changed. Please do not include personal details.")
    # A honeypot: hidden from people, filled in by some bots. Anything in it means the report is dropped.
    website = StringField("Leave this empty", validators=[Optional(), Length(max=500)])


class ConfirmForm(FlaskForm):
    """A button-only form: just the CSRF token."""


def error_list(form: FlaskForm) -> dict[str, Any]:
    """GOV.UK error summary parameters; form-wide errors link to the message above the form."""
    from govuk_frontend_wtf.main import wtforms_errors

    params = wtforms_errors(form)
    for item in params["errorList"]:
        if item["href"] == "#None":
            item["href"] = "#form-errors"
    return params
