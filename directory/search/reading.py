"""Reading what a person typed before searching: a place at the end of the words, and words
spelled differently from anything the listings say. Nothing read here is logged or kept."""

from __future__ import annotations

from dataclasses import dataclass

from directory.places import lookup
from directory.search import fulltext, thesaurus, vocabulary
from directory.search.text import STOPWORDS, tokens

PLACE_WORDS = ("in", "near", "around", "nr")
LONGEST_PLACE = 3  # words, as in "Newton le Willows"


@dataclass(frozen=True)
class Reading:
    words: str  # what to search for
    typed: str = ""  # what was typed, when `words` corrects its spelling
    place: lookup.Found | None = None  # a place named in the words, searched near


def place_in(typed: str) -> tuple[str, lookup.Found] | None:
    """The words without a place the gazetteer knows at their end ("housing Salford", "a group
    in Bolton"), and the place; None when there is no such place or nothing else was asked."""
    parts = typed.split()
    for size in range(min(LONGEST_PLACE, len(parts) - 1), 0, -1):
        before, named = parts[:-size], " ".join(parts[-size:])
        marked = before[-1].casefold() in PLACE_WORDS
        rest = before[:-1] if marked else before
        if not any(w not in STOPWORDS for w in tokens(" ".join(rest))):
            continue
        if not marked and size == 1 and thesaurus.knows(tokens(named)[0] if tokens(named) else ""):
            continue  # "housing support", not a town called Support
        found = lookup.in_gazetteer(named)
        if found:
            return " ".join(rest), found
    return None


def corrected(words: str) -> str:
    """The words with each one that matches nothing in the index, and that the thesaurus does
    not know, replaced by the closest word the listings use (when one is close)."""
    out = []
    for word in tokens(words):
        if word in STOPWORDS or thesaurus.knows(word) or fulltext.matches_anything(word):
            out.append(word)
        else:
            out.append(vocabulary.closest(word) or word)
    return " ".join(out)


def read(typed: str, exact: bool = False, find_place: bool = True) -> Reading:
    """What to search for: with `find_place`, a place at the end is taken out; unless `exact`,
    spellings are corrected (and the page offers the words exactly as typed)."""
    words, place = typed, None
    located = place_in(typed) if find_place else None
    if located:
        words, place = located
    if exact:
        return Reading(words, place=place)
    better = corrected(words)
    if better != " ".join(tokens(words)):
        return Reading(better, typed=words, place=place)
    return Reading(words, place=place)
