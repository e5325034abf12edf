"""Forms for signing in, passwords, asking to facilitate, and staff managing accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSelect, GovTextArea, GovTextInput
from wtforms import HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from directory import vocab
from directory.accounts.members import MIN_PASSWORD
from directory.fields import printable

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EMAIL_MESSAGE = "Enter an email address like name@example.org"
EMAIL = [
    DataRequired(message="Enter an email address"),
    Length(max=254, message="Email addresses must be 254 characters or fewer"),
    Regexp(EMAIL_PATTERN, message=EMAIL_MESSAGE),
]


def email_field(label: str = "Email address") -> StringField:
    return StringField(label, validators=EMAIL, filters=[printable], widget=GovTextInput())


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        "New password",
        validators=[
            DataRequired(message="Enter a new password"),
            Length(min=MIN_PASSWORD, max=200, message=f"Passwords must be between {MIN_PASSWORD} and 200 characters"),
        ],
        description=f"At least {MIN_PASSWORD} characters. Three random words make a good one.",
        widget=GovPasswordInput(),
    )
    confirm = PasswordField(
        "Type the new password again",
        validators=[DataRequired(message="Type the new password again"),
                    EqualTo("password", message="The two passwords are different")],
        widget=GovPasswordInput(),
    )
    return password, confirm


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        "Password",
        validators=[DataRequired(message="Enter your password"), Length(max=200, message="Passwords are 200 characters or fewer")],
        widget=GovPasswordInput(),
    )
    next = HiddenField(validators=[Optional(), Length(max=500)])


class SetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired(message="Enter your current password"), Length(max=200)],
        widget=GovPasswordInput(),
    )
    password, confirm = new_password_fields()


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class FacilitateForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(message="Enter your name"), Length(max=120, message="Names must be 120 characters or fewer")],
                       filters=[printable], widget=GovTextInput())
    email = email_field()
    group_name = StringField(
        "The group you run",
        validators=[DataRequired(message="Enter the name of the group"), Length(max=200, message="Group names must be 200 characters or fewer")],
        description="As it appears on this site, or the name of a new group",
        filters=[printable], widget=GovTextInput(),
    )
    message = TextAreaField(
        "Anything staff should know (optional)",
        validators=[Optional(), Length(max=2000, message="Keep this to 2000 characters or fewer")],
        description="For example, who runs the group with you. Please do not include anything about the people who come.",
        filters=[printable], widget=GovTextArea(),
    )
    service = HiddenField(validators=[Optional(), Length(max=120)], filters=[printable])


def role_choices(staff_too: bool = True) -> list[tuple[str, str]]:
    """The roles one may give: every one, or (for staff who are not administrators) facilitator only."""
    return [(t.code, t.label) for t in vocab.ROLES if staff_too or t.code not in vocab.STAFF_ROLES]


class InviteForm(FlaskForm):
    email = email_field()
    name = StringField("Name", validators=[Optional(), Length(max=120, message="Names must be 120 characters or fewer")],
                       filters=[printable], widget=GovTextInput())
    role = SelectField("Role", choices=role_choices(), widget=GovSelect())
    service = SelectField("Service they may edit", choices=[], validate_choice=True, widget=GovSelect())


class AttachForm(FlaskForm):
    service = SelectField("Service", choices=[], validate_choice=True, widget=GovSelect())


def service_choices(services, blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(s.id), s.name) for s in services]
