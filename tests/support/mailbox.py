"""Mail in tests: a real SMTP server (aiosmtpd) the app sends to, and reading what it received."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest

from directory.mail import sending
from tests.support.servers import SmtpServer

LINK = re.compile(r"https?://[^\s\"<>]+")


class Mailbox(SmtpServer):
    """The SMTP server, read once the app has finished the sends its requests started."""

    @property
    def received(self) -> list[EmailMessage]:
        sending.wait_for_senders()
        return self.messages


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free port, and the app sending to it."""
    with Mailbox() as server:
        app.config.update(server.config)
        yield server


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML bodies."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None, "a message needs a text and an HTML part"
    return text.get_content(), html.get_content()


def links(message: EmailMessage) -> list[str]:
    """Every link in the text part, as paths the test client can follow."""
    found = LINK.findall(parts(message)[0])
    return [urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else "") for u in found]


def addressed_to(server: Mailbox, email: str) -> list[EmailMessage]:
    return [m for m in server.received if m["To"] == email]
