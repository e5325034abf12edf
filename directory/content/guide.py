"""The written content: stage guide, glossary, about page and crisis contacts (YAML in content/)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

CONTENT_DIR = Path(__file__).resolve().parent


@cache
def _load(name: str) -> Any:
    with (CONTENT_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def stages() -> list[dict[str, Any]]:
    return _load("stages")


def stage(code: str) -> dict[str, Any] | None:
    return next((s for s in stages() if s["code"] == code), None)


def glossary() -> list[dict[str, Any]]:
    return sorted(_load("glossary"), key=lambda t: t["term"].lower())


def about() -> dict[str, Any]:
    return _load("about")


def cover_your_tracks() -> dict[str, Any]:
    return _load("cover_your_tracks")


def crisis_contacts() -> list[dict[str, Any]]:
    return _load("crisis")


@cache
def _glossary_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    slugs: dict[str, str] = {}
    for entry in _load("glossary"):
        for word in [entry["term"], *entry.get("aliases", [])]:
            slugs[word.lower()] = entry["slug"]
    words = sorted(slugs, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    return pattern, slugs


def link_terms(text: str, base_url: str) -> Markup:
    """Escape text and link the first mention of each glossary term to its definition."""
    pattern, slugs = _glossary_pattern()
    seen: set[str] = set()
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        slug = slugs[match.group(0).lower()]
        if slug in seen:
            continue
        seen.add(slug)
        out.append(str(escape(text[last:match.start()])))
        out.append(
            f'<a class="govuk-link glossary-link" href="{base_url}#{slug}">{escape(match.group(0))}</a>'
        )
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, for plain text fields."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
