"""The unsubscribe form (one button; also what one-click unsubscribe, RFC 8058, posts) and a person's email settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField


class UnsubscribeForm(FlaskForm):
    class Meta:
        # The signed link is the authority; a mail program's one-click POST carries no CSRF token.
        csrf = False


class EmailSettingsForm(FlaskForm):
    """The optional kinds, each on or off; a facilitator is offered reminders only."""

    reminder = BooleanField("Reminders to check my listings (every six months)", widget=GovCheckboxInput())
    digest = BooleanField("A daily summary of what is waiting for staff", widget=GovCheckboxInput())
