"""The one import path the staff page and `flask import` share: read a file, plan it, and
(once confirmed) carry it out. An uploaded file waits here under a random token between the
preview and the confirming request, so what is imported is exactly what was previewed."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from directory import clock
from directory.extensions import db
from directory.imports import apply, layout, plan, reading
from directory.models import ImportUpload, User

KEPT_FOR = timedelta(days=1)


def preview(body: bytes, filename: str, source: str = layout.SPREADSHEET) -> plan.Plan:
    """What importing the file would do; FileProblem when it cannot be read at all."""
    return plan.make(reading.read(body, filename), source)


def keep(user: Any, filename: str, body: bytes) -> str:
    """Keep an uploaded file for its preview; returns the token that names it."""
    db.session.execute(delete(ImportUpload).where(ImportUpload.created_at < clock.utcnow() - KEPT_FOR))
    token = secrets.token_urlsafe(32)
    db.session.add(ImportUpload(token=token, user_id=user.id, filename=filename[:200], body=body))
    db.session.commit()
    return token


def kept(token: str) -> ImportUpload | None:
    """The file kept under that token (any member of staff may finish an import), if still kept."""
    return db.session.scalar(select(ImportUpload).where(ImportUpload.token == token))


def confirm(user: User, upload: ImportUpload) -> dict[str, int]:
    """Import a kept file, planned again from its stored bytes. It stays kept for a day: confirming
    twice (a double click, the back button) imports nothing more, as the same file changes nothing."""
    return apply.run(preview(upload.body, upload.filename, upload.source), user)


def report_csv(body: bytes, made: plan.Plan) -> str:
    """The file's rows again, each with what the import would do and its problems in two more columns."""
    table = reading.read(body, "")
    headers = [*(h for h in table.headers if h), "import", "problems"]
    actions = {r.row: r.action for r in made.rows}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for problem in (p for p in made.problems if p.row == 1):
        writer.writerow(["" for _ in headers[:-2]] + ["", str(problem)])
    for n, row in table.rows:
        problems = "; ".join(str(p) for p in made.problems_on(n))
        cells = [row.get(h, "") for h in headers[:-2]]
        action = "error" if any(p.error for p in made.problems_on(n)) else actions.get(n, "")
        writer.writerow([layout.escape(c) for c in (*cells, action, problems)])
    return out.getvalue()
