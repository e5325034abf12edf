"""Word-level differences between what is live and what is proposed, so a one-word change in a
long description is easy to see. Pure: tokens in, (kind, text) pieces out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, ADDED, REMOVED = "same", "added", "removed"
_WORDS = re.compile(r"\S+")


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME, ADDED or REMOVED
    text: str


def tokens(words: list[str], split: bool) -> list[str]:
    """Text is compared word by word; list values (labels) item by item."""
    if not split:
        return list(words)
    return [w for text in words for w in _WORDS.findall(text)]


def pieces(old: list[str], new: list[str]) -> list[Piece]:
    """The proposed value as runs of unchanged, removed and added tokens, in reading order."""
    out: list[Piece] = []
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Piece(SAME, " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            out.append(Piece(REMOVED, " ".join(old[a1:a2])))
        if b2 > b1:
            out.append(Piece(ADDED, " ".join(new[b1:b2])))
    return out
