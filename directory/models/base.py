"""The model base class: Flask-SQLAlchemy's db.Model at run time, our typed Base to type checkers
(which cannot follow a base class made at run time)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from directory.orm import Base as Model
else:
    from directory.extensions import db

    Model = db.Model

__all__ = ["Model"]
