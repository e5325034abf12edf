"""The unsubscribe form: one button, and what a mail program's one-click unsubscribe (RFC 8058) posts."""

from __future__ import annotations

from flask_wtf import FlaskForm


class UnsubscribeForm(FlaskForm):
    class Meta:
        # The signed link is the authority; a mail program's one-click POST carries no CSRF token.
        csrf = False
