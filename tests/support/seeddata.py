"""The demo data read straight from seeds/, as an independent oracle for what searches must find."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@cache
def services() -> tuple[dict, ...]:
    found = []
    for path in sorted((SEEDS / "services").glob("*.yaml")):
        found.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return tuple(found)


def slugs_where(predicate) -> set[str]:
    return {s["slug"] for s in services() if predicate(s)}
