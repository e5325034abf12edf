"""Form pieces every form shares: text with limits and no control characters, dates typed in
three boxes (full years only), times typed as people write them, a button-only form, and
the GOV.UK error summary."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextArea, GovTextInput
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from directory import words

# The largest row id any of our tables can hold: PostgreSQL's integer stops at 2**31 - 1 (SQLite at
# 2**63 - 1), so an id past it is refused before a query rather than overflowing the driver.
MAX_ROW_ID = 2**31 - 1


def printable(value: str | None) -> str | None:
    """Trim, and drop control characters (NUL and friends) other than line breaks and tabs:
    no database or page has a use for them, and PostgreSQL refuses NUL."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch in "\n\r\t" or unicodedata.category(ch) != "Cc").strip()


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
