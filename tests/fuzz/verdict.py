"""Whether the site took a submission or refused it, judged from what the person would see next.

Refused: a 4xx, a sign-in page for someone not allowed, the form again with an error, or a
redirect back to the page the form was on (or to a page with an error message). Anything else
is taken: a thank-you page, a link page, a redirect onwards or with a success message.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

ERROR_MARKS = ("govuk-error-summary", "govuk-error-message")
SIGN_IN = "/account/sign-in"
# Flask-Login's "Sign in to see that page" is flashed in this category.
SIGN_IN_FIRST = "info"


@dataclass(frozen=True)
class Verdict:
    refused: bool
    why: str


def flashes(client) -> list[tuple[str, str]]:
    """The messages waiting in the client's session for the next page, left there for it."""
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def judge(response, waiting: list[tuple[str, str]], form_page: str) -> Verdict:
    status = response.status_code
    if 400 <= status < 500:
        return Verdict(True, f"{status}")
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", "")).path
        categories = {category for category, _ in waiting}
        if target == SIGN_IN and SIGN_IN_FIRST in categories:
            return Verdict(True, "sign in first")
        if "error" in categories:
            return Verdict(True, "redirect with an error")
        if categories:
            return Verdict(False, "redirect with a message")
        # Not the address posted to: Post/Redirect/Get sends a taken form there to show what was done.
        if target == urlsplit(form_page).path:
            return Verdict(True, "sent back")
        return Verdict(False, "redirect onwards")
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    if any(mark in body for mark in ERROR_MARKS):
        return Verdict(True, "form shown again with an error")
    return Verdict(False, f"{status} page")
