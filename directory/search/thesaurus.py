"""The words people use (thesaurus.yaml, kept by staff) turned into what to look for (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from directory.search.text import meaningful, tokens

THESAURUS = Path(__file__).with_name("thesaurus.yaml")
LONGEST_PHRASE = 6


@dataclass(frozen=True)
class Entry:
    say: tuple[str, ...]
    find: tuple[str, ...]
    why: str
    crisis: bool = False


@dataclass(frozen=True)
class Words:
    """What to look for: every group must match, by any one of its phrases (folded words)."""

    groups: tuple[tuple[str, ...], ...] = ()
    crisis: bool = False

    def __bool__(self) -> bool:
        return bool(self.groups)


@cache
def entries() -> tuple[Entry, ...]:
    rows = yaml.safe_load(THESAURUS.read_text(encoding="utf-8"))
    return tuple(
        Entry(tuple(str(s) for s in row["say"]), tuple(str(f) for f in row["find"]), row["why"], bool(row.get("crisis")))
        for row in rows
    )


@cache
def phrases() -> dict[tuple[str, ...], Entry]:
    """Each folded phrase a person might say, and its entry (the first entry to say it wins)."""
    known: dict[tuple[str, ...], Entry] = {}
    for entry in entries():
        for said in entry.say:
            known.setdefault(tuple(tokens(said)), entry)
    return known


def understand(text: str) -> Words:
    """The groups to match for what was typed: a phrase the thesaurus knows (longest first) matches
    itself or what it means; every other word that says something matches itself."""
    words, known = tokens(text), phrases()
    groups: list[tuple[str, ...]] = []
    crisis = False
    i = 0
    while i < len(words):
        for size in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
            entry = known.get(tuple(words[i : i + size]))
            if entry is not None:
                said = " ".join(words[i : i + size])
                groups.append(tuple(dict.fromkeys([said, *(" ".join(tokens(f)) for f in entry.find)])))
                crisis = crisis or entry.crisis
                i += size
                break
        else:
            groups.extend((w,) for w in meaningful([words[i]]))
            i += 1
    return Words(tuple(dict.fromkeys(groups)), crisis)


def knows(word: str) -> bool:
    """Whether a folded word is part of something the thesaurus knows (so never "corrected")."""
    return any(word in phrase for phrase in phrases())
