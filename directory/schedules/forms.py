"""The schedule form (weekly, fortnightly, "2nd Tuesday"...) and the one-session change form."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from wtforms import IntegerField, RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from directory import clock, vocab
from directory.fields import WEB, GovDateField, TimeText, text
from directory.schedules import limits, rules
from directory.schedules.changes import ScheduleValues


def _site_today() -> date:
    return clock.today_in(current_app.config["DEFAULT_TIMEZONE"])


POSITIONS = [("", "Every week or month (no position)"), ("1", "1st"), ("2", "2nd"), ("3", "3rd"), ("4", "4th"), ("-1", "Last")]


ONCE = "ONCE"


class ScheduleForm(FlaskForm):
    kind = RadioField("What is this?", choices=[("session", "Group sessions or meetings (in the calendar feeds)"),
                                                 ("opening", "Opening hours")],
                      default="session", validators=[InputRequired(message="Choose sessions or opening hours")], widget=GovRadioInput())
    freq = RadioField("How often", choices=[("WEEKLY", "Weekly"), ("MONTHLY", "Monthly"),
                                            (ONCE, "Once only: a one-off event on the first date")], default="WEEKLY",
                      validators=[InputRequired(message="Choose weekly, monthly or once only")], widget=GovRadioInput())
    interval = IntegerField("Every how many weeks or months", default=1,
                            validators=[InputRequired(message="Enter a number, 1 for every week or month"),
                                        NumberRange(min=1, max=52, message="Enter a number from 1 to 52")],
                            description="1 for every week, 2 for every other week", widget=GovTextInput())
    day = SelectField("Day", choices=[(code, name) for code, name in rules.DAY_NAMES.items()], widget=GovSelect())
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
        if field.data and (message := limits.first_date_problem(field.data, _site_today())):
            raise ValidationError(message)

    def validate_until(self, field: GovDateField) -> None:
        if field.data and (message := limits.last_date_problem(self.dtstart.data, field.data)):
            raise ValidationError(message)

    def load(self, sched: Any) -> None:
        """Fill the form from a schedule (for a GET)."""
        for name in ("kind", "freq", "interval", "bymonthday", "dtstart", "until", "opens_at", "closes_at",
                     "attending_type", "online_url", "joining_details", "notes"):
            self[name].data = getattr(sched, name)
        if sched.count == 1:
            self.freq.data = ONCE
        days = rules.parse_byday(sched.byday) if rules.days_known(sched.byday) else []
        if days:
            position, self.day.data = days[0]
            self.position.data = str(position) if position else ""

    def to_values(self, timezone: str) -> ScheduleValues:
        """A one-off event is one weekly session on its date (COUNT=1), so pages, /meetings and the
        feeds show it with no rules of its own."""
        once = self.freq.data == ONCE
        if once and self.dtstart.data:
            self.day.data = rules.DAY_CODES[self.dtstart.data.weekday()]
        monthly = self.freq.data == "MONTHLY"
        if monthly and self.bymonthday.data:
            byday = ""
        else:
            byday = f"{self.position.data if monthly else ''}{self.day.data}"
        return ScheduleValues(
            kind=self.kind.data, freq="WEEKLY" if once else self.freq.data, interval=1 if once else self.interval.data,
            byday=byday, bymonthday=self.bymonthday.data if monthly else None, dtstart=self.dtstart.data,
            until=None if once else self.until.data, count=1 if once else None, opens_at=self.opens_at.data, closes_at=self.closes_at.data, timezone=timezone,
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


class DeleteScheduleForm(FlaskForm):
    confirm = RadioField("Are you sure you want to delete this schedule?",
                         choices=[("yes", "Yes, delete it"), ("no", "No, keep it")],
                         validators=[InputRequired(message="Choose yes to delete the schedule, or no to keep it")],
                         widget=GovRadioInput())
